"""请假: leave requests and their overdue rule."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q

from campusgrid.core import clock
from campusgrid.core.badges import badge_colours
from campusgrid.core.models import VersionedModel, choices_check, user_ref
from campusgrid.core.scoping import ScopedQuerySet, student_q

from .common import LedgerSettings

# --- leave 请假 -----------------------------------------------------------------------------------


class LeaveKind(models.TextChoices):
    PERSONAL = "personal", "事假"
    SICK = "sick", "病假"
    OTHER = "other", "其他"


@badge_colours(
    pending="warning", approved="success", refused="danger", cancelled="secondary", returned="secondary"
)
class LeaveState(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "未批准"
    CANCELLED = "cancelled", "已撤销"
    RETURNED = "returned", "已销假"


class LeaveRequestQuerySet(ScopedQuerySet):
    def approved_on(self, moment: dt.datetime):
        """Approved leave that covers `moment` (and was not ended early by 销假)."""
        return self.filter(state=LeaveState.APPROVED, start__lte=moment, end__gt=moment)

    def overdue(self, now: dt.datetime, grace: dt.timedelta | None = None):
        """到期未销假: approved, not returned, and past `end` plus the grace period
        of the settings (the same rule as `LeaveRequest.is_overdue`)."""
        return self.filter(LeaveRequest.overdue_q(now, grace))


class LeaveRequest(VersionedModel):
    """请假: a student's leave, approved by the counselor or class teacher; 销假 on return."""

    student = models.ForeignKey(
        "people.Student", verbose_name="学生", on_delete=models.PROTECT, related_name="leave_requests"
    )
    kind = models.CharField("类型", max_length=16, choices=LeaveKind.choices, default=LeaveKind.PERSONAL)
    start = models.DateTimeField("离校时间")
    end = models.DateTimeField("返校时间")
    reason = models.TextField("事由")
    destination = models.CharField("去向", max_length=100, blank=True)
    contact = models.CharField("联系电话", max_length=20, blank=True)
    state = models.CharField(
        "状态", max_length=16, choices=LeaveState.choices, default=LeaveState.PENDING, db_index=True
    )
    requested_by = user_ref("申请人")
    requested_at = models.DateTimeField("申请时间", default=clock.now)
    decided_by = user_ref("审批人", blank=True)
    decided_by_name = models.CharField("审批人姓名", max_length=64, blank=True)
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    comment = models.CharField("审批意见", max_length=255, blank=True)
    returned_at = models.DateTimeField("销假时间", null=True, blank=True)
    returned_by_name = models.CharField("销假登记人", max_length=64, blank=True)
    overdue_flagged_at = models.DateTimeField("逾期提醒时间", null=True, blank=True)

    objects = LeaveRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "请假"
        verbose_name_plural = "请假"
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="leave_end_after_start"),
            choices_check("state", LeaveState, "leave_state_valid"),
        ]
        indexes = [models.Index(fields=["student", "state"]), models.Index(fields=["state", "end"])]

    def __str__(self):
        return f"{self.student_id} {self.start:%Y-%m-%d}～{self.end:%Y-%m-%d} {self.get_state_display()}"

    @classmethod
    def scope_q(cls, scope, action):
        return student_q(scope, "student__", action)

    @staticmethod
    def grace() -> dt.timedelta:
        return dt.timedelta(minutes=LedgerSettings.get().leave_grace_minutes)

    @classmethod
    def overdue_q(cls, now: dt.datetime, grace: dt.timedelta | None = None) -> Q:
        """The overdue rule as a filter, for querysets and aggregates alike."""
        grace = cls.grace() if grace is None else grace
        return Q(state=LeaveState.APPROVED, end__lt=now - grace)

    def is_overdue(self, now: dt.datetime | None = None) -> bool:
        now = now or clock.now()
        return self.state == LeaveState.APPROVED and now > self.end + self.grace()

    @property
    def overdue_now(self) -> bool:
        """For templates: overdue at the clock's now."""
        return self.is_overdue()

    def has_started(self, now: dt.datetime | None = None) -> bool:
        return (now or clock.now()) >= self.start
