"""Visits: the rooms and classes below the target listed exactly per counselor and college, the
leaders' monthly sample, follow-ups into one report or one talk record, the ledger and its
query counts."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campusgrid.core import clock
from campusgrid.core.errors import Conflict, NotAllowed, ServiceError
from campusgrid.dossiers.models import TalkRecord
from campusgrid.reports.models import Report
from campusgrid.service import selectors, services
from campusgrid.service.models import VisitTarget

pytestmark = pytest.mark.django_db


def _visit(world, who="counselor", rooms=(), **extra):
    data = {"kind": "dorm", "visited_on": clock.today(), "seen": "卫生良好", "rooms": list(rooms)}
    data.update(extra)
    return services.visit_record(actor=world[who].user, **data)


def _row(progress, staff_no):
    (row,) = [r for r in progress["people"] if r["staff"].staff_no == staff_no]
    return row


def test_not_yet_visited_rooms_are_listed_exactly(world):
    _visit(world, rooms=[world.room_a1])
    _visit(world, rooms=[world.room_a1, world.room_mixed])
    _visit(world, who="class_teacher", rooms=[world.room_mixed], seen="班主任走访")
    _visit(world, kind="classroom", rooms=[], school_class=world.class_a1, seen="听课")
    progress = selectors.visit_progress(user=world.counselor.user)
    counselor = _row(progress, "C0001")
    # Twice a semester each: 301 twice (done), 302 once, 303 never.
    assert [(r["label"], r["count"]) for r in counselor["rooms"]] == [
        ("东1/301", 2),
        ("东1/302", 1),
        ("东1/303", 0),
    ]
    assert [r["label"] for r in counselor["rooms_below"]] == ["东1/302", "东1/303"]
    assert [(c["label"], c["count"]) for c in counselor["classes_below"]] == [
        ("化工2401", 1),
        ("化工2402", 0),
    ]
    # The class teacher's class A1 lives in 301 and 302; once a semester each: 301 is missing.
    teacher = _row(progress, "C0002")
    assert [r["label"] for r in teacher["rooms_below"]] == ["东1/301"]
    # The counselor sees no college table; the leader sees the college's rooms nobody visited.
    assert progress["colleges"] == []
    (college,) = selectors.visit_progress(user=world.leader.user)["colleges"]
    assert college["rooms_total"] == 3 and college["not_visited"] == ["东1/303"]
    assert college["leaders"][0]["sampled"] == 0 and college["leaders"][0]["target"] == 4


def test_the_home_panels_rows_are_the_users_own_rows_of_the_progress_page(world):
    """Issue 15: the panel counts only the user's own rows (from their posts of the request),
    and they are the progress page's rows of that person, room for room."""
    _visit(world, rooms=[world.room_a1])
    _visit(world, rooms=[world.room_a1, world.room_mixed])
    _visit(world, who="class_teacher", rooms=[world.room_mixed], seen="班主任走访")
    for who in ("counselor", "class_teacher"):
        user = world[who].user
        full = [r for r in selectors.visit_progress(user=user)["people"] if r["staff"].user_id == user.pk]
        mine = selectors.my_visit_progress(user=user)

        def figures(rows):
            return [
                (r["role"], sorted((x["count"], x["target"]) for x in r["rooms"]), len(r["rooms_below"]))
                for r in rows
            ]

        assert full and figures(mine) == figures(full)
    # a leader holds no counselor post: no panel, and no query spent on finding that out
    user = world.leader.user
    selectors.my_visit_progress(user=user)  # the scope and the posts, read once per request
    with CaptureQueriesContext(connection) as queries:
        assert selectors.my_visit_progress(user=user) == []
    assert len(queries) == 0


def test_targets_are_configurable(world):
    VisitTarget.objects.filter(role="counselor", kind="dorm").update(times=1)
    _visit(world, rooms=[world.room_mixed])
    counselor = _row(selectors.visit_progress(user=world.counselor.user), "C0001")
    assert [r["label"] for r in counselor["rooms_below"]] == ["东1/301", "东1/303"]


def test_a_leaders_monthly_sample_counts_distinct_rooms(world):
    _visit(world, who="leader", rooms=[world.room_a1, world.room_a2], companions="学工办两名老师")
    _visit(world, who="leader", rooms=[world.room_a1])
    (college,) = selectors.visit_progress(user=world.leader.user)["colleges"]
    assert college["leaders"][0]["sampled"] == 2 and college["not_visited"] == ["东1/302"]


def test_visits_are_refused_outside_ones_rooms_and_to_students(world):
    with pytest.raises(ServiceError) as raised:
        _visit(world, rooms=[world.room_b1])
    assert raised.value.field == "rooms" and "西1/101" in raised.value.message
    with pytest.raises(ServiceError) as raised:
        _visit(world, rooms=[], kind="classroom", school_class=world.class_b1)
    assert raised.value.field == "school_class"
    with pytest.raises(NotAllowed):
        _visit(world, who="dorm_head", rooms=[world.room_a1])


def test_a_follow_up_becomes_one_report_or_one_talk_record(world):
    visit = _visit(world, rooms=[world.room_a1], follow_ups=["插线板老化需更换", "张三情绪低落"])
    first, second = visit.follow_ups.all()
    report = services.follow_up_to_report(actor=world.counselor.user, follow_up=first)
    assert report.room == world.room_a1 and "插线板" in report.description
    with pytest.raises(Conflict):
        services.follow_up_to_report(actor=world.counselor.user, follow_up=first)
    assert Report.objects.count() == 1
    talk = services.follow_up_to_talk(
        actor=world.counselor.user, follow_up=second, student=world.student, summary="谈心，了解到近期压力大"
    )
    assert talk.student == world.student and TalkRecord.objects.count() == 1
    with pytest.raises(Conflict):
        services.follow_up_to_talk(
            actor=world.counselor.user, follow_up=second, student=world.student, summary="再记"
        )
    page = Client()
    page.force_login(world.counselor.user)
    text = page.get(reverse("service:visit-detail", args=[visit.pk])).content.decode()
    assert reverse("reports:detail", args=[report.pk]) in text and "已记入谈心谈话" in text


def test_the_visit_form_records_a_dorm_visit(world):
    client = Client()
    client.force_login(world.counselor.user)
    response = client.post(
        reverse("service:visit-new"),
        {
            "kind": "dorm",
            "visited_on": clock.today().isoformat(),
            "rooms": [world.room_a1.pk],
            "seen": "检查卫生",
            "follow_ups": "更换门锁\n",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("service:visit-new"), {"kind": "dorm", "visited_on": clock.today().isoformat(), "seen": ""}
    )
    assert (
        response.status_code == 200
        and "请至少选择一间寝室" in response.content.decode()
        or "走访情况" in response.content.decode()
    )


def _many(world, n):
    for i in range(n):
        _visit(world, rooms=[world.room_a1, world.room_mixed], follow_ups=[f"事项{i}"])


@pytest.mark.parametrize("which", ["page", "xlsx", "api", "progress"])
def test_visit_lists_cost_the_same_for_few_and_many(world, django_assert_num_queries, which):
    url = {
        "page": reverse("service:visit-list"),
        "xlsx": reverse("service:visit-list") + "?format=xlsx",
        "api": "/api/v1/service/visits/",
        "progress": reverse("service:visit-progress"),
    }[which]
    client = Client()
    client.force_login(world.leader.user)
    _many(world, 2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _many(world, 10)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
