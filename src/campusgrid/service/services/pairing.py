"""Every write of 党员结对帮扶就业: marking employment difficulty (dossiers' key-student reason
就业困难, through dossiers' own service), pairing a party member, contacts, the outcome, job
posts, and the `tick` flag of pairings without contact for the configured days."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import partial

from django.db import IntegrityError, transaction
from django.urls import reverse

from campusgrid.core import clock
from campusgrid.core.audit import audit_record
from campusgrid.core.errors import Conflict, NotAllowed, ServiceError
from campusgrid.core.names import person_name
from campusgrid.core.scoping import scope_for
from campusgrid.grid.models import PostKind
from campusgrid.grid.selectors import holders_by, post_holders
from campusgrid.notifications.services import notify
from campusgrid.people.models import PARTY_MEMBERS, Staff, Student

from .. import policy_more as policy
from ..models import ContactWay, JobPost, Outcome, Pairing, PairingContact, PairingSettings
from ..models.pairing import DIFFICULTY_REASON

OUTSIDE_TEXT = "CampusGrid 有结对帮扶提醒，请登录系统查看"


def employment_difficulty_mark(*, actor, student: Student, note: str = ""):
    """标记就业困难: the key-student reason 就业困难 added to the student's file (a new file at
    关注 when there is none), by dossiers' key_student_mark, so the dossier keeps its history."""
    from campusgrid.dossiers.models import KeyStudent, RiskLevel
    from campusgrid.dossiers.services import key_student_mark

    if not scope_for(actor).is_manager_of(student):
        raise NotAllowed("只有该学生的辅导员、班主任、学院领导或学工部可以标记就业困难")
    existing = KeyStudent.objects.filter(student=student).prefetch_related("reasons").first()
    reasons = [DIFFICULTY_REASON]
    level = RiskLevel.ATTENTION
    version = None
    if existing is not None and existing.active:
        reasons += [r.name for r in existing.reasons.all() if r.name != DIFFICULTY_REASON]
        level = existing.risk_level
        version = existing.version
    return key_student_mark(
        actor=actor,
        student=student,
        reasons=reasons,
        risk_level=level,
        note=note or "标记就业困难（结对帮扶就业）",
        expected_version=version,
    )


def mentor_by_number(number: str):
    """A party member by 学号 or 工号: a student whose political status is a member, or a staff member."""
    number = (number or "").strip()
    if not number:
        raise ServiceError("请填写结对党员的学号或工号", field="mentor")
    student = Student.objects.filter(student_no=number).select_related("user").first()
    if student is not None:
        if student.political_status not in PARTY_MEMBERS:
            raise ServiceError(f"{student.name}不是党员（含预备党员），不能结对帮扶", field="mentor")
        if not student.is_enrolled or student.user_id is None:
            raise ServiceError(f"{student.name}不在校或没有登录账号", field="mentor")
        return student.user
    staff = Staff.objects.filter(staff_no=number, active=True).select_related("user").first()
    if staff is not None and staff.user_id:
        return staff.user
    raise ServiceError(f"找不到学号或工号为“{number}”的党员", field="mentor")


def pairing_create(*, actor, student: Student, mentor, goal: str) -> Pairing:
    """结对: a party member with a student marked 就业困难."""
    from campusgrid.dossiers.models import KeyStudent

    if not scope_for(actor).is_manager_of(student):
        raise NotAllowed("只有该学生的辅导员、班主任、学院领导或学工部可以安排结对")
    goal = (goal or "").strip()
    if len(goal) < 2:
        raise ServiceError("请填写帮扶目标", field="goal")
    if len(goal) > 255:
        raise ServiceError("帮扶目标最多255字", field="goal")
    if mentor.pk == student.user_id:
        raise ServiceError("不能与自己结对", field="mentor")
    marked = KeyStudent.objects.filter(student=student, active=True, reasons__name=DIFFICULTY_REASON).exists()
    if not marked:
        raise ServiceError(f"{student.name}未标记就业困难，请先标记", field="student")
    today = clock.today()
    try:
        with transaction.atomic():
            pairing = Pairing.objects.create(
                student=student,
                mentor=mentor,
                mentor_name=person_name(mentor),
                goal=goal,
                started_on=today,
                last_contact_on=today,
                created_by=actor,
            )
            audit_record(
                actor=actor,
                verb="pairing.create",
                target=pairing,
                summary=f"{pairing.mentor_name} 结对 {student.student_no}",
                student_no=student.student_no,
            )
            url = reverse("service:pairing-detail", args=[pairing.pk])
            transaction.on_commit(
                lambda: notify(
                    users=[mentor],
                    title=f"您已与{student.name}结对帮扶就业：{goal}",
                    url=url,
                    outside_text=OUTSIDE_TEXT,
                )
            )
    except IntegrityError:
        # The unique student: someone paired them a moment ago.
        raise Conflict(f"{student.name}已有结对党员")
    return pairing


def pairing_contact_add(
    *, actor, pairing: Pairing, contacted_on: dt.date, way: str, content: str, next_step: str = ""
) -> PairingContact:
    """联系记录 by the mentor (or the counselor); the pairing's last contact moves with it."""
    if not policy.may_record_contact(actor, pairing):
        raise NotAllowed("只有结对党员或该学生的辅导员可以记录联系")
    errors = {}
    content = (content or "").strip()
    next_step = (next_step or "").strip()
    if contacted_on is None:
        errors["contacted_on"] = "请填写联系日期"
    elif contacted_on > clock.today():
        errors["contacted_on"] = "联系日期不能晚于今天"
    elif contacted_on < pairing.started_on:
        errors["contacted_on"] = "联系日期不能早于结对日期"
    if way not in ContactWay.values:
        errors["way"] = "请选择联系方式"
    if len(content) < 2:
        errors["content"] = "请填写沟通内容"
    elif len(content) > 2000:
        errors["content"] = "沟通内容最多2000字"
    if len(next_step) > 255:
        errors["next_step"] = "下一步最多255字"
    if errors:
        first = next(iter(errors))
        raise ServiceError(errors[first], field=first, errors=errors)
    with transaction.atomic():
        # Lock the pairing: two contacts recorded at once must leave the later date as the last.
        locked = Pairing.objects.select_for_update(of=("self",)).get(pk=pairing.pk)
        contact = PairingContact.objects.create(
            pairing=locked,
            contacted_on=contacted_on,
            way=way,
            content=content,
            next_step=next_step,
            recorded_by=actor,
            recorded_by_name=person_name(actor),
        )
        if contacted_on > locked.last_contact_on:
            locked.last_contact_on = contacted_on
            locked.version += 1
            locked.save(update_fields=["last_contact_on", "version"])
        audit_record(
            actor=actor,
            verb="pairing.contact",
            target=locked,
            summary=f"{contacted_on} {contact.get_way_display()}",
        )
    return contact


def pairing_outcome_set(
    *,
    actor,
    pairing: Pairing,
    outcome: str,
    outcome_on: dt.date | None,
    note: str = "",
    expected_version=None,
) -> Pairing:
    """去向: 签约、升学、出国、灵活就业 (with the date), or back to 待就业."""
    if not policy.may_record_contact(actor, pairing):
        raise NotAllowed("只有结对党员或该学生的辅导员可以登记去向")
    if outcome not in Outcome.values:
        raise ServiceError("去向应为：签约、升学、出国、灵活就业或待就业", field="outcome")
    if outcome != Outcome.PENDING:
        if outcome_on is None:
            raise ServiceError("请填写去向日期", field="outcome_on")
        if outcome_on > clock.today():
            raise ServiceError("去向日期不能晚于今天", field="outcome_on")
    note = (note or "").strip()[:255]
    with transaction.atomic():
        locked = Pairing.objects.select_for_update(of=("self",)).get(pk=pairing.pk)
        locked.check_version(expected_version)
        locked.outcome = outcome
        locked.outcome_on = outcome_on if outcome != Outcome.PENDING else None
        locked.outcome_note = note
        locked.version += 1
        locked.save(update_fields=["outcome", "outcome_on", "outcome_note", "version"])
        audit_record(actor=actor, verb="pairing.outcome", target=locked, summary=locked.get_outcome_display())
    return locked


def job_post_create(
    *,
    actor,
    college,
    company: str,
    position: str,
    majors,
    deadline: dt.date,
    link: str = "",
    note: str = "",
    grade_year: int | None = None,
) -> JobPost:
    """招聘信息, published to the graduating classes (this year's graduating grade by default)
    of the majors it fits."""
    if not policy.may_manage_pairings(actor):
        raise NotAllowed("只有辅导员、学院领导或学工部可以发布招聘信息")
    majors = list(majors or [])
    errors = {}
    company, position = (company or "").strip(), (position or "").strip()
    if not company:
        errors["company"] = "请填写单位"
    if not position:
        errors["position"] = "请填写岗位"
    if not majors:
        errors["majors"] = "请至少选择一个专业"
    elif any(m.college_id != college.pk for m in majors):
        errors["majors"] = "只能选择本学院的专业"
    if deadline is None:
        errors["deadline"] = "请填写截止日期"
    elif deadline < clock.today():
        errors["deadline"] = "截止日期不能早于今天"
    link = (link or "").strip()
    if link and not link.startswith(("https://", "http://")):
        errors["link"] = "链接应以 http:// 或 https:// 开头"
    if errors:
        first = next(iter(errors))
        raise ServiceError(errors[first], field=first, errors=errors)
    year = grade_year or PairingSettings.get().graduating_year()
    with transaction.atomic():
        post = JobPost.objects.create(
            college=college,
            company=company[:100],
            position=position[:100],
            grade_year=year,
            deadline=deadline,
            link=link[:500],
            note=(note or "").strip()[:255],
            created_by=actor,
            created_by_name=person_name(actor),
        )
        post.majors.set(majors)
        audit_record(actor=actor, verb="job_post.create", target=post, summary=str(post))
    return post


# --- tick ------------------------------------------------------------------------------------------


def pairing_flag_quiet(now: dt.datetime | None = None) -> int:
    """A pending pairing without contact for `quiet_days` is told to the student's counselors,
    once per quiet stretch: `quiet_flagged_for` keeps the last-contact date it was flagged for,
    so a second tick (or a later one before a new contact) does nothing."""
    from django.db.models import F, Q

    now = now or clock.now()
    quiet = list(
        Pairing.objects.quiet(now)
        .filter(Q(quiet_flagged_for__isnull=True) | ~Q(quiet_flagged_for=F("last_contact_on")))
        .select_related("student")
    )
    if not quiet:
        return 0
    done = 0
    days = PairingSettings.get().quiet_days
    flagged = []
    with transaction.atomic():
        for pairing in quiet:
            # Flag under a conditional update: a concurrent tick updates 0 rows and tells nobody.
            updated = (
                Pairing.objects.filter(pk=pairing.pk, last_contact_on=pairing.last_contact_on)
                .exclude(quiet_flagged_for=pairing.last_contact_on)
                .update(quiet_flagged_for=pairing.last_contact_on)
            )
            if updated:
                flagged.append(pairing)
                done += 1
        counselors = holders_by(
            post_holders(kinds=[PostKind.COUNSELOR], classes={p.student.school_class_id for p in flagged}),
            "school_class_id",
        )
        per_user = defaultdict(list)
        users = {}
        for pairing in flagged:
            for user in counselors.get(pairing.student.school_class_id, []) or []:
                per_user[user.pk].append(pairing)
                users[user.pk] = user
        url = reverse("service:pairing-list") + "?quiet=1"
        for user_id, rows in per_user.items():
            names = "、".join(f"{p.mentor_name}—{p.student.name}" for p in rows[:8]) + (
                "等" if len(rows) > 8 else ""
            )
            transaction.on_commit(
                partial(
                    notify,
                    users=[users[user_id]],
                    title=f"{len(rows)}对结对帮扶已超过{days}天没有联系记录：{names}",
                    url=url,
                    outside_text=OUTSIDE_TEXT,
                )
            )
    return done
