"""学生名册's 年级 filter (issue 17): the students of the classes of one 入学年份, read by those
classes' ids (kept per reach: people.filters.grade_classes) instead of a join to class and
grade — the same students in the same 学号 order, on the page and in the API, for every reach."""

import re

import pytest
from django.urls import reverse

from campusgrid.org.models import Room, SchoolClass
from campusgrid.people.models import Student, StudentStatus
from tests import factories as f

pytestmark = pytest.mark.django_db

ROSTER = reverse("people:students")
PERSONAS = ["leader", "counselor", "dorm_head", "monitor", "office", "leader_b"]


def shown(client, **params) -> list[str]:
    """The 学号 of the rows on the page, in page order."""
    html = client.get(ROSTER, params, HTTP_HX_REQUEST="true").content.decode()
    return list(dict.fromkeys(re.findall(r'href="/students/([^/"]+)/"', html)))


def joined(user, year, **filters) -> list[str]:
    """The same list read the plain way: joined to class and grade."""
    qs = Student.objects.visible_to(user).filter(school_class__grade__year=year, **filters)
    return list(qs.order_by("student_no").values_list("student_no", flat=True))


@pytest.fixture
def two_grades(world):
    """A 2025 class in college A (one student withdrawn), and a student of college B's class
    living in the dorm head's room (reached by the bed, not by the class)."""
    grade = f.GradeFactory(college=world.college_a, year=2025)
    newer = f.SchoolClassFactory(name="化工2501", college=world.college_a, grade=grade)
    f.StudentFactory(student_no="A5001", school_class=newer)
    f.StudentFactory(student_no="A5002", school_class=newer, status=StudentStatus.WITHDRAWN)
    room = world.dorm_head.bed.room
    Room.objects.filter(pk=room.pk).update(capacity=room.capacity + 1)
    room.refresh_from_db()
    f.StudentFactory(student_no="B9001", school_class=world.class_b1, room=room)
    return newer


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_grade_filter_shows_the_students_of_that_years_classes_in_order(
    world, login, two_grades, persona
):
    user = world[persona].user
    client = login(world[persona])
    for year in (2024, 2025, 2031):
        assert shown(client, grade=year) == joined(user, year), year
        assert shown(client, grade=year, status="enrolled") == joined(user, year, status="enrolled"), year
    if persona in ("leader", "office"):
        assert shown(client, grade=2025, status="enrolled") == ["A5001"]
    if persona == "dorm_head":
        assert "B9001" in shown(client, grade=2024)  # another college's class, reached by the room


def test_the_api_grade_filter_matches_the_page(world, login, api, two_grades):
    numbers = [
        r["student_no"] for r in api(world.leader).get("/api/v1/students/", {"grade": 2025}).json()["results"]
    ]
    assert numbers == shown(login(world.leader), grade=2025) == ["A5001", "A5002"]
    assert api(world.leader).get("/api/v1/students/", {"grade": "2025.5"}).json()["results"] == []


def test_a_class_moved_to_another_grade_moves_its_students_at_once(world, login, kept, two_grades):
    client = login(world.leader)
    assert shown(client, grade=2025) == ["A5001", "A5002"]
    # A bulk update: no save(), no signal; the classes' counter moves all the same.
    SchoolClass.objects.filter(pk=world.class_a2.pk).update(grade=two_grades.grade)
    assert shown(client, grade=2025) == joined(world.leader.user, 2025)
    assert world.mixed_a2.student_no in shown(client, grade=2025)
    assert world.mixed_a2.student_no not in shown(client, grade=2024)


def test_the_grade_filter_walks_from_the_years_first_number(world, login, kept, two_grades):
    """The rows are asked from the year's smallest 学号 on (the walk in 学号 order starts at the
    year's first student, not at the college's oldest); a student given a smaller number joins
    the year's list at once, the bound kept under the students' own counter."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(world.leader)
    with CaptureQueriesContext(connection) as ctx:
        assert shown(client, grade=2025) == ["A5001", "A5002"]
    rows = [
        q["sql"] for q in ctx.captured_queries if 'FROM "people_student"' in q["sql"] and "LIMIT" in q["sql"]
    ]
    assert rows and all('"people_student"."student_no" >=' in sql for sql in rows)
    # A smaller number than every student of the year, and than the older years' students.
    f.StudentFactory(student_no="A0000", school_class=two_grades)
    assert shown(client, grade=2025) == ["A0000", "A5001", "A5002"] == joined(world.leader.user, 2025)
    assert shown(login(world.office), grade=2025) == ["A0000", "A5001", "A5002"]


@pytest.mark.postgres
def test_the_planner_knows_a_class_decides_the_college():
    """people migration 0006: functional-dependency statistics on (college_id, school_class_id),
    without which a leader's grade filter was estimated at a thirtieth of its rows."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT stxkind FROM pg_statistic_ext WHERE stxname = 'people_student_class_college' "
            "AND stxrelid = 'people_student'::regclass"
        )
        (kinds,) = cursor.fetchone()
    assert "f" in kinds  # dependencies
