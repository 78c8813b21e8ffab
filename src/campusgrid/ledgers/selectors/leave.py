"""Reads of leave requests (请假台账)."""

from __future__ import annotations

from campusgrid.core import clock
from campusgrid.core.scoping import CHANGE, get_visible_or_404

from ..models import LeaveRequest, LeaveState


def _base(qs):
    return qs.select_related("student__school_class", "student__college", "student__bed__room__building")


def leave_list(*, user, filters=None):
    """请假台账 in reach; `filters` (a dict or the request's GET) go through LeaveFilter,
    the one definition the page, its export and the API share."""
    qs = _base(LeaveRequest.objects.visible_to(user)).order_by("-start", "-id")
    if filters is None:
        return qs
    from ..filters import LeaveFilter

    filterset = LeaveFilter(filters, queryset=qs, user=user)
    return filterset.qs if filterset.is_valid() else qs.none()


def leave_get(*, user, pk: int) -> LeaveRequest:
    return get_visible_or_404(_base(LeaveRequest.objects.all()), user, pk=pk)


def leaves_to_decide(*, user):
    return _base(LeaveRequest.objects.visible_to(user, CHANGE).filter(state=LeaveState.PENDING)).order_by(
        "start"
    )


def pending_count(user) -> int:
    return LeaveRequest.objects.visible_to(user, CHANGE).filter(state=LeaveState.PENDING).count()


def student_leaves(*, user, student, limit: int = 10):
    return list(leave_list(user=user).filter(student=student)[:limit])


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
        overdue_findings=Count("id", filter=Finding.overdue_q(clock.today())),
    )
    returns = HolidayRegistration.objects.visible_to(user, CHANGE).overdue(now).count()
    return {**leaves, **findings, "overdue_returns": returns}
