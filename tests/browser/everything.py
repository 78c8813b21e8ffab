"""One record of every kind over the persona world (tests/world.py), written through
the services as people would, so that every page type has something to show: a
night check, a report with a photo, leave, a holiday window and registration, an
inspection round with a finding and its photo, ratings, a key-student file with a
talk record, a screening result, a warning proposal, an access grant, notifications.

The live server runs on the real clock: dates are relative to today."""

import dataclasses
import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from campusgrid.core import clock
from campusgrid.dossiers import services as dossiers
from campusgrid.dossiers.models import WarningProposal, WarningRule
from campusgrid.grid.models import Post
from campusgrid.ledgers import services as ledgers
from campusgrid.ledgers.models import Inspection, InspectionItem, LedgerSettings
from campusgrid.notifications.models import Notification
from campusgrid.org.models import Holiday, Semester
from campusgrid.reports import services as reports
from campusgrid.reports.models import Category
from tests.dossiers.conftest import screening


def png(name="photo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@dataclasses.dataclass
class Everything:
    report: object
    photo: object
    leave: object
    window: object
    registration: object
    round: object
    inspection: object
    finding: object
    post: object
    key: object
    talk: object
    screening: object
    proposal: object
    grant: object
    notification: object
    night_check: object


def build(w) -> Everything:
    today = clock.today()
    settings = LedgerSettings.get()
    settings.check_open_time, settings.correction_cutoff = dt.time(0, 0), dt.time(0, 0)
    settings.save()
    semester = Semester.objects.create(
        name="本学期", start=today - dt.timedelta(days=60), end=today + dt.timedelta(days=60)
    )
    night = ledgers.night_check_submit(
        actor=w.dorm_head.user, room=w.room_a1, date=today, entries={"A1002": {"status": "absent"}}
    )
    category = Category.objects.exclude(name="夜不归宿").order_by("pk").first()
    report = reports.report_create(
        actor=w.dorm_head.user,
        category=category,
        severity="normal",
        description="寝室门锁坏了\n第二行",
        room=w.room_a1,
        photos=[png()],
    )
    start = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=3), dt.time(8)))
    leave = ledgers.leave_request(
        actor=w.student.user, student=w.student, start=start, end=start + dt.timedelta(days=1), reason="回家"
    )
    holiday = Holiday.objects.create(
        semester=semester, name="校庆", start=today + dt.timedelta(days=10), end=today + dt.timedelta(days=12)
    )
    window = ledgers.holiday_window_open(actor=w.counselor.user, holiday=holiday, classes=[w.class_a1])[0]
    registration = ledgers.holiday_register(
        actor=w.student.user,
        window=window,
        student=w.student,
        plan="leave",
        destination="家",
        depart_on=holiday.start,
        return_on=holiday.end,
        transport="高铁",
        emergency_contact="父亲",
        emergency_phone="13900000001",
    )
    round_ = ledgers.inspection_round_create(
        actor=w.counselor.user, title="化工检查", rooms=[w.room_a1, w.room_mixed, w.room_a2]
    )
    inspection = Inspection.objects.get(round=round_, room=w.room_a1)
    ledgers.inspection_record(actor=w.counselor.user, inspection=inspection, hygiene_score=90)
    finding = ledgers.finding_add(
        actor=w.counselor.user,
        inspection=inspection,
        item=InspectionItem.objects.get(name="违章电器"),
        photo=png(),
    )
    ledgers.room_ratings_compute(actor=w.office.user, semester=semester)
    key = dossiers.key_student_mark(
        actor=w.counselor.user,
        student=w.student,
        reasons=["心理"],
        risk_level="高危",
        follow_up_plan="每周谈话\n联系家长",
    )
    talk = dossiers.talk_record_create(
        actor=w.counselor.user, student=w.student, talked_on=today, place="办公室", summary="情绪低落\n失眠"
    )
    result = screening(w.student, semester, score=32)
    proposal = WarningProposal.objects.create(
        rule=WarningRule.objects.order_by("pk").first(),
        student=w.monitor,
        fingerprint="csp-test",
        records=[],
        explanation="测试预警",
    )
    grant = dossiers.access_grant_create(
        actor=w.leader.user,
        grantee=w.class_teacher,
        student=w.student,
        until=today + dt.timedelta(days=30),
        reason="家访",
    )
    return Everything(
        report=report,
        photo=report.photos.first(),
        leave=leave,
        window=window,
        registration=registration,
        round=round_,
        inspection=inspection,
        finding=finding,
        post=Post.objects.get(kind="monitor", school_class=w.class_a1),
        key=key,
        talk=talk,
        screening=result,
        proposal=proposal,
        grant=grant,
        notification=Notification.objects.order_by("pk").first(),
        night_check=night,
    )
