"""Demo key students: a few files with talk records and history in the persona
counselor's classes, and one screening round for those classes (a few students
over the threshold, one crisis). Bounded work whatever the demo's size: only the
persona counselor's classes are touched, in bulk inserts."""

from __future__ import annotations

import datetime as dt
import decimal

from django.db import transaction

from campusgrid.core import clock
from campusgrid.grid.models import Post, PostKind
from campusgrid.people.models import Student, StudentStatus

from .models import (
    FollowUp,
    KeyReason,
    KeyStudent,
    KeyStudentChange,
    RiskLevel,
    ScreeningInstrument,
    ScreeningResult,
    ScreeningRound,
    TalkRecord,
    ensure_defaults,
)

FILES = [
    (
        ["心理"],
        RiskLevel.HIGH,
        "近期情绪低落、失眠，曾在朋友圈流露消极想法。每周谈话一次，联系家长共同关注。",
    ),
    (["学业困难"], RiskLevel.KEY, "上学期两门课程不及格，安排学业帮扶同学，每两周了解学习进度。"),
    (["经济困难", "家庭变故"], RiskLevel.KEY, "父亲今年重病住院，已协助申请临时困难补助，关注心理状态。"),
    (["违纪"], RiskLevel.ATTENTION, "本学期两次夜不归宿，已谈话并通报家长，关注作息。"),
    (["身心疾病"], RiskLevel.ATTENTION, "慢性病需定期复诊，与舍长保持联系，留意身体状况。"),
    (["就业困难"], RiskLevel.ATTENTION, "毕业班，求职受挫，已与党员结对帮扶。"),
]
TALKS = [
    (
        "辅导员办公室",
        "学生谈到近期压力较大，睡眠不好；已建议预约心理咨询中心，并约定下周再谈。",
        "跟进心理咨询预约情况",
    ),
    ("学生宿舍", "深入寝室了解生活情况，室友关系融洽，学生情绪较上次平稳。", "请舍长多关心，有异常及时报告"),
    ("学院谈心室", "与学生一起制定学习计划，明确每周目标；学生表示愿意配合。", "两周后检查学习计划执行情况"),
]


def build(demo) -> None:
    ensure_defaults()
    persona = demo.personas.get("counselor")
    if persona is None:
        return
    now = clock.now()
    today = clock.today()
    staff = persona.staff
    user = staff.user
    class_ids = list(
        Post.objects.current()
        .filter(kind=PostKind.COUNSELOR, staff=staff)
        .values_list("school_class_id", flat=True)
    )
    students = list(
        Student.objects.filter(school_class_id__in=class_ids, status=StudentStatus.ENROLLED)
        .order_by("student_no")
        .only("id", "student_no", "name", "school_class_id", "college_id")[:400]
    )
    if not students:
        return
    rng = demo.rng
    reasons = {r.name: r for r in KeyReason.objects.all()}
    plain = getattr(demo.personas.get("plain"), "pk", None)
    # The plain-student persona stays an ordinary student; the key students are picked from the rest.
    pool = [s for s in students if s.pk != plain]
    chosen = rng.sample(pool, min(len(FILES), len(pool)))
    with transaction.atomic():
        for index, (student, (names, level, plan)) in enumerate(zip(chosen, FILES, strict=False)):
            created = now - dt.timedelta(days=60 - index * 7)
            interval = [14, 14, 30, 30, 30, 60][index]
            last = today - dt.timedelta(days=interval - 3 + (index % 3) * 3)  # some due, one overdue
            key_file = KeyStudent.objects.create(
                student=student,
                risk_level=level,
                responsible=staff,
                review_interval_days=interval,
                last_reviewed=last,
                next_review=last + dt.timedelta(days=interval),
                follow_up_plan=plan,
                created_at=created,
                updated_at=created,
                created_by=user,
            )
            key_file.reasons.set([reasons[n] for n in names])
            text = "、".join(names)
            KeyStudentChange.objects.create(
                key_student=key_file,
                at=created,
                actor=user,
                actor_name=staff.name,
                action=KeyStudentChange.Action.MARK,
                reasons=text,
                risk_level=RiskLevel.ATTENTION if level != RiskLevel.ATTENTION else level,
                note="演示数据",
            )
            if level != RiskLevel.ATTENTION:
                KeyStudentChange.objects.create(
                    key_student=key_file,
                    at=created + dt.timedelta(days=10),
                    actor=user,
                    actor_name=staff.name,
                    action=KeyStudentChange.Action.UPDATE,
                    reasons=text,
                    risk_level=level,
                    note="谈话后调整风险等级",
                )
            TalkRecord.objects.bulk_create(
                [
                    TalkRecord(
                        student=student,
                        talked_on=today - dt.timedelta(days=40 - n * 15 - index),
                        place=place,
                        participants=staff.name,
                        summary=summary,
                        next_step=step,
                        recorded_by=user,
                        recorded_by_name=staff.name,
                        created_at=now - dt.timedelta(days=40 - n * 15 - index),
                    )
                    for n, (place, summary, step) in enumerate(TALKS[: 2 + index % 2])
                ]
            )
        _screening(demo, students, chosen, user, now)


def _screening(demo, students, key_students, user, now) -> None:
    """One UPI round over the counselor's classes: ~6% over the threshold, one crisis."""
    rng = demo.rng
    upi = ScreeningInstrument.objects.filter(name="UPI").first()
    if upi is None:
        return
    round_ = ScreeningRound.objects.create(
        semester=demo.semester,
        file_name="UPI新生心理普查（演示）.xlsx",
        imported_at=now - dt.timedelta(days=20),
        imported_by=user,
        rows=len(students),
    )
    crisis_id = key_students[0].pk if key_students else None
    rows = []
    for student in students:
        high = student.pk == crisis_id or rng.random() < 0.06
        score = rng.randint(25, 42) if high else rng.randint(0, 20)
        crisis = student.pk == crisis_id
        rows.append(
            ScreeningResult(
                round=round_,
                semester=demo.semester,
                student=student,
                instrument=upi,
                total_score=decimal.Decimal(score),
                flags="第25题阳性（有轻生念头）" if crisis else ("睡眠、情绪" if high else ""),
                crisis=crisis,
                over_threshold=score >= upi.threshold,
                follow_up=FollowUp.DONE if crisis else (FollowUp.PENDING if high else FollowUp.NONE),
                follow_up_note="已约谈并转介心理咨询中心" if crisis else "",
                followed_up_by=user if crisis else None,
                followed_up_at=now - dt.timedelta(days=19) if crisis else None,
                imported_at=round_.imported_at,
            )
        )
    ScreeningResult.objects.bulk_create(rows, batch_size=500)
    # Proposals from the screening round (and from the demo reports), as tick would make them.
    from .warnings import run_rules

    run_rules(now)
