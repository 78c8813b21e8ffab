"""Known volunteer activities, attendance, hours, served students and class honours for
college A in the autumn term 2025 (today 2025-12-01): the records of the report's service
figures and the class honours (test_report_wiring.py, test_report_people_lists.py, which
take the fixtures `semester` and `records` from here)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from campusgrid.dashboards.models import ClassHonour
from campusgrid.org.models import Semester
from campusgrid.service.models import Attendance, HoursCredit, Session, VolunteerTeam

D = dt.date


@pytest.fixture(name="semester")
def semester_fixture(db, travel):
    travel(at(D(2025, 12, 1), 9))
    return Semester.objects.create(name="2025-2026学年第一学期", start=D(2025, 9, 1), end=D(2026, 1, 17))


@pytest.fixture(name="records")
def records_fixture(world, semester):
    return build(world, semester)


def at(day, hour=14):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def build(world, semester):
    team = VolunteerTeam.objects.create(college=world.college_a, name="平安公寓服务队", theme="平安公寓")

    def session(day, *, college=world.college_a, kind="volunteer", served=(), served_count=0):
        row = Session.objects.create(
            kind=kind,
            title=f"活动 {day}",
            college=college,
            organiser=world.counselor.user,
            starts_at=at(day),
            ends_at=at(day, 16),
            hours=2,
            semester=semester if semester.start <= day <= semester.end else None,
            team=team if college == world.college_a and kind == "volunteer" else None,
            served_count=served_count,
        )
        row.served_students.set(served)
        return row

    one = session(D(2025, 9, 10), served=[world.student, world.mixed_a2], served_count=5)
    two = session(D(2025, 11, 5), served=[world.student], served_count=3)
    session(D(2025, 12, 20), served=[world.mixed_a2], served_count=9)  # after today: not yet held
    session(D(2025, 8, 20), served_count=4)  # before the term
    session(D(2025, 10, 1), kind="education")  # not a volunteer activity
    session(D(2025, 10, 2), college=world.college_b, served=[world.dorm_head_b], served_count=7)
    Attendance.objects.create(session=one, student=world.dorm_head, status="present")
    Attendance.objects.create(session=one, student=world.monitor, status="late")
    Attendance.objects.create(session=one, student=world.mixed_a2, status="absent")  # did not take part
    Attendance.objects.create(session=two, staff=world.counselor, status="present")
    original = HoursCredit.objects.create(
        session=one, student=world.dorm_head, kind="volunteer", hours=Decimal(2), semester=semester
    )
    HoursCredit.objects.create(
        session=one,
        student=world.dorm_head,
        kind="volunteer",
        hours=Decimal("-0.5"),
        correction=True,
        corrects=original,
        reason="迟到",
        semester=semester,
    )
    HoursCredit.objects.create(
        session=two, student=world.dorm_head_mixed, kind="volunteer", hours=Decimal(2), semester=semester
    )

    def honour(school_class, kind, state="approved", **extra):
        return ClassHonour.objects.create(
            semester=semester,
            school_class=school_class,
            college=school_class.college,
            kind=kind,
            state=state,
            reason="记录优良",
            **extra,
        )

    honour(world.class_a1, "study_style", rank=1)
    honour(world.class_a2, "study_style", rank=2)
    honour(world.class_a1, "sanjie", rank=1)
    honour(world.class_a2, "sanjie", state="proposed")  # not decided: not counted
    honour(world.class_b1, "study_style")  # another college
    return {"one": one, "two": two}
