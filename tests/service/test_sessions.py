"""Sessions: the rotating attendance code, hand ticking, late and absent, hours credited once."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from campusgrid.core.errors import NotAllowed, ServiceError
from campusgrid.service import services
from campusgrid.service.models import Attendance, AttendanceStatus, HoursCredit, SessionKind
from campusgrid.service.services import codes

START = timezone.make_aware(dt.datetime(2025, 10, 15, 19, 0))


def _session(world, travel, **kwargs):
    travel(START - dt.timedelta(days=1))
    options = {
        "actor": world.counselor.user,
        "kind": SessionKind.EDUCATION,
        "title": "反诈宣传讲座",
        "topic": "反诈宣传",
        "starts_at": START,
        "ends_at": START + dt.timedelta(hours=2),
        "hours": Decimal("2"),
        "audience_classes": [world.class_a1],
    }
    options.update(kwargs)
    return services.session_create(**options)


def _code(session, moment):
    return codes.current_code(session.secret, moment)


def test_code_signs_in_an_audience_student_inside_the_window(world, travel):
    session = _session(world, travel)
    moment = travel(START - dt.timedelta(minutes=5))
    att = services.attendance_sign_in(actor=world.student.user, code=_code(session, moment))
    assert att.status == AttendanceStatus.PRESENT and att.how == "code"
    assert att.student == world.student


def test_code_after_the_late_limit_records_late(world, travel):
    session = _session(world, travel)
    moment = travel(START + dt.timedelta(minutes=25))
    att = services.attendance_sign_in(actor=world.student.user, code=_code(session, moment))
    assert att.status == AttendanceStatus.LATE


def test_code_before_the_window_is_refused(world, travel):
    session = _session(world, travel)
    moment = travel(START - dt.timedelta(minutes=40))
    with pytest.raises(ServiceError, match="签到"):
        services.attendance_sign_in(actor=world.student.user, code=_code(session, moment))
    assert not Attendance.objects.exists()


def test_code_after_the_session_is_refused_in_chinese(world, travel):
    session = _session(world, travel)
    shown = START + dt.timedelta(hours=2) - dt.timedelta(seconds=5)
    travel(START + dt.timedelta(hours=2, minutes=3))
    with pytest.raises(ServiceError, match="签到已结束"):
        services.attendance_sign_in(actor=world.student.user, code=_code(session, shown))


def test_previous_code_is_accepted_briefly_then_expires(world, travel):
    session = _session(world, travel)
    shown = START + dt.timedelta(minutes=1)
    code = _code(session, shown)
    travel(shown + dt.timedelta(seconds=codes.STEP_SECONDS))
    assert services.attendance_sign_in(actor=world.student.user, code=code).status == AttendanceStatus.PRESENT
    travel(shown + dt.timedelta(seconds=codes.STEP_SECONDS * 3))
    with pytest.raises(ServiceError, match="签到码已过期"):
        services.attendance_sign_in(actor=world.activist.user, code=code)


def test_student_outside_the_audience_is_refused(world, travel):
    session = _session(world, travel)
    moment = travel(START)
    with pytest.raises(ServiceError, match="不在“反诈宣传讲座”的参加范围内"):
        services.attendance_sign_in(actor=world.mixed_a2.user, code=_code(session, moment))


def test_another_sessions_code_is_refused(world, travel):
    mine = _session(world, travel)
    other = _session(world, travel, title="安全教育", audience_classes=[world.class_a2])
    moment = travel(START + dt.timedelta(minutes=2))
    with pytest.raises(ServiceError, match="不属于“反诈宣传讲座”"):
        services.attendance_sign_in(actor=world.student.user, code=_code(other, moment), session=mine)
    with pytest.raises(ServiceError, match="参加范围"):
        services.attendance_sign_in(actor=world.student.user, code=_code(other, moment))


def test_wrong_and_malformed_codes_name_the_field(world, travel):
    session = _session(world, travel)
    moment = travel(START)
    good = _code(session, moment)
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    with pytest.raises(ServiceError) as bad:
        services.attendance_sign_in(actor=world.student.user, code="12ab")
    assert bad.value.field == "code" and "6位数字" in bad.value.message
    with pytest.raises(ServiceError, match="签到码不正确"):
        services.attendance_sign_in(actor=world.student.user, code=wrong)


def test_signing_in_twice_keeps_one_row(world, travel):
    session = _session(world, travel)
    moment = travel(START)
    services.attendance_sign_in(actor=world.student.user, code=_code(session, moment))
    services.attendance_sign_in(actor=world.student.user, code=_code(session, moment))
    assert Attendance.objects.filter(session=session).count() == 1


def test_organiser_ticks_by_hand_and_closes_with_absent(world, travel):
    session = _session(world, travel)
    travel(START + dt.timedelta(minutes=30))
    services.attendance_record(
        actor=world.counselor.user, session=session, student=world.student, status="leave"
    )
    with pytest.raises(ServiceError, match="参加范围"):
        services.attendance_record(
            actor=world.counselor.user, session=session, student=world.mixed_a2, status="present"
        )
    with pytest.raises(ServiceError, match="补课"):
        services.attendance_record(
            actor=world.counselor.user, session=session, student=world.monitor, status="makeup"
        )
    with pytest.raises(NotAllowed):
        services.attendance_record(
            actor=world.counselor_b.user, session=session, student=world.monitor, status="present"
        )
    travel(START + dt.timedelta(hours=3))
    marked = services.attendance_close(actor=world.counselor.user, session=session)
    statuses = dict(Attendance.objects.filter(session=session).values_list("student__student_no", "status"))
    assert statuses["A1002"] == "leave"
    assert marked == len(statuses) - 1
    assert {s for no, s in statuses.items() if no != "A1002"} == {"absent"}


def test_hours_credited_once_and_corrected_with_reason(world, travel):
    session = _session(world, travel)
    moment = travel(START)
    services.attendance_sign_in(actor=world.student.user, code=_code(session, moment))
    services.attendance_sign_in(actor=world.monitor.user, code=_code(session, moment))
    with pytest.raises(ServiceError, match="活动结束后"):
        services.hours_credit(actor=world.counselor.user, session=session)
    travel(START + dt.timedelta(hours=3))
    assert len(services.hours_credit(actor=world.counselor.user, session=session)) == 2
    assert services.hours_credit(actor=world.counselor.user, session=session) == []
    assert HoursCredit.objects.filter(session=session).count() == 2
    with pytest.raises(ServiceError, match="原因"):
        services.hours_correct(
            actor=world.counselor.user, session=session, student=world.student, hours="1", reason=""
        )
    services.hours_correct(
        actor=world.counselor.user,
        session=session,
        student=world.student,
        hours="1.5",
        reason="提前离场半小时",
    )
    rows = list(HoursCredit.objects.filter(session=session, student=world.student).order_by("id"))
    assert [(r.hours, r.correction) for r in rows] == [(Decimal("2.0"), False), (Decimal("-0.5"), True)]
    assert rows[1].reason == "提前离场半小时" and rows[1].corrects == rows[0]


def test_database_refuses_a_second_original_credit(world, travel):
    session = _session(world, travel)
    HoursCredit.objects.create(session=session, student=world.student, kind="study", hours=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        HoursCredit.objects.create(session=session, student=world.student, kind="study", hours=2)
    HoursCredit.objects.create(
        session=session, student=world.student, kind="study", hours=-1, correction=True, reason="更正"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        HoursCredit.objects.create(
            session=session, student=world.student, kind="study", hours=-1, correction=True
        )
