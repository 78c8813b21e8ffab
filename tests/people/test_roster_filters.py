"""学生名册's filter row (issue 17 item 2): its select boxes hold what the viewer may see, are
kept between requests on the change counters of the tables they read (core.fingerprint) —
so a write of any kind shows in them on the next request — and an htmx request, which gets
the rows only, does not fill them at all."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campusgrid.org.models import Bed, Building, College, Grade, Room, SchoolClass
from campusgrid.people.models import Student
from tests import factories as f

pytestmark = pytest.mark.django_db

ROSTER = reverse("people:students")


def options(html: str, name: str) -> list[str]:
    """The values of the select box `name` on the page, in order (the empty one left out)."""
    box = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert box, f"no select {name!r}"
    return [unescape(v) for v in re.findall(r'<option value="([^"]*)"', box.group(1)) if v]


def distinct_over_students(queries) -> list[str]:
    return [q["sql"] for q in queries if "DISTINCT" in q["sql"] and '"people_student"' in q["sql"]]


def page(client, **params) -> str:
    response = client.get(ROSTER, params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_select_boxes_hold_what_the_viewer_may_see(world, login):
    html = page(login(world.leader))
    assert options(html, "school_class") == ["化工2401", "化工2402"]
    assert options(html, "building") == ["东1"]
    assert options(html, "grade") == ["2024"]
    assert options(login(world.leader_b).get(ROSTER).content.decode(), "building") == ["西1"]


def test_kept_select_boxes_cost_no_distinct_over_the_students(world, login, kept):
    client = login(world.leader)
    with CaptureQueriesContext(connection) as cold:
        first = page(client)
    with CaptureQueriesContext(connection) as warm:
        second = page(client)
    assert distinct_over_students(cold) and not distinct_over_students(warm)
    assert len(warm) < len(cold)
    for name in ("school_class", "building", "grade"):
        assert options(second, name) == options(first, name)


def test_a_student_moved_into_a_new_building_shows_in_the_select_at_once(world, login, kept):
    client = login(world.leader)
    assert options(page(client), "building") == ["东1"]
    room = f.RoomFactory(building=f.BuildingFactory(name="南9"), number="101")
    bed = Bed.objects.create(room=room, number=1)
    # A bulk update: no save(), no signal; the table's counter moves all the same.
    Student.objects.filter(pk=world.student.pk).update(bed=bed)
    assert options(page(client), "building") == ["东1", "南9"]
    Building.objects.filter(pk=room.building_id).update(name="南十")
    assert options(page(client), "building") == ["东1", "南十"]
    Room.objects.filter(pk=room.pk).update(building=Building.objects.get(name="东1"))
    assert options(page(client), "building") == ["东1"]


def test_a_new_class_and_grade_show_in_the_selects_at_once(world, login, kept):
    client = login(world.leader)
    assert options(page(client), "grade") == ["2024"]
    f.SchoolClassFactory(
        name="化工2501", college=world.college_a, grade=f.GradeFactory(college=world.college_a, year=2025)
    )
    html = page(client)
    assert options(html, "school_class") == ["化工2401", "化工2402", "化工2501"]
    assert options(html, "grade") == ["2025", "2024"]
    Grade.objects.filter(year=2025).update(year=2023)
    assert options(page(client), "grade") == ["2024", "2023"]


def test_kept_select_boxes_are_not_shared_across_reaches(world, login, kept):
    assert options(page(login(world.leader)), "building") == ["东1"]
    assert options(page(login(world.leader_b)), "building") == ["西1"]
    assert options(page(login(world.dorm_head)), "school_class") == []


def test_the_chosen_class_is_selected(world, login):
    html = page(login(world.leader), school_class="化工2402")
    assert '<option value="化工2402" selected>化工2402</option>' in html
    assert '<option value="化工2401">化工2401</option>' in html
    assert '<option value="" selected>' not in html.split('name="school_class"')[1].split("</select>")[0]


def test_an_htmx_request_gets_the_rows_without_filling_the_select_boxes(world, login):
    client = login(world.leader)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(ROSTER, {"status": "enrolled"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="roster-count"' in html and "<select" not in html
    assert not distinct_over_students(queries)
    assert not [q for q in queries if 'FROM "org_schoolclass"' in q["sql"]]


def test_the_reach_key_is_the_reach_and_refuses_a_rule_with_a_subquery(world):
    from campusgrid.core.scoping import reach_key

    leader, counselor = world.leader.user, world.counselor.user
    assert reach_key(leader, College, SchoolClass, Student) == reach_key(
        leader, College, SchoolClass, Student
    )
    assert reach_key(leader, Student) != reach_key(world.leader_b.user, Student)
    assert reach_key(leader, Student) != reach_key(counselor, Student)
    assert reach_key(world.office.user, Student) == ("everything",)
    with pytest.raises(TypeError, match="not plain ids"):
        reach_key(world.dorm_head.user, Room)  # the room rule asks where students in reach live
