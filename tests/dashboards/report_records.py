"""Known records for the semester report of 化工学院 (college A of tests/world.py): every
figure's expected value follows from these by hand (see test_report_figures.py)."""

import datetime as dt
import decimal

from django.utils import timezone

from campusgrid.dossiers.models import (
    FollowUp,
    KeyReason,
    KeyStudent,
    KeyStudentChange,
    ScreeningInstrument,
    ScreeningResult,
    ScreeningRound,
)
from campusgrid.grid.models import Post, PostKind
from campusgrid.ledgers.models import (
    Finding,
    Inspection,
    InspectionItem,
    InspectionRound,
    NightCheck,
    NightCheckEntry,
    NightStatus,
    RoomRating,
    RoundKind,
)
from campusgrid.org.models import Semester
from campusgrid.reports.models import Category, Report, ReportEvent

from .. import factories as f

SEMESTER_NAME = "2025-2026学年第一学期"


def at(day: dt.date, hour: int = 8) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


def build(w) -> dict:
    semester = Semester.objects.create(
        name=SEMESTER_NAME, start=dt.date(2025, 9, 1), end=dt.date(2026, 1, 20)
    )
    east = w.room_a1.building
    # Two more rooms of college A, one student each and no dorm head: 5 occupied rooms.
    extra = [f.RoomFactory(building=east, number=n) for n in ("304", "305")]
    for i, room in enumerate(extra):
        f.StudentFactory(student_no=f"A30{i}", name=f"新生{i}", school_class=w.class_a1, room=room)
    # 东1/303's dorm head leaves on 2025-12-01: the end of term has one room fewer led.
    Post.objects.filter(kind=PostKind.DORM_HEAD, room=w.room_a2).update(end_date=dt.date(2025, 12, 1))
    rooms_a = [w.room_a1, w.room_mixed, w.room_a2, *extra]

    # Inspections: 5/5 rooms with an illegal appliance in the first round, 2/5 in the last
    # (−60%); a round before the term and college B's room are left out.
    illegal = InspectionItem.objects.get(name="违章电器")
    smoking = InspectionItem.objects.get(name="吸烟")

    def round_(title, day, rooms, illegal_rooms, other=()):
        r = InspectionRound.objects.create(
            title=title, kind=RoundKind.SAFETY, date=day, semester=semester if day >= semester.start else None
        )
        for room in rooms:
            inspection = Inspection.objects.create(
                round=r, room=room, state=Inspection.State.DONE, inspected_at=at(day)
            )
            for item in ([illegal] if room in illegal_rooms else []) + ([smoking] if room in other else []):
                Finding.objects.create(
                    inspection=inspection, room=room, item=item, deadline=day + dt.timedelta(days=3)
                )
        return r

    before = round_("暑期检查", dt.date(2025, 8, 20), rooms_a, [])
    first = round_("第一轮安全检查", dt.date(2025, 10, 10), rooms_a, rooms_a)
    middle = round_("第二轮安全检查", dt.date(2025, 11, 10), rooms_a, rooms_a[:3], other=rooms_a[3:])
    last = round_(
        "第三轮安全检查", dt.date(2025, 12, 10), [*rooms_a, w.room_b1], [w.room_a1, w.room_a2, w.room_b1]
    )

    # Night checks of 东1/301 (4 students) on 3 nights: 1 absence in 12 student-nights;
    # an absence after the term does not count.
    members = [w.dorm_head, w.student, w.activist, w.monitor]
    for day, absent in [
        (dt.date(2025, 10, 1), w.student),
        (dt.date(2025, 10, 2), None),
        (dt.date(2025, 10, 3), None),
        (dt.date(2026, 2, 1), w.student),
    ]:
        check = NightCheck.objects.create(room=w.room_a1, date=day, checked_at=at(day, 22))
        for member in members:
            status = NightStatus.ABSENT if member == absent else NightStatus.PRESENT
            NightCheckEntry.objects.create(night_check=check, student=member, date=day, status=status)

    # Reports: two 违章电器 (accepted after 1 h and 3 h, handled after 5 h in time and 30 h
    # late), one 夜不归宿 accepted after 2 h and escalated; college B's and one after the term
    # are left out.
    appliance = Category.objects.get(name="违章电器")
    absence = Category.objects.get(name="夜不归宿")

    def report(category, created, college, accept=None, handle=None, due_hours=24):
        r = Report.objects.create(
            category=category,
            college=college,
            description="测试",
            reporter=w.dorm_head.user,
            reporter_name="舍长甲",
            created_at=created,
            handle_due=created + dt.timedelta(hours=due_hours),
        )
        for action, to_state, hours in (("accept", "accepted", accept), ("handle", "handled", handle)):
            if hours is not None:
                ReportEvent.objects.create(
                    report=r,
                    at=created + dt.timedelta(hours=hours),
                    actor_name="x",
                    action=action,
                    to_state=to_state,
                )
        return r

    r1 = report(appliance, at(dt.date(2025, 10, 1)), w.college_a, accept=1, handle=5)
    r2 = report(appliance, at(dt.date(2025, 10, 2)), w.college_a, accept=3, handle=30)
    r3 = report(absence, at(dt.date(2025, 11, 1)), w.college_a, accept=2)
    report(absence, at(dt.date(2025, 11, 1)), w.college_b, accept=1, handle=2)
    report(appliance, at(dt.date(2026, 3, 1)), w.college_a, accept=1, handle=2)
    ReportEvent.objects.create(
        report=r3, actor_name="x", action="escalate", to_state="reported", from_level=1, to_level=3
    )
    ReportEvent.objects.create(
        report=r2, actor_name="系统", action="auto_escalate", to_state="reported", from_level=3, to_level=4
    )
    ReportEvent.objects.create(
        report=r1, actor_name="x", action="transfer", to_state="reported", from_level=1, to_level=1
    )

    # Key students: 张三 (心理, 经济困难; review overdue) and 李四 (心理; review not yet due).
    psych, hardship = KeyReason.objects.get(name="心理"), KeyReason.objects.get(name="经济困难")
    key_1 = KeyStudent.objects.create(student=w.student, risk_level="high", next_review=dt.date(2026, 1, 1))
    key_1.reasons.set([psych, hardship])
    key_2 = KeyStudent.objects.create(
        student=w.mixed_a2, risk_level="key", next_review=dt.date(2026, 2, 1), review_interval_days=90
    )
    key_2.reasons.set([psych])
    # Their 列入重点名单 as the service records it (the semester's figures read the 变更记录).
    for key, reasons in ((key_1, "心理、经济困难"), (key_2, "心理")):
        KeyStudentChange.objects.create(
            key_student=key,
            at=at(dt.date(2025, 9, 10)),
            actor_name="x",
            action="mark",
            reasons=reasons,
            risk_level=key.risk_level,
        )
    KeyStudentChange.objects.create(
        key_student=key_2,
        at=at(dt.date(2025, 11, 5)),
        actor_name="x",
        action="review",
        reasons="心理",
        risk_level="key",
    )
    key_b = KeyStudent.objects.create(student=w.student_b, risk_level="key", next_review=dt.date(2025, 10, 1))
    key_b.reasons.set([psych])

    # Screening: three over the threshold in college A, one followed up.
    upi = ScreeningInstrument.objects.get(name="UPI")
    screening_round = ScreeningRound.objects.create(semester=semester)
    for student, follow_up in [
        (w.student, FollowUp.DONE),
        (w.mixed_a2, FollowUp.PENDING),
        (w.monitor, FollowUp.PENDING),
        (w.student_b, FollowUp.DONE),
    ]:
        ScreeningResult.objects.create(
            round=screening_round,
            semester=semester,
            student=student,
            instrument=upi,
            total_score=decimal.Decimal(30),
            over_threshold=True,
            follow_up=follow_up,
        )
    ScreeningResult.objects.create(
        round=screening_round,
        semester=semester,
        student=w.activist,
        instrument=upi,
        total_score=decimal.Decimal(5),
        over_threshold=False,
        follow_up=FollowUp.NONE,
    )

    # Ratings: one 文明宿舍 (also 示范寝室, five stars) of two rated rooms.
    RoomRating.objects.create(
        room=w.room_a1,
        semester=semester,
        inspections=3,
        average_score=96,
        stars=5,
        civil=True,
        model_room=True,
        building_rank=1,
    )
    RoomRating.objects.create(
        room=w.room_mixed, semester=semester, inspections=3, average_score=70, stars=2, building_rank=2
    )
    return {
        "semester": semester,
        "first": first,
        "middle": middle,
        "last": last,
        "before": before,
        "appliance": appliance,
        "absence": absence,
    }
