"""Leave (请假): a student asks, the counselor or class teacher decides, 销假 on
return; leave not cancelled after its end is flagged (`tick`)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from campusgrid.core import clock
from campusgrid.core.audit import audit_record
from campusgrid.core.errors import Conflict, NotAllowed, ServiceError
from campusgrid.core.validators import mobile_problem
from campusgrid.notifications.services import notify
from campusgrid.people.models import Student

from ..models import LeaveKind, LeaveRequest, LeaveState
from .common import APPROVERS, holders_by_class, manages_student, name_of
from .night import night_absences_excused

MIN_REASON = 2
MAX_DAYS = 60


def _md(moment: dt.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.month}月{local.day}日"


def _own(actor, student: Student) -> bool:
    return student.user_id is not None and student.user_id == actor.pk


def _url(leave: LeaveRequest) -> str:
    return reverse("ledgers:leave-detail", args=[leave.pk])


def leave_request(
    *,
    actor,
    student: Student,
    kind: str = LeaveKind.PERSONAL,
    start: dt.datetime,
    end: dt.datetime,
    reason: str,
    destination: str = "",
    contact: str = "",
) -> LeaveRequest:
    """A student asks for leave (or a counselor records one, approved at once)."""
    manager = manages_student(actor, student)
    if not (_own(actor, student) or manager):
        raise NotAllowed("只能为本人请假（辅导员、班主任可代为登记）")
    if not student.is_enrolled:
        raise ServiceError("该学生不在校，无需请假")
    if kind not in LeaveKind.values:
        raise ServiceError("请假类型应为 事假、病假 或 其他", field="kind")
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("请填写请假事由", field="reason")
    if len(reason) < MIN_REASON:
        raise ServiceError(f"请假事由至少{MIN_REASON}个字，请写明原因（如“回家看病”）", field="reason")
    if end <= start:
        raise ServiceError("返校时间应晚于离校时间", field="end")
    if end - start > dt.timedelta(days=MAX_DAYS):
        raise ServiceError(f"单次请假不超过{MAX_DAYS}天，更长的请办理休学等手续", field="end")
    now = clock.now()
    if end < now and not manager:
        raise ServiceError("返校时间已过，补办请假请联系辅导员", field="end")
    contact = (contact or "").strip()
    if contact and mobile_problem(contact):
        raise ServiceError("联系电话应为11位手机号", field="contact")
    with transaction.atomic():
        # Lock the student's row: two requests sent together must not both pass the overlap check.
        Student.objects.select_for_update().filter(pk=student.pk).first()
        overlap = LeaveRequest.objects.filter(
            student=student, state__in=[LeaveState.PENDING, LeaveState.APPROVED], start__lt=end, end__gt=start
        )
        if overlap.exists():
            raise Conflict("该时间段已有待审批或已批准的请假")
        leave = LeaveRequest.objects.create(
            student=student,
            kind=kind,
            start=start,
            end=end,
            reason=reason,
            destination=(destination or "").strip()[:100],
            contact=contact,
            requested_by=actor,
            requested_at=now,
        )
        if manager and not _own(actor, student):
            leave.state = LeaveState.APPROVED
            leave.decided_by, leave.decided_by_name, leave.decided_at = actor, name_of(actor), now
            leave.comment = "辅导员代为登记"
            leave.save(update_fields=["state", "decided_by", "decided_by_name", "decided_at", "comment"])
        audit_record(actor=actor, verb="leave.request", target=leave, summary=f"{student.name} 请假")
        if leave.state == LeaveState.PENDING:
            approvers = holders_by_class([student.school_class_id], APPROVERS).get(
                student.school_class_id, []
            )
            notify(
                users=approvers,
                title=f"{student.name}申请{leave.get_kind_display()}（{_md(start)}至{_md(end)}），待审批",
                url=_url(leave),
                college=student.college,
                outside_text="有一条请假申请待审批",
            )
    return leave


def leave_decide(
    *, actor, leave: LeaveRequest, approve: bool, comment: str = "", expected_version: int | None = None
) -> LeaveRequest:
    """The counselor or class teacher (or a leader) approves or refuses; refusing needs a reason."""
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ServiceError("不批准时请填写意见", field="comment")
    with transaction.atomic():
        # Lock the leave: the counselor and the class teacher deciding at once must not both win.
        locked = (
            LeaveRequest.objects.select_for_update(of=("self",)).select_related("student").get(pk=leave.pk)
        )
        if not manages_student(actor, locked.student):
            raise NotAllowed("只有该生的辅导员、班主任或学院领导可以审批")
        locked.check_version(expected_version)
        if locked.state != LeaveState.PENDING:
            raise Conflict(f"该请假当前为“{locked.get_state_display()}”，不能再审批")
        now = clock.now()
        locked.state = LeaveState.APPROVED if approve else LeaveState.REFUSED
        locked.decided_by, locked.decided_by_name, locked.decided_at = actor, name_of(actor), now
        locked.comment = comment[:255]
        locked.version += 1
        locked.save(
            update_fields=["state", "decided_by", "decided_by_name", "decided_at", "comment", "version"]
        )
        if approve:
            # Approved after the night check: the nights it covers were no absence.
            night_absences_excused(actor=actor, leave=locked)
        audit_record(
            actor=actor,
            verb=f"leave.{'approve' if approve else 'refuse'}",
            target=locked,
            summary=comment[:100],
        )
        if locked.student.user_id:
            notify(
                users=[locked.student.user],
                title=f"您的请假{'已批准' if approve else '未批准'}" + (f"：{comment}" if comment else ""),
                url=_url(locked),
                outside_text="有一条请假审批结果",  # never the comment: it may be personal
            )
    return locked


def leave_cancel(*, actor, leave: LeaveRequest) -> LeaveRequest:
    """The student withdraws a request that is pending, or approved and not begun."""
    with transaction.atomic():
        locked = (
            LeaveRequest.objects.select_for_update(of=("self",)).select_related("student").get(pk=leave.pk)
        )
        if not (_own(actor, locked.student) or manages_student(actor, locked.student)):
            raise NotAllowed("只能撤销本人的请假")
        now = clock.now()
        if locked.state == LeaveState.APPROVED and locked.start <= now:
            raise Conflict("请假已开始，返校后请销假")
        if locked.state not in (LeaveState.PENDING, LeaveState.APPROVED):
            raise Conflict(f"该请假当前为“{locked.get_state_display()}”，不能撤销")
        locked.state = LeaveState.CANCELLED
        locked.version += 1
        locked.save(update_fields=["state", "version"])
        audit_record(actor=actor, verb="leave.cancel", target=locked)
    return locked


def leave_return(*, actor, leave: LeaveRequest) -> LeaveRequest:
    """销假: the student (or their counselor) records the return."""
    with transaction.atomic():
        # Lock the leave: the student and the counselor recording the return at once.
        locked = (
            LeaveRequest.objects.select_for_update(of=("self",)).select_related("student").get(pk=leave.pk)
        )
        if not (_own(actor, locked.student) or manages_student(actor, locked.student)):
            raise NotAllowed("只能由本人或辅导员销假")
        if locked.state != LeaveState.APPROVED:
            raise Conflict(f"该请假当前为“{locked.get_state_display()}”，不能销假")
        now = clock.now()
        if now < locked.start:
            raise Conflict("请假尚未开始，如不再需要请撤销")
        locked.state = LeaveState.RETURNED
        locked.returned_at, locked.returned_by_name = now, name_of(actor)
        locked.version += 1
        locked.save(update_fields=["state", "returned_at", "returned_by_name", "version"])
        audit_record(actor=actor, verb="leave.return", target=locked, summary=f"{locked.student.name} 销假")
    return locked


def leave_flag_overdue(now: dt.datetime | None = None) -> int:
    """Approved leave past its end (and the grace) without 销假: tell the student and
    the approvers once (`overdue_flagged_at` records it)."""
    now = now or clock.now()
    due = LeaveRequest.objects.overdue(now).filter(overdue_flagged_at__isnull=True)
    done = 0
    for leave in due.select_related("student__user", "student__college"):
        # Claim it with a conditional update: two ticks at once must not both notify.
        claimed = LeaveRequest.objects.filter(
            Q(pk=leave.pk), Q(overdue_flagged_at__isnull=True), Q(state=LeaveState.APPROVED)
        ).update(overdue_flagged_at=now)
        if not claimed:
            continue
        student = leave.student
        approvers = holders_by_class([student.school_class_id], APPROVERS).get(student.school_class_id, [])
        notify(
            users=approvers,
            title=f"{student.name}请假已于{_md(leave.end)} {timezone.localtime(leave.end):%H:%M}到期，尚未销假",
            url=_url(leave),
            college=student.college,
            outside_text="有学生请假到期未销假",
        )
        if student.user_id:
            notify(
                users=[student.user],
                title="您的请假已到期，返校后请及时销假",
                url=_url(leave),
                outside_text="有学生请假到期，请及时销假",
            )
        done += 1
    return done
