"""The scoping contract (SPEC §4), written once and applied to every page and
endpoint: in scope 200, out of scope 404, change refused, lists and searches
contain only what is in scope. A URL pattern without an entry here fails."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from campusgrid.grid.models import Post
from campusgrid.people.models import Student

pytestmark = pytest.mark.django_db

ROOM_A1 = {"A1001", "A1002", "A1003", "A1004"}
ROOM_MIXED = {"A1005", "A2001", "A2002", "A1006"}
ROOM_A2 = {"A2003", "A2004", "A2005"}
CLASS_A1 = {"A1001", "A1002", "A1003", "A1004", "A1005", "A1006"}
COLLEGE_A = ROOM_A1 | ROOM_MIXED | ROOM_A2
COLLEGE_B = {"B1001", "B1002", "B1003"}

VISIBLE = {
    "dorm_head": ROOM_A1,
    "monitor": CLASS_A1,
    "counselor": COLLEGE_A,
    "class_teacher": CLASS_A1,
    "leader": COLLEGE_A,
    "activist": ROOM_A1,
    "small_grid_leader": ROOM_A1 | ROOM_MIXED,
    "branch_secretary": ROOM_A1 | ROOM_MIXED | {"A2005"},
    "student": {"A1002"},
    "office": COLLEGE_A | COLLEGE_B,
    "leader_b": COLLEGE_B,
    "counselor_b": COLLEGE_B,
    "dorm_head_b": COLLEGE_B,
    "student_b": {"B1002"},
}
ALL = COLLEGE_A | COLLEGE_B


def _all_covered() -> dict:
    """URL name -> its entries in the apps' `tests/<app>/contract.py` ENDPOINTS lists
    (an Endpoint asserted by tests/scoping/test_endpoints.py, or an Exempt with its reason)."""
    from .test_endpoints import declared

    covered: dict[str, list] = {}
    for entry in declared():
        covered.setdefault(entry.name, []).append(entry)
    return covered


def _names(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin" or str(p.pattern).startswith("admin/"):
                continue
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            yield from _names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + p.name


def test_every_url_is_covered_by_the_scoping_contract():
    names = set(_names(get_resolver().url_patterns))
    names = {n for n in names if not n.endswith("-format") or n.replace("-format", "") in names}
    covered = _all_covered()
    missing = sorted(n for n in names if n not in covered)
    assert not missing, f"URL names without an Endpoint (or Exempt) in tests/<app>/contract.py: {missing}"
    unknown = sorted(n for n in covered if n not in names)
    assert not unknown, f"contract entries naming no URL: {unknown}"


def _numbers_in(content: str) -> set[str]:
    return {no for no in ALL if no in content}


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_student_list_page_shows_only_scope(world, login, persona):
    client = login(world[persona])
    response = client.get(reverse("people:students"))
    assert response.status_code == 200
    assert _numbers_in(response.content.decode()) == VISIBLE[persona]


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_student_api_list_follows_scope(world, api, persona):
    data = api(world[persona]).get("/api/v1/students/?page_size=500").json()
    assert {r["student_no"] for r in data["results"]} == VISIBLE[persona]
    assert data["count"] == len(VISIBLE[persona])


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_student_detail_is_404_outside_scope(world, login, api, persona):
    client = login(world[persona])
    api_client = api(world[persona])
    for no in sorted(ALL):
        expected = 200 if no in VISIBLE[persona] else 404
        assert client.get(reverse("people:student", args=[no])).status_code == expected, no
        assert api_client.get(f"/api/v1/students/{no}/").status_code == expected, no
    assert client.get(reverse("people:student", args=["NOPE"])).status_code == 404


@pytest.mark.parametrize("persona", ["dorm_head", "monitor", "student", "leader_b", "counselor"])
def test_search_and_filters_never_leave_scope(world, login, persona):
    client = login(world[persona])
    for query in ["王五", "张三", "B1002", "ww", "zs"]:
        # The htmx fragment holds just the results (the full page echoes the query in the box).
        text = client.get(reverse("people:students"), {"q": query}, HTTP_HX_REQUEST="true").content.decode()
        assert _numbers_in(text) <= VISIBLE[persona], query
    other = world.college_b if persona != "leader_b" else world.college_a
    text = client.get(reverse("people:students"), {"college": other.pk}).content.decode()
    assert _numbers_in(text) <= VISIBLE[persona]
    text = client.get(reverse("people:students"), {"school_class": "机械2401"}).content.decode()
    assert _numbers_in(text) <= VISIBLE[persona]
    api_numbers = {r["student_no"] for r in client.get("/api/v1/students/", {"q": "王"}).json()["results"]}
    assert api_numbers <= VISIBLE[persona]


@pytest.mark.parametrize("persona", ["monitor", "dorm_head", "student", "small_grid_leader"])
def test_students_cannot_change_student_records(world, login, persona):
    client = login(world[persona])
    target = world.student
    before = Student.objects.get(pk=target.pk).phone
    response = client.post(
        reverse("people:student", args=[target.student_no]),
        {"version": target.version, "phone": "13900000000"},
    )
    assert response.status_code == 404
    assert Student.objects.get(pk=target.pk).phone == before


def test_class_pages_follow_scope(world, login):
    cases = {
        "monitor": {"化工2401"},
        "counselor": {"化工2401", "化工2402"},
        "leader_b": {"机械2401"},
        "dorm_head": set(),
        "student": set(),
        "office": {"化工2401", "化工2402", "机械2401"},
    }
    for persona, classes in cases.items():
        client = login(world[persona])
        for name in ["化工2401", "化工2402", "机械2401"]:
            expected = 200 if name in classes else 404
            assert client.get(reverse("people:class", args=[name])).status_code == expected, (persona, name)
        listing = client.get(reverse("people:classes")).content.decode()
        assert {n for n in ["化工2401", "化工2402", "机械2401"] if n in listing} == classes


def test_room_pages_follow_scope(world, login):
    rooms = {"301": world.room_a1, "302": world.room_mixed, "303": world.room_a2, "101": world.room_b1}
    cases = {
        "dorm_head": {"301"},
        "monitor": {"301", "302"},
        "counselor": {"301", "302", "303"},
        "small_grid_leader": {"301", "302"},
        "student": {"301"},
        "leader_b": {"101"},
    }
    for persona, visible in cases.items():
        client = login(world[persona])
        for number, room in rooms.items():
            expected = 200 if number in visible else 404
            url = reverse("people:room", args=[room.building.name, room.number])
            assert client.get(url).status_code == expected, (persona, number)


def test_room_page_lists_only_members_in_scope_for_a_monitor(world, login):
    # A mixed room: the A1 monitor sees the room, its A1 members, and not the A2 student.
    client = login(world.monitor)
    text = client.get(reverse("people:room", args=["东1", "302"])).content.decode()
    assert "A1005" in text and "A2001" not in text


def test_coverage_only_lists_holes_in_scope(world, login, api):
    # Open a hole in each college.
    Post.objects.filter(kind="monitor", school_class=world.class_b1).update(end_date="2025-10-01")
    Post.objects.filter(kind="dorm_head", room=world.room_a2).update(end_date="2025-10-01")
    leader_a = api(world.leader).get("/api/v1/coverage/").json()
    leader_b = api(world.leader_b).get("/api/v1/coverage/").json()
    office = api(world.office).get("/api/v1/coverage/").json()
    assert {g.get("class") for g in leader_a["gaps"]} == {None}
    assert {g.get("room") for g in leader_a["gaps"]} == {"东1/303"}
    assert {g.get("class") for g in leader_b["gaps"]} == {"机械2401"}
    assert leader_a["students_total"] == len(COLLEGE_A)
    assert office["students_total"] == len(ALL) and len(office["gaps"]) == 2
    page = login(world.leader_b).get(reverse("grid:coverage")).content.decode()
    assert "机械2401" in page and "东1/303" not in page
    student = api(world.student).get("/api/v1/coverage/").json()
    assert student["gaps"] == [] or all(g.get("student_no") == "A1002" for g in student["gaps"])


def test_post_list_follows_scope(world, login, api):
    b_post = Post.objects.get(kind="monitor", school_class=world.class_b1)
    a_post = Post.objects.get(kind="monitor", school_class=world.class_a1)
    client = login(world.counselor)
    assert client.get(reverse("grid:post", args=[a_post.pk])).status_code == 200
    assert client.get(reverse("grid:post", args=[b_post.pk])).status_code == 404
    names = {
        r["holder_name"] for r in api(world.counselor).get("/api/v1/posts/?page_size=500").json()["results"]
    }
    assert "班长丙" in names and "班长癸" not in names and "辅导员丙" not in names
    assert api(world.counselor).get(f"/api/v1/posts/{b_post.pk}/").status_code == 404
    text = client.get(reverse("grid:posts")).content.decode()
    assert "班长丙" in text and "班长癸" not in text


def test_appoint_outside_scope_is_404(world, login):
    client = login(world.counselor)
    assert client.get(reverse("grid:appoint"), {"kind": "monitor", "class": "化工2401"}).status_code == 200
    assert client.get(reverse("grid:appoint"), {"kind": "monitor", "class": "机械2401"}).status_code == 404
    response = client.post(reverse("grid:appoint") + "?kind=monitor&class=机械2401", {"holder": "B1002"})
    assert response.status_code == 404
    assert (
        Post.objects.get(kind="monitor", school_class=world.class_b1, end_date__isnull=True).student
        == world.monitor_b
    )


def test_placement_needs_level_three(world, login):
    url = reverse("grid:placement", args=["A1002"])
    for persona in ["monitor", "dorm_head", "student", "counselor_b", "leader_b"]:
        response = login(world[persona]).post(url, {"action": "status", "status": "withdrawn"})
        assert response.status_code == 404, persona
    assert Student.objects.get(student_no="A1002").status == "enrolled"
    login(world.counselor).post(url, {"action": "status", "status": "withdrawn"})
    assert Student.objects.get(student_no="A1002").status == "withdrawn"


def test_chain_api_follows_scope(world, api):
    ok = api(world.dorm_head).get("/api/v1/students/A1002/chain/")
    assert ok.status_code == 200
    assert api(world.dorm_head).get("/api/v1/students/B1002/chain/").status_code == 404
