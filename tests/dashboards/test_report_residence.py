"""The semester report's coverage at the start and the end of term and its key students are
the records of those days (issue 15 item 4): students move beds during the semester, a dorm
head's term starts mid-semester, a student graduates; the figures open lists of the same rows."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from campusgrid.core.actors import SYSTEM
from campusgrid.dashboards.report.compute import build, figures_by_key
from campusgrid.dossiers.models import KeyReason, KeyStudent, KeyStudentChange
from campusgrid.grid import coverage
from campusgrid.grid import services as grid_services
from campusgrid.grid.models import PostKind
from campusgrid.org.models import Semester
from campusgrid.people import residence
from campusgrid.people import services as people_services
from campusgrid.people.models import Student, StudentStatus

from .. import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("apps_above_unregistered")]

START, END = dt.date(2025, 9, 1), dt.date(2026, 1, 20)


def moment(day: dt.date):
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, 9))


@pytest.fixture
def term(travel):
    """College 环境学院, class 环境2501, rooms 101–103, history from 08-20:
    101: s1 (dorm head, monitor), s2, s6; 102: s3 (dorm head); 103: s4 (no dorm head).
    10-15 s4 moves to 102 (the service); 11-01 s2 moves to 103 (a bulk update); 12-01 s2
    becomes 103's dorm head; 12-15 s6 graduates."""
    travel(moment(dt.date(2025, 8, 20)))
    with residence.dated():  # the factories' inserts dated by the clock on PostgreSQL too
        college = f.CollegeFactory(name="环境学院")
        school_class = f.SchoolClassFactory(name="环境2501", college=college)
        building = f.BuildingFactory(name="北2")
        r1, r2, r3 = (f.RoomFactory(building=building, number=n) for n in ("101", "102", "103"))
        s = {}
        for name, room in (("s1", r1), ("s2", r1), ("s6", r1), ("s3", r2), ("s4", r3)):
            s[name] = f.StudentFactory(student_no=f"H{name}", school_class=school_class, room=room)
        begin = dt.date(2025, 8, 20)
        f.PostFactory(kind=PostKind.DORM_HEAD, student=s["s1"], room=r1, start_date=begin)
        f.PostFactory(kind=PostKind.DORM_HEAD, student=s["s3"], room=r2, start_date=begin)
        f.PostFactory(kind=PostKind.MONITOR, student=s["s1"], school_class=school_class, start_date=begin)
        counselor = f.StaffFactory(college=college)
        leader = f.StaffFactory(college=college, roles="leader")
        f.PostFactory(kind=PostKind.COUNSELOR, staff=counselor, school_class=school_class, start_date=begin)
        f.PostFactory(kind=PostKind.LEADER, staff=leader, college=college, start_date=begin)
        semester = Semester.objects.create(name="2025-2026学年第一学期", start=START, end=END)

    travel(moment(dt.date(2025, 10, 15)))
    people_services.student_assign_bed(actor=SYSTEM, student=s["s4"], bed=f.bed_in(r2))
    travel(moment(dt.date(2025, 11, 1)))
    with transaction.atomic(), residence.dated():
        Student.objects.filter(pk=s["s2"].pk).update(bed=f.bed_in(r3))
    f.PostFactory(kind=PostKind.DORM_HEAD, student=s["s2"], room=r3, start_date=dt.date(2025, 12, 1))
    travel(moment(dt.date(2025, 12, 20)))
    grid_services.student_status_change(
        actor=SYSTEM, student=s["s6"], status=StudentStatus.GRADUATED, on=dt.date(2025, 12, 15)
    )
    travel(moment(dt.date(2026, 3, 1)))  # the report is made after the semester
    return {"college": college, "semester": semester, "students": s, "leader": leader}


def test_coverage_at_the_start_and_the_end_is_that_of_each_day(term):
    figures = figures_by_key(build(college=term["college"], semester=term["semester"]))
    # 09-01: s1, s2, s6 (101) and s3 (102) covered, s4 (103, no dorm head) not: 4 / 5.
    start = figures["coverage.start"]
    assert start["value"] == 80.0
    assert start["detail"] == "2025-09-01 在任网格员覆盖在校学生 4 / 5 人"
    # 01-20: s6 graduated; s4 in 102, s2 in 103 whose dorm head since 12-01 is s2: 4 / 4.
    end = figures["coverage.end"]
    assert (end["value"], end["detail"]) == (100.0, "2026-01-20 在任网格员覆盖在校学生 4 / 4 人")
    # Today's beds would have put s2 in 103 (no dorm head on 09-01) and left s6 out: 3 / 4.
    assert start["url"].endswith(f"?on=2025-09-01&college={term['college'].pk}")


def test_between_the_moves_the_audit_follows_the_beds_and_terms_of_the_day(term):
    viewer = _leader(term)
    mid = coverage.compute(viewer, on=dt.date(2025, 11, 15))  # s2 in 103, its dorm head not yet
    assert mid.as_of_history
    assert (mid.students_fully_covered, mid.students_total) == (4, 5)
    assert {g["student_no"] for g in mid.gaps if g["kind"] == "student_without_room"} == set()
    assert [g["room"] for g in mid.gaps if g["kind"] == "room_without_dorm_head"] == ["北2/103"]


def test_the_coverage_page_of_the_day_shows_the_figures_rows(term, client):
    client.force_login(term["leader"].user)
    page = client.get(f"/grid/coverage/?on=2025-09-01&college={term['college'].pk}")
    assert page.status_code == 200
    assert page.context["result"].students_fully_covered == 4
    assert page.context["result"].students_total == 5
    assert "2025-09-01 的覆盖情况" in page.content.decode()


def test_before_the_history_begins_the_start_is_todays_beds_and_says_so(term, travel):
    semester = Semester.objects.create(
        name="2024-2025学年第二学期", start=dt.date(2025, 3, 1), end=dt.date(2025, 7, 10)
    )
    figures = figures_by_key(build(college=term["college"], semester=semester))
    assert figures["coverage.start"]["detail"].endswith(
        "（住宿记录自 2025-08-20 起，该日的住宿与学籍按报告生成时估算）"
    )


def test_key_students_by_reason_and_reviews_as_of_the_semesters_end(term):
    s = term["students"]
    psych, hardship = KeyReason.objects.get(name="心理"), KeyReason.objects.get(name="经济困难")

    def change(key, day, action, reasons):
        KeyStudentChange.objects.create(
            key_student=key, at=moment(day), actor_name="x", action=action, reasons=reasons, risk_level="key"
        )

    # s1: marked 09-10 (心理), reviewed 01-05: on the list at the end, review on time.
    k1 = KeyStudent.objects.create(student=s["s1"], risk_level="key", next_review=dt.date(2026, 2, 4))
    k1.reasons.set([psych])
    change(k1, dt.date(2025, 9, 10), "mark", "心理")
    change(k1, dt.date(2026, 1, 5), "review", "心理")
    # s3: marked 10-01 (心理、经济困难), never reviewed: on the list, overdue on 01-20.
    k3 = KeyStudent.objects.create(student=s["s3"], risk_level="key", next_review=dt.date(2025, 10, 31))
    k3.reasons.set([psych, hardship])
    change(k3, dt.date(2025, 10, 1), "mark", "心理、经济困难")
    # s4: marked 09-05, removed 12-01: not on the list at the end.
    k4 = KeyStudent.objects.create(
        student=s["s4"], risk_level="key", next_review=dt.date(2025, 10, 5), active=False
    )
    change(k4, dt.date(2025, 9, 5), "mark", "经济困难")
    change(k4, dt.date(2025, 12, 1), "remove", "经济困难")
    # s2: marked after the semester (02-10), on the list today, not at the end of term.
    k2 = KeyStudent.objects.create(student=s["s2"], risk_level="key", next_review=dt.date(2026, 3, 12))
    k2.reasons.set([hardship])
    change(k2, dt.date(2026, 2, 10), "mark", "经济困难")
    # ... and s3 left the list after the term: still counted on 01-20.
    change(k3, dt.date(2026, 2, 20), "remove", "心理、经济困难")
    KeyStudent.objects.filter(pk=k3.pk).update(active=False)

    figures = figures_by_key(build(college=term["college"], semester=term["semester"]))
    key = figures["key.by_reason"]
    assert (key["value"], key["detail"]) == (2, "2026-01-20 在册重点学生，按原因")
    rows = {r["label"]: r for r in key["rows"]}
    assert (rows["心理"]["value"], rows["经济困难"]["value"]) == (2, 1)
    reviews = figures["key.reviews"]
    assert reviews["value"] == 50.0
    assert reviews["detail"] == "2026-01-20 按期复查 1 / 在册 2 人，逾期未复查 1 人；本学期完成复查 1 次"

    # figure == rows: the lists it links to hold the same students.
    from campusgrid.dossiers.selectors import key_student_list

    leader = term["leader"].user

    def listed(url):
        from urllib.parse import parse_qs, urlsplit

        query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items() if k != "college"}
        return {k.student.student_no for k in key_student_list(user=leader, filters=query)}

    assert listed(key["url"]) == {"Hs1", "Hs3"}
    assert listed(rows["经济困难"]["url"]) == {"Hs3"}
    assert listed(reviews["url"]) == {"Hs3"}

    # the page says which day it shows, and its filters keep that day
    from django.test import Client

    client = Client()
    client.force_login(leader)
    page = client.get(key["url"]).content.decode()
    assert 'id="key-on">2026-01-20 在册的重点学生' in page
    assert '<input type="hidden" name="on" value="2026-01-20">' in page


def _leader(term):
    return term["leader"].user
