"""The semester report's 志愿者 and 服务学生人数 open the lists of the rows they count (issue 15
item 4): 志愿者名单 and 服务学生名单, with the figure's filters in the URL. For the college's
leader (and the office, whose `?college=` narrows to the college) the list has exactly the
figure's rows; a counselor opening the same URL gets the rows of their reach — the figure's
selector over the counselor's scope, a part of the leader's."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campusgrid.dashboards.report.compute import build, figures_by_key
from campusgrid.service import figures as service_figures
from campusgrid.service.models import Attendance, HoursCredit, Session
from campusgrid.service.selectors.volunteers import served_students, served_unregistered, volunteer_people

from .service_records import at, records_fixture, semester_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

D = dt.date
PERIOD = {"date_from": D(2025, 9, 1), "date_to": D(2025, 12, 1)}


@pytest.fixture
def leaders_session(world, semester, records):
    """An activity the college's leader organised: 王五 of college B and the class teacher
    took part, it served 张三 and 王五 and two people not on the register. The counselor
    neither organised it nor has 王五 in a class."""
    session = Session.objects.create(
        kind="volunteer",
        title="迎新志愿服务",
        college=world.college_a,
        organiser=world.leader.user,
        starts_at=at(D(2025, 10, 20)),
        ends_at=at(D(2025, 10, 20), 16),
        hours=2,
        semester=semester,
        served_count=2,
    )
    session.served_students.set([world.student, world.student_b])
    Attendance.objects.create(session=session, student=world.student_b, status="present")
    Attendance.objects.create(session=session, staff=world.class_teacher, status="present")
    HoursCredit.objects.create(
        session=session, student=world.student_b, kind="volunteer", hours=Decimal(2), semester=semester
    )
    return session


def _listed(client, url):
    page = client.get(url)
    assert page.status_code == 200, url
    return page


def test_volunteers_figure_equals_the_rows_of_its_list(world, semester, leaders_session, login):
    value = service_figures.volunteers(world.college_a, semester)
    # 舍长甲, 班长, 舍长丁, 辅导员甲 (the first activities) and 王五, 班主任 (the leader's).
    assert value.value == 6
    assert value.detail.startswith("学生 4 人") and value.detail.endswith("教职工 2 人")
    assert value.url.startswith("/service/volunteers/?date_from=2025-09-01&date_to=2025-12-01")
    for person in (world.leader, world.office):
        page = _listed(login(person), value.url)
        assert page.context["page"].paginator.count == value.value
        numbers = {r["number"] for r in page.context["rows"]}
        assert len(numbers) == 6 and {"A1001", "A1005", "C0001", "B1002", "C0002"} <= numbers
    # The counselor: the same URL lists the figure's rows in their reach (their own students
    # and themselves), not 王五 (college B) nor the class teacher of the leader's activity.
    mine = volunteer_people(user=world.counselor.user, college_id=world.college_a.pk, **PERIOD)
    page = _listed(login(world.counselor), value.url)
    assert page.context["page"].paginator.count == len(mine) == 4 < value.value
    leaders = {(p["student_id"], p["staff_id"]) for p in volunteer_people(user=world.leader.user, **PERIOD)}
    assert {(p["student_id"], p["staff_id"]) for p in mine} <= leaders
    # Another college's leader: the URL opens, with none of these rows.
    assert _listed(login(world.leader_b), value.url).context["page"].paginator.count == 0


def test_volunteer_list_rows_carry_activities_and_hours(world, semester, leaders_session, login):
    page = _listed(login(world.leader), service_figures.volunteers(world.college_a, semester).url)
    rows = {r["number"]: r for r in page.context["rows"]}
    assert (rows["A1001"]["kind"], rows["A1001"]["activities"], rows["A1001"]["hours"]) == (
        "学生",
        1,
        Decimal("1.5"),
    )
    assert (rows["B1002"]["college"], rows["B1002"]["hours"]) == ("机械学院", Decimal(2))
    assert rows["C0001"]["kind"] == "教职工"
    assert "舍长甲" in page.content.decode()


def test_students_served_figure_equals_the_rows_of_its_list(world, semester, leaders_session, login):
    value = service_figures.students_served(world.college_a, semester)
    # 张三, 李四 (the first activities), 王五 (the leader's); 5 + 3 + 2 not on the register.
    assert value.value == 3 + 10
    registered, counted = value.rows
    assert (registered["value"], counted["value"]) == (3, 10)
    assert registered["url"] == value.url
    assert value.url.startswith("/service/served/?date_from=2025-09-01&date_to=2025-12-01")
    for person in (world.leader, world.office):
        page = _listed(login(person), value.url)
        assert page.context["page"].paginator.count == registered["value"]
        assert page.context["unregistered"]["total"] == counted["value"]
        assert page.context["page"].paginator.count + page.context["unregistered"]["total"] == value.value
        sessions = _listed(login(person), counted["url"])
        assert sessions.context["page"].paginator.count == page.context["unregistered"]["sessions"] == 3
    # The counselor sees the college's activities but, of the leader's, only the students in
    # their classes: 张三 and 李四, not 王五.
    page = _listed(login(world.counselor), value.url)
    mine = served_students(user=world.counselor.user, college_id=world.college_a.pk, **PERIOD)
    assert page.context["page"].paginator.count == mine.count() == 2
    assert {r["student"].student_no for r in page.context["rows"]} == {"A1002", "A2001"}
    unregistered = served_unregistered(user=world.counselor.user, college_id=world.college_a.pk, **PERIOD)
    assert page.context["unregistered"]["total"] == unregistered["total"] == 10
    page = _listed(login(world.leader_b), value.url)
    assert (page.context["page"].paginator.count, page.context["unregistered"]["total"]) == (0, 0)


def test_the_report_links_both_figures_to_their_lists(world, semester, leaders_session):
    figures = figures_by_key(build(college=world.college_a, semester=semester))
    assert figures["service.volunteers"]["url"].startswith("/service/volunteers/?")
    assert figures["service.students_served"]["url"].startswith("/service/served/?")
    assert figures["service.volunteers"]["value"] == 6 and figures["service.students_served"]["value"] == 13
    university = figures_by_key(build(college=None, semester=semester))
    # College B's activity served 舍长壬 (B) and counted 7 more; nobody took part in it.
    assert university["service.students_served"]["value"] == 13 + 1 + 7
    assert university["service.volunteers"]["value"] == 6


def test_the_lists_export_their_rows(world, semester, leaders_session, login):
    import io

    import openpyxl

    client = login(world.leader)
    for figure, expected in ((service_figures.volunteers, 6), (service_figures.students_served, 3)):
        response = client.get(figure(world.college_a, semester).url + "&format=xlsx")
        assert response.status_code == 200
        content = b"".join(response.streaming_content) if response.streaming else response.content
        sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
        assert sum(1 for row in sheet.iter_rows(values_only=True) if isinstance(row[0], int)) == expected


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["service:volunteer-list", "service:served-list"])
def test_the_lists_query_count_does_not_grow_with_rows(world, semester, records, login, name):
    from django.urls import reverse

    from tests import factories as f

    client = login(world.leader)
    url = reverse(name) + "?date_from=2025-09-01&date_to=2025-12-01"
    session = records["one"]
    counts = []
    for n in (3, 30):
        students = [f.StudentFactory(school_class=world.class_a1, college=world.college_a) for _ in range(n)]
        for student in students:
            Attendance.objects.create(session=session, student=student, status="present")
        session.served_students.add(*students)
        client.get(url)  # the scope, cached per user, resolved outside the count
        counts.append(_queries(client, url))
    assert counts[0] == counts[1]
