"""The grid API (issue 3): appointing and ending posts and the vacancy
suggestions go through the same services and scope as the pages."""

import pytest

from campusgrid.grid.models import Post, PostKind

pytestmark = pytest.mark.django_db


def current_holder(kind, **place):
    post = Post.objects.current().select_related("student", "staff").get(kind=kind, **place)
    return post.student.student_no if post.student_id else post.staff.staff_no


def test_appoint_through_the_api(world, api):
    response = api(world.counselor).post(
        "/api/v1/posts/", {"kind": "dorm_head", "holder": "A1002", "room": "东1/301"}, format="json"
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["kind"], data["student_no"], data["room"], data["end_date"]) == (
        "dorm_head",
        "A1002",
        "东1/301",
        None,
    )
    assert current_holder(PostKind.DORM_HEAD, room=world.room_a1) == "A1002"
    history = api(world.counselor).get(
        "/api/v1/posts/", {"history": "1", "kind": "dorm_head", "holder": "A1001"}
    )
    assert [p["end_date"] is not None for p in history.json()["results"]] == [True]


def test_appoint_refusals_are_explained_in_chinese(world, api):
    client = api(world.counselor)
    response = client.post(
        "/api/v1/posts/", {"kind": "monitor", "holder": "A2001", "class": "化工2401"}, format="json"
    )
    assert response.status_code == 400 and "不在该班级" in response.json()["detail"]
    response = client.post(
        "/api/v1/posts/", {"kind": "monitor", "holder": "B1002", "class": "机械2401"}, format="json"
    )
    assert response.status_code == 400 and response.json()["field"] == "school_class"
    response = api(world.monitor).post(
        "/api/v1/posts/", {"kind": "monitor", "holder": "A1002", "class": "化工2401"}, format="json"
    )
    assert response.status_code == 403 and "无权" in response.json()["detail"]
    assert current_holder(PostKind.MONITOR, school_class=world.class_a1) == "A1004"


def test_post_end_needs_level_three(world, api):
    post = Post.objects.get(kind=PostKind.MONITOR, school_class=world.class_a1)
    # The monitor sees their own post but may not end it; a dorm head and another
    # college do not even see it.
    assert api(world.monitor).post(f"/api/v1/posts/{post.pk}/end/").status_code == 403
    assert api(world.dorm_head).post(f"/api/v1/posts/{post.pk}/end/").status_code == 404
    assert api(world.counselor_b).post(f"/api/v1/posts/{post.pk}/end/").status_code == 404
    post.refresh_from_db()
    assert post.end_date is None
    response = api(world.counselor).post(f"/api/v1/posts/{post.pk}/end/", {"reason": "辞职"}, format="json")
    assert response.status_code == 200 and response.json()["end_reason"] == "辞职"
    # An ended term is history: found with ?history=1, and cannot end twice.
    assert api(world.counselor).post(f"/api/v1/posts/{post.pk}/end/").status_code == 404
    assert api(world.counselor).post(f"/api/v1/posts/{post.pk}/end/?history=1").status_code == 409


def test_vacancy_candidates_follow_scope(world, api):
    Post.objects.filter(kind=PostKind.MONITOR, school_class=world.class_a1).update(end_date="2025-10-01")
    data = (
        api(world.counselor)
        .get("/api/v1/vacancy-candidates/", {"kind": "monitor", "class": "化工2401"})
        .json()
    )
    assert [c["student_no"] for c in data][:2] == ["A1004", "A1001"]
    assert data[0]["reason"] == "党员"
    response = api(world.counselor_b).get(
        "/api/v1/vacancy-candidates/", {"kind": "monitor", "class": "化工2401"}
    )
    assert response.status_code == 400 and "student_no" not in response.content.decode()
    response = api(world.counselor).get(
        "/api/v1/vacancy-candidates/", {"kind": "dorm_head", "room": "西1/101"}
    )
    assert response.status_code == 400
    assert api(world.counselor).get("/api/v1/vacancy-candidates/", {"kind": "leader"}).status_code == 400
