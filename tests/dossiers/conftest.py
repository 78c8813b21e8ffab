"""Fixtures of the dossier tests: a semester, and a key-student file with a talk
record and a screening result for 张三 (A1002, 化工2401) and for 王五 (B1002,
机械2401), written through the services as a counselor would."""

import dataclasses
import datetime as dt
import decimal

import pytest

from campusgrid.dossiers import services
from campusgrid.dossiers.models import FollowUp, ScreeningInstrument, ScreeningResult, ScreeningRound
from campusgrid.org.models import Semester

TODAY = dt.date(2026, 11, 2)


@pytest.fixture
def semester(db):
    return Semester.objects.create(
        name="2026-2027学年第一学期", start=dt.date(2026, 9, 1), end=dt.date(2027, 1, 20)
    )


def screening(student, semester, *, score=30, instrument="UPI", crisis=False, flags="睡眠、情绪"):
    upi = ScreeningInstrument.objects.get(name=instrument)
    round_ = ScreeningRound.objects.create(semester=semester, file_name="测试.xlsx")
    over = decimal.Decimal(score) >= upi.threshold
    return ScreeningResult.objects.create(
        round=round_,
        semester=semester,
        student=student,
        instrument=upi,
        total_score=score,
        flags=flags,
        crisis=crisis,
        over_threshold=over,
        follow_up=FollowUp.PENDING if over or crisis else FollowUp.NONE,
    )


@dataclasses.dataclass
class Files:
    key_a: object
    key_b: object
    talk_a: object
    talk_b: object
    screening_a: object
    screening_b: object


@pytest.fixture
def files(world, semester):
    key_a = services.key_student_mark(
        actor=world.counselor.user, student=world.student, reasons=["心理", "经济困难"], risk_level="高危"
    )
    key_b = services.key_student_mark(
        actor=world.counselor_b.user, student=world.student_b, reasons=["学业困难"], risk_level="关注"
    )
    talk_a = services.talk_record_create(
        actor=world.counselor.user,
        student=world.student,
        talked_on=dt.date(2026, 10, 20),
        place="辅导员办公室",
        summary="情绪低落，失眠两周",
        next_step="预约心理咨询",
    )
    talk_b = services.talk_record_create(
        actor=world.counselor_b.user,
        student=world.student_b,
        talked_on=dt.date(2026, 10, 21),
        place="学生宿舍",
        summary="学业压力大，挂科两门",
    )
    return Files(
        key_a=key_a,
        key_b=key_b,
        talk_a=talk_a,
        talk_b=talk_b,
        screening_a=screening(world.student, semester, score=32),
        screening_b=screening(world.student_b, semester, score=28),
    )
