"""Every write of the dossiers app: the key list and its history, reviews, talk
records, screening follow-up, deciding early-warning proposals, access grants,
and the review reminders run by `campusgrid tick`.

Audit events name what was done to whom, never the sensitive content itself
(reasons, summaries and flags stay in the encrypted or access-controlled rows)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse

from campusgrid.core import clock
from campusgrid.core.audit import audit_record
from campusgrid.core.errors import Conflict, NotAllowed, ServiceError
from campusgrid.core.excel import person_name
from campusgrid.grid.models import AccessGrant, PostKind
from campusgrid.grid.selectors import holders_by, post_holders
from campusgrid.notifications.services import notify
from campusgrid.people.models import Staff, Student

from .models import (
    FollowUp,
    KeyReason,
    KeyStudent,
    KeyStudentChange,
    ProposalState,
    RiskLevel,
    ScreeningResult,
    TalkRecord,
    WarningProposal,
)
from .policy import may_grant, may_manage_dossier

OUTSIDE_TEXT = "CampusGrid 有新的待办提醒，请登录系统查看"  # group robots get no personal data
MAX_GRANT_DAYS = 366


def _require_manage(actor, student: Student) -> None:
    if not may_manage_dossier(actor, student):
        raise NotAllowed("只有该学生的辅导员、班主任、学院领导或学工部可以操作重点学生档案")


def dossier_url(student: Student) -> str:
    return reverse("dossiers:dossier", args=[student.student_no])


# --- the key list ----------------------------------------------------------------------------


def _reasons(values: Iterable) -> list[KeyReason]:
    values = list(values or [])
    if not values:
        raise ServiceError("请至少选择一个原因", field="reasons")
    found, unknown = [], []
    by_name = {r.name: r for r in KeyReason.objects.filter(active=True)}
    by_id = {str(r.pk): r for r in by_name.values()}
    for value in values:
        if isinstance(value, KeyReason):
            found.append(value)
            continue
        text = str(value).strip()
        reason = by_name.get(text) or by_id.get(text)
        if reason is None:
            unknown.append(text)
        else:
            found.append(reason)
    if unknown:
        names = "、".join(by_name)
        raise ServiceError(f"未知的原因：{'、'.join(unknown)}（可选：{names}）", field="reasons")
    return list({r.pk: r for r in found}.values())


def _level(value: str) -> str:
    level = RiskLevel.from_label(value)
    if level is None:
        raise ServiceError("风险等级应为：关注、重点关注或高危", field="risk_level")
    return level


def _interval(value) -> int:
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise ServiceError("复查间隔应为天数", field="review_interval_days")
    if not 1 <= days <= 365:
        raise ServiceError("复查间隔应在1到365天之间", field="review_interval_days")
    return days


def _responsible(value, actor) -> Staff | None:
    if value is None:
        return getattr(actor, "staff", None)
    if not isinstance(value, Staff):
        found = Staff.objects.filter(staff_no=str(value).strip()).first()
        if found is None:
            raise ServiceError(f"找不到工号为“{value}”的教职工", field="responsible")
        value = found
    if not value.active:
        raise ServiceError(f"{value.name}已不在职，不能作为负责人", field="responsible")
    return value


def _history(key_student: KeyStudent, actor, action: str, note: str = "", at=None) -> KeyStudentChange:
    return KeyStudentChange.objects.create(
        key_student=key_student,
        at=at or clock.now(),
        actor=actor,
        actor_name=person_name(actor),
        action=action,
        reasons=key_student.reasons_text()[:255],
        risk_level=key_student.risk_level,
        note=note,
    )


def key_student_mark(
    *,
    actor,
    student: Student,
    reasons: Iterable,
    risk_level: str,
    responsible=None,
    review_interval_days: int | None = None,
    next_review: dt.date | None = None,
    follow_up_plan: str | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> KeyStudent:
    """列入重点学生, or change the file of one already on the list (reasons, level,
    responsible worker, review interval, plan); a removed file is restored. Reason
    and level changes are kept in the file's history."""
    _require_manage(actor, student)
    reason_list = _reasons(reasons)
    level = _level(risk_level)
    interval = _interval(review_interval_days) if review_interval_days is not None else None
    worker = _responsible(responsible, actor)
    today = clock.today()
    if next_review is not None and next_review < today:
        raise ServiceError("下次复查日期不能早于今天", field="next_review")
    now = clock.now()
    try:
        with transaction.atomic():
            # Lock the file: two counselors saving at once must not both pass the version check.
            existing = KeyStudent.objects.select_for_update().filter(student=student).first()
            if existing is None:
                interval = interval or 30
                key_student = KeyStudent.objects.create(
                    student=student,
                    risk_level=level,
                    responsible=worker,
                    review_interval_days=interval,
                    next_review=next_review or today + dt.timedelta(days=interval),
                    follow_up_plan=follow_up_plan or "",
                    created_by=actor,
                    created_at=now,
                    updated_at=now,
                )
                key_student.reasons.set(reason_list)
                _history(key_student, actor, KeyStudentChange.Action.MARK, note, at=now)
                verb = "mark"
            else:
                key_student = existing
                key_student.check_version(expected_version)
                before = (set(key_student.reasons.values_list("pk", flat=True)), key_student.risk_level)
                restoring = not key_student.active
                fields = ["risk_level", "responsible", "updated_at", "version"]
                key_student.risk_level = level
                key_student.responsible = (
                    worker if responsible is not None or restoring else key_student.responsible
                )
                if interval is not None and interval != key_student.review_interval_days:
                    key_student.review_interval_days = interval
                    key_student.next_review = (key_student.last_reviewed or today) + dt.timedelta(
                        days=interval
                    )
                    fields += ["review_interval_days", "next_review"]
                if restoring:
                    key_student.active = True
                    key_student.removed_at = None
                    key_student.removed_reason = ""
                    key_student.next_review = today + dt.timedelta(days=key_student.review_interval_days)
                    fields += ["active", "removed_at", "removed_reason", "next_review"]
                if next_review is not None:
                    key_student.next_review = next_review
                    fields.append("next_review")
                if follow_up_plan is not None:
                    key_student.follow_up_plan = follow_up_plan
                    fields.append("follow_up_plan")
                key_student.updated_at = now
                key_student.version += 1
                key_student.save(update_fields=sorted(set(fields)))
                key_student.reasons.set(reason_list)
                changed = before != ({r.pk for r in reason_list}, level)
                if restoring:
                    _history(key_student, actor, KeyStudentChange.Action.RESTORE, note, at=now)
                elif changed or note:
                    _history(key_student, actor, KeyStudentChange.Action.UPDATE, note, at=now)
                verb = "restore" if restoring else "update"
            audit_record(
                actor=actor,
                verb=f"key_student.{verb}",
                target=key_student,
                summary=f"{student.name}（{student.student_no}）",
                student_no=student.student_no,
            )
    except IntegrityError:
        # Two counselors listed the same student at the same moment: one file wins.
        raise Conflict("该学生刚刚已被他人列入重点名单，请刷新页面后再修改。")
    return key_student


def key_student_remove(*, actor, key_student: KeyStudent, reason: str, expected_version=None) -> KeyStudent:
    """移出重点名单: the file, its history and talk records are kept."""
    _require_manage(actor, key_student.student)
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ServiceError("请填写移出原因", field="reason")
    now = clock.now()
    with transaction.atomic():
        locked = KeyStudent.objects.select_for_update().get(pk=key_student.pk)
        locked.check_version(expected_version)
        if not locked.active:
            raise Conflict("该学生已不在重点名单中")
        locked.active = False
        locked.removed_at = now
        locked.removed_reason = reason[:255]
        locked.updated_at = now
        locked.version += 1
        locked.save(update_fields=["active", "removed_at", "removed_reason", "updated_at", "version"])
        _history(locked, actor, KeyStudentChange.Action.REMOVE, reason, at=now)
        audit_record(
            actor=actor,
            verb="key_student.remove",
            target=locked,
            summary=f"{locked.student.name}（{locked.student.student_no}）",
        )
    return locked


def key_student_review(
    *, actor, key_student: KeyStudent, note: str, risk_level: str | None = None, expected_version=None
) -> KeyStudent:
    """复查: record how the student is doing; the next review is one interval later."""
    _require_manage(actor, key_student.student)
    note = (note or "").strip()
    if len(note) < 2:
        raise ServiceError("请填写复查情况", field="note")
    level = _level(risk_level) if risk_level else None
    today = clock.today()
    now = clock.now()
    with transaction.atomic():
        locked = KeyStudent.objects.select_for_update().get(pk=key_student.pk)
        locked.check_version(expected_version)
        if not locked.active:
            raise Conflict("该学生已不在重点名单中，不需要复查")
        locked.last_reviewed = today
        locked.next_review = today + dt.timedelta(days=locked.review_interval_days)
        if level:
            locked.risk_level = level
        locked.updated_at = now
        locked.version += 1
        locked.save(update_fields=["last_reviewed", "next_review", "risk_level", "updated_at", "version"])
        _history(locked, actor, KeyStudentChange.Action.REVIEW, note, at=now)
        audit_record(
            actor=actor,
            verb="key_student.review",
            target=locked,
            summary=f"{locked.student.name}（{locked.student.student_no}）",
        )
    return locked


# --- talk records ----------------------------------------------------------------------------


def talk_record_create(
    *,
    actor,
    student: Student,
    talked_on: dt.date,
    place: str,
    summary: str,
    participants: str = "",
    next_step: str = "",
) -> TalkRecord:
    """谈心谈话: date, place, who, summary (encrypted at rest), next step."""
    _require_manage(actor, student)
    if talked_on is None:
        raise ServiceError("请填写谈话日期", field="talked_on")
    if talked_on > clock.today():
        raise ServiceError("谈话日期不能晚于今天", field="talked_on")
    place = (place or "").strip()
    summary = (summary or "").strip()
    if not place:
        raise ServiceError("请填写谈话地点", field="place")
    if len(summary) < 2:
        raise ServiceError("请填写谈话内容摘要", field="summary")
    participants = (participants or "").strip() or person_name(actor)
    with transaction.atomic():
        record = TalkRecord.objects.create(
            student=student,
            talked_on=talked_on,
            place=place[:64],
            participants=participants[:128],
            summary=summary,
            next_step=(next_step or "").strip(),
            recorded_by=actor,
            recorded_by_name=person_name(actor),
        )
        audit_record(
            actor=actor,
            verb="talk_record.create",
            target=record,
            summary=f"{student.name}（{student.student_no}）{talked_on}",
        )
    return record


# --- screening follow-up ---------------------------------------------------------------------


def screening_follow_up(*, actor, result: ScreeningResult, note: str) -> ScreeningResult:
    """跟进: the counselor has talked to a student over the threshold."""
    _require_manage(actor, result.student)
    note = (note or "").strip()
    if len(note) < 2:
        raise ServiceError("请填写跟进情况", field="note")
    with transaction.atomic():
        # Lock the row: two counselors closing the same follow-up keep one note, not a lost one.
        locked = ScreeningResult.objects.select_for_update().get(pk=result.pk)
        if locked.follow_up != FollowUp.PENDING:
            raise Conflict("该筛查结果不在待跟进名单中")
        locked.follow_up = FollowUp.DONE
        locked.follow_up_note = note
        locked.followed_up_by = actor
        locked.followed_up_at = clock.now()
        locked.save(update_fields=["follow_up", "follow_up_note", "followed_up_by", "followed_up_at"])
        audit_record(
            actor=actor,
            verb="screening.follow_up",
            target=locked,
            summary=f"{locked.student.name}（{locked.student.student_no}）",
        )
    return locked


# --- early-warning proposals -----------------------------------------------------------------


def proposal_accept(
    *,
    actor,
    proposal: WarningProposal,
    reasons: Iterable | None = None,
    risk_level: str | None = None,
    responsible=None,
    review_interval_days: int | None = None,
    note: str = "",
) -> KeyStudent:
    """采纳预警: the student is listed (or the file updated) with the rule's reason
    added and the higher of the file's and the proposal's risk level."""
    student = proposal.student
    _require_manage(actor, student)
    with transaction.atomic():
        # Lock the proposal: it is decided once, by one person.
        locked = WarningProposal.objects.select_for_update().select_related("rule").get(pk=proposal.pk)
        if locked.state != ProposalState.OPEN:
            raise Conflict("该预警已被处理")
        existing = KeyStudent.objects.filter(student=student).prefetch_related("reasons").first()
        if reasons is None:
            current = list(existing.reasons.all()) if existing and existing.active else []
            suggested = [locked.rule.suggested_reason] if locked.rule.suggested_reason_id else []
            reasons = current + suggested or [KeyReason.objects.filter(name="其他").first()]
        if risk_level is None:
            candidates = [locked.suggested_level]
            if existing and existing.active:
                candidates.append(existing.risk_level)
            risk_level = max(candidates, key=RiskLevel.rank)
        text = f"由预警“{locked.rule.name}”列入：{locked.explanation}"
        if note:
            text += f"。{note}"
        key_student = key_student_mark(
            actor=actor,
            student=student,
            reasons=reasons,
            risk_level=risk_level,
            responsible=responsible,
            review_interval_days=review_interval_days,
            note=text,
        )
        locked.state = ProposalState.ACCEPTED
        locked.decided_at = clock.now()
        locked.decided_by = actor
        locked.decision_note = note[:255]
        locked.key_student = key_student
        locked.save(update_fields=["state", "decided_at", "decided_by", "decision_note", "key_student"])
        audit_record(
            actor=actor,
            verb="warning.accept",
            target=locked,
            summary=f"{locked.rule.name}：{student.student_no}",
        )
    return key_student


def proposal_dismiss(*, actor, proposal: WarningProposal, note: str = "") -> WarningProposal:
    """忽略预警: remembered, so the same records never propose the student again."""
    _require_manage(actor, proposal.student)
    with transaction.atomic():
        locked = (
            WarningProposal.objects.select_for_update().select_related("rule", "student").get(pk=proposal.pk)
        )
        if locked.state != ProposalState.OPEN:
            raise Conflict("该预警已被处理")
        locked.state = ProposalState.DISMISSED
        locked.decided_at = clock.now()
        locked.decided_by = actor
        locked.decision_note = (note or "").strip()[:255]
        locked.save(update_fields=["state", "decided_at", "decided_by", "decision_note"])
        audit_record(
            actor=actor,
            verb="warning.dismiss",
            target=locked,
            summary=f"{locked.rule.name}：{locked.student.student_no}",
        )
    return locked


# --- access grants ---------------------------------------------------------------------------


def access_grant_create(
    *, actor, grantee: Staff, student: Student, until: dt.date, reason: str
) -> AccessGrant:
    """敏感信息授权: a staff member may read one student's sensitive data until a date."""
    if not may_grant(actor, student):
        raise NotAllowed("只有学院领导或学工部可以授权查看该学生的敏感信息")
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ServiceError("请填写授权事由", field="reason")
    today = clock.today()
    if until is None or until < today:
        raise ServiceError("截止日期不能早于今天", field="until")
    if until > today + dt.timedelta(days=MAX_GRANT_DAYS):
        raise ServiceError("授权期限最长一年", field="until")
    if grantee is None or not grantee.active or grantee.user_id is None:
        raise ServiceError("被授权人应为在职且有登录账号的教职工", field="grantee")
    with transaction.atomic():
        grant = AccessGrant.objects.create(
            user_id=grantee.user_id, student=student, until=until, reason=reason[:255], granted_by=actor
        )
        audit_record(
            actor=actor,
            verb="access_grant.create",
            target=grant,
            summary=f"{grantee.name} → {student.name}（{student.student_no}）至{until}",
        )
        transaction.on_commit(
            lambda: notify(
                users=[grant.user],
                title=f"您已获授权查看{student.name}的档案（至{until:%Y-%m-%d}）",
                body=f"事由：{reason}",
                url=dossier_url(student),
                outside_text=OUTSIDE_TEXT,
            )
        )
    return grant


def access_grant_revoke(*, actor, grant: AccessGrant) -> AccessGrant:
    """撤销授权: the grant ends yesterday (the row stays as the record of it)."""
    if not may_grant(actor, grant.student):
        raise NotAllowed("只有学院领导或学工部可以撤销授权")
    today = clock.today()
    with transaction.atomic():
        locked = AccessGrant.objects.select_for_update().get(pk=grant.pk)
        if locked.until < today:
            raise Conflict("该授权已结束")
        locked.until = today - dt.timedelta(days=1)
        locked.save(update_fields=["until"])
        audit_record(actor=actor, verb="access_grant.revoke", target=locked, summary=str(locked.student_id))
    return locked


# --- reminders (tick) ------------------------------------------------------------------------


def _class_managers(class_ids: set[int]) -> dict[int, list]:
    return holders_by(
        post_holders(kinds=[PostKind.COUNSELOR, PostKind.CLASS_TEACHER], classes=class_ids), "school_class_id"
    )


def review_reminders(now: dt.datetime | None = None) -> int:
    """复查提醒: once per due date, to the responsible worker (or, without one, the
    counselors and class teacher of the student's class). Idempotent: a file is
    reminded for its `next_review` once; a later review date is reminded again."""
    today = clock.local(now or clock.now()).date()
    due = list(
        KeyStudent.objects.filter(active=True, next_review__lte=today)
        .exclude(reminded_for=F("next_review"))
        .select_related("student", "responsible__user")
    )
    if not due:
        return 0
    managers = _class_managers({k.student.school_class_id for k in due if k.student.school_class_id})
    sent = 0
    for key_student in due:
        # The conditional update claims the reminder, so two tick runs cannot both send it.
        claimed = (
            KeyStudent.objects.filter(pk=key_student.pk, next_review=key_student.next_review)
            .exclude(reminded_for=F("next_review"))
            .update(reminded_for=F("next_review"))
        )
        if not claimed:
            continue
        worker = key_student.responsible
        users = (
            [worker.user]
            if worker is not None and worker.active and worker.user_id
            else managers.get(key_student.student.school_class_id, [])
        )
        overdue = key_student.next_review < today
        notify(
            users=users,
            title=f"重点学生复查{'已逾期' if overdue else '到期'}：{key_student.student.name}",
            body=f"应复查日期：{key_student.next_review:%Y-%m-%d}。请与学生谈话后在档案中记录复查情况。",
            url=dossier_url(key_student.student),
            outside_text=OUTSIDE_TEXT,
        )
        sent += 1
    return sent
