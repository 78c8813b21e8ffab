"""节假日离校返校: holiday windows and each student's registration."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone

from campusgrid.core import clock
from campusgrid.core.badges import badge_colours
from campusgrid.core.models import VersionedModel, choices_check, user_ref
from campusgrid.core.scoping import MATCH_NOTHING, ScopedQuerySet, class_q, student_q

# --- holiday departures and returns 节假日离校返校 -----------------------------------------------------


class HolidayWindowQuerySet(ScopedQuerySet):
    pass


class HolidayWindow(models.Model):
    """节假日离校返校登记: opened by a counselor for one holiday and one class."""

    holiday = models.ForeignKey(
        "org.Holiday", verbose_name="节假日", on_delete=models.PROTECT, related_name="ledger_windows"
    )
    school_class = models.ForeignKey(
        "org.SchoolClass", verbose_name="班级", on_delete=models.PROTECT, related_name="holiday_windows"
    )
    register_by = models.DateField("登记截止日期")
    return_due = models.DateTimeField("返校截止时间")
    opened_by = user_ref("发起人")
    opened_by_name = models.CharField("发起人姓名", max_length=64, blank=True)
    opened_at = models.DateTimeField("发起时间", default=clock.now)
    note = models.CharField("说明", max_length=255, blank=True)
    unregistered_flagged_at = models.DateTimeField("未登记提醒时间", null=True, blank=True)

    objects = HolidayWindowQuerySet.as_manager()
    scope_distinct = True

    class Meta:
        verbose_name = "节假日离校返校登记"
        verbose_name_plural = "节假日离校返校登记"
        ordering = ["-holiday__start", "school_class__name"]
        constraints = [
            models.UniqueConstraint(fields=["holiday", "school_class"], name="holiday_window_one_per_class")
        ]

    def __str__(self):
        return f"{self.holiday.name} {self.school_class.name}"

    @classmethod
    def scope_q(cls, scope, action):
        condition = class_q(scope, "school_class__", action)
        if action == "view":
            through_students = student_q(scope, "school_class__students__", action)
            if through_students is not MATCH_NOTHING:
                condition = (
                    condition | through_students if condition is not MATCH_NOTHING else through_students
                )
        return condition


class HolidayPlan(models.TextChoices):
    STAY = "stay", "留校"
    LEAVE = "leave", "离校"


@badge_colours(unregistered="danger", stay="secondary", planned="info", away="warning", back="success")
class HolidayStatus(models.TextChoices):
    """Where a student stands for one holiday, derived from the registration's dates
    and the clock (`HolidayRegistration.status`, `HolidayRegistrationQuerySet.with_status`)."""

    UNREGISTERED = "unregistered", "未登记"
    STAY = "stay", "留校"
    PLANNED = "planned", "已登记（未离校）"
    AWAY = "away", "已离校"
    BACK = "back", "已返校"
    OVERDUE = "overdue", "逾期未返"


HOLIDAY_STATUS = dict(HolidayStatus.choices)
# Bootstrap badge colour of each status, beside the states themselves.
HOLIDAY_BADGE = {
    HolidayStatus.UNREGISTERED: "text-bg-danger",
    HolidayStatus.STAY: "text-bg-secondary",
    HolidayStatus.PLANNED: "text-bg-info",
    HolidayStatus.AWAY: "text-bg-warning",
    HolidayStatus.BACK: "text-bg-success",
    HolidayStatus.OVERDUE: "text-bg-danger",
}

# A student may leave this many days before the holiday starts (a weekend before it, travel).
HOLIDAY_EARLY_DAYS = 3


def holiday_status_q(now: dt.datetime) -> dict[str, Q]:
    """Each registered status as a filter at `now`: the one definition that the class
    counts, the status filter, `with_status` and (mirrored) `status()` follow."""
    today = timezone.localtime(now).date()
    leaving = Q(plan=HolidayPlan.LEAVE, returned_at__isnull=True)
    departed = Q(departed_at__isnull=False) | Q(depart_on__lte=today)
    return {
        HolidayStatus.STAY: Q(plan=HolidayPlan.STAY),
        HolidayStatus.BACK: Q(plan=HolidayPlan.LEAVE, returned_at__isnull=False),
        HolidayStatus.OVERDUE: leaving & Q(return_due__lt=now),
        HolidayStatus.AWAY: leaving & Q(return_due__gte=now) & departed,
        HolidayStatus.PLANNED: leaving & Q(return_due__gte=now) & ~departed,
    }


class HolidayRegistrationQuerySet(ScopedQuerySet):
    def overdue(self, now: dt.datetime):
        return self.filter(holiday_status_q(now)[HolidayStatus.OVERDUE])

    def in_status(self, status: str, now: dt.datetime):
        return self.filter(holiday_status_q(now)[status])

    def status_counts(self, now: dt.datetime) -> dict:
        """Count(...) keyword arguments, one per status, for `.annotate`/`.aggregate`."""
        return {key: models.Count("id", filter=q) for key, q in holiday_status_q(now).items()}


class HolidayRegistration(VersionedModel):
    """A student's holiday registration: staying, or leaving with where, when, how, whom to call."""

    window = models.ForeignKey(
        HolidayWindow, verbose_name="登记", on_delete=models.PROTECT, related_name="registrations"
    )
    holiday = models.ForeignKey(
        "org.Holiday", verbose_name="节假日", on_delete=models.PROTECT, related_name="ledger_registrations"
    )
    student = models.ForeignKey(
        "people.Student", verbose_name="学生", on_delete=models.PROTECT, related_name="holiday_registrations"
    )
    plan = models.CharField("去留", max_length=8, choices=HolidayPlan.choices)
    destination = models.CharField("目的地", max_length=100, blank=True)
    depart_on = models.DateField("离校日期", null=True, blank=True)
    return_on = models.DateField("计划返校日期", null=True, blank=True)
    transport = models.CharField("交通方式", max_length=64, blank=True)
    emergency_contact = models.CharField("紧急联系人", max_length=64, blank=True)
    emergency_phone = models.CharField("紧急联系电话", max_length=20, blank=True)
    registered_at = models.DateTimeField("登记时间", default=clock.now)
    registered_by_name = models.CharField("登记人", max_length=64, blank=True)
    return_due = models.DateTimeField("返校截止时间")
    returned_at = models.DateTimeField("返校时间", null=True, blank=True)
    return_confirmed_by_name = models.CharField("返校确认人", max_length=64, blank=True)
    late_reason = models.CharField(
        "晚返原因", max_length=200, blank=True, help_text="计划返校日期晚于返校截止时间时必填"
    )
    departed_at = models.DateTimeField("离校确认时间", null=True, blank=True)
    departure_confirmed_by_name = models.CharField("离校确认人", max_length=64, blank=True)
    overdue_flagged_at = models.DateTimeField("逾期提醒时间", null=True, blank=True)

    objects = HolidayRegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = "离校返校登记"
        verbose_name_plural = "离校返校登记"
        ordering = ["student__student_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["holiday", "student"], name="holiday_registration_one_per_student"
            ),
            choices_check("plan", HolidayPlan, "holiday_plan_valid"),
        ]
        indexes = [models.Index(fields=["plan", "returned_at", "return_due"])]

    def __str__(self):
        return f"{self.holiday_id} {self.student_id} {self.get_plan_display()}"

    @classmethod
    def scope_q(cls, scope, action):
        return student_q(scope, "student__", action)

    def status(self, now: dt.datetime | None = None) -> str:
        """The `holiday_status_q` rule for one row already in memory."""
        now = now or clock.now()
        if self.plan == HolidayPlan.STAY:
            return HolidayStatus.STAY
        if self.returned_at:
            return HolidayStatus.BACK
        if now > self.return_due:
            return HolidayStatus.OVERDUE
        today = timezone.localtime(now).date()
        if self.departed_at or (self.depart_on and self.depart_on <= today):
            return HolidayStatus.AWAY
        return HolidayStatus.PLANNED

    def status_label(self, now: dt.datetime | None = None) -> str:
        return HOLIDAY_STATUS[self.status(now)]

    def status_badge(self, now: dt.datetime | None = None) -> str:
        return HOLIDAY_BADGE[self.status(now)]

    def may_confirm_departure(self, now: dt.datetime | None = None) -> bool:
        """Leaving earlier than registered (at most HOLIDAY_EARLY_DAYS before the holiday)."""
        now = now or clock.now()
        earliest = self.holiday.start - dt.timedelta(days=HOLIDAY_EARLY_DAYS)
        return self.status(now) == HolidayStatus.PLANNED and timezone.localtime(now).date() >= earliest

    def may_confirm_return(self, now: dt.datetime | None = None) -> bool:
        return self.status(now) in (HolidayStatus.AWAY, HolidayStatus.OVERDUE)
