"""Reads of leave requests (请假台账)."""

from __future__ import annotations

from campusgrid.core import clock
from campusgrid.core.scoping import CHANGE, get_visible_or_404

from ..models import LeaveRequest, LeaveState


def _base(qs):
    return qs.select_related("student__school_class", "student__college", "student__bed__room__building")


def leave_list(*, user, filters: dict | None = None):
    filters = filters or {}
    qs = LeaveRequest.objects.visible_to(user)
    if filters.get("state"):
        qs = qs.filter(state=filters["state"])
    if filters.get("overdue"):
        qs = qs.overdue(clock.now())
    if filters.get("current"):
        now = clock.now()
        qs = qs.filter(state=LeaveState.APPROVED, start__lte=now)
    if filters.get("school_class"):
        qs = qs.filter(student__school_class__name=filters["school_class"])
    if filters.get("student_no"):
        qs = qs.filter(student__student_no=filters["student_no"])
    if filters.get("date_from"):
        qs = qs.filter(end__date__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(start__date__lte=filters["date_to"])
    return _base(qs).order_by("-start", "-id")


def leave_get(*, user, pk: int) -> LeaveRequest:
    return get_visible_or_404(_base(LeaveRequest.objects.all()), user, pk=pk)


def leaves_to_decide(*, user):
    return _base(LeaveRequest.objects.visible_to(user, CHANGE).filter(state=LeaveState.PENDING)).order_by(
        "start"
    )


def pending_count(user) -> int:
    return LeaveRequest.objects.visible_to(user, CHANGE).filter(state=LeaveState.PENDING).count()


def student_leaves(*, user, student, limit: int = 10):
    return list(leave_list(user=user, filters={"student_no": student.student_no})[:limit])


def managed_student(*, user, student_no: str):
    """A student the user manages (level 3+), for recording leave on their behalf."""
    from campusgrid.people.models import Student

    return Student.objects.visible_to(user, CHANGE).filter(student_no=student_no).first()


def manager_todo(*, user) -> dict:
    """What waits for a level-3+ user across the ledgers (three aggregate queries)."""
    from django.db.models import Count, Q

    from ..models import Finding, FindingState, HolidayRegistration

    now = clock.now()
    leaves = LeaveRequest.objects.visible_to(user, CHANGE).aggregate(
        pending_leaves=Count("id", filter=Q(state=LeaveState.PENDING)),
        overdue_leaves=Count("id", filter=LeaveRequest.overdue_q(now)),
    )
    findings = Finding.objects.visible_to(user, CHANGE).aggregate(
        open_findings=Count("id", filter=Q(state=FindingState.OPEN)),
        overdue_findings=Count("id", filter=Q(state=FindingState.OPEN, deadline__lt=clock.today())),
    )
    returns = HolidayRegistration.objects.visible_to(user, CHANGE).overdue(now).count()
    return {**leaves, **findings, "overdue_returns": returns}
