"""The ledgers (台账, SPEC §6 and §8): night checks, leave, holiday departures and
returns, safety and hygiene inspections, semester room ratings.

Names here are read by other apps (the key-student dossiers' early-warning rules),
so they are plain and kept stable:

- NightCheck(room, date) with NightCheckEntry(night_check, student, date, status, time);
  status is present | leave | late | absent.
- LeaveRequest(student, start, end, state, returned_at); overdue = approved, not
  returned (销假) and past `end`.
- HolidayWindow(holiday, school_class) opened by a counselor; HolidayRegistration(
  student, holiday, plan stay | leave, return_due, returned_at); overdue = plan leave,
  not returned and past `return_due`.
- InspectionRound → Inspection(round, room, hygiene_score) → Finding(item, deadline,
  state open | fixed | escalated); RoomRating(room, semester).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from campusgrid.core import clock
from campusgrid.core.badges import badge_colours
from campusgrid.core.models import VersionedModel
from campusgrid.core.scoping import MATCH_NOTHING, ScopedQuerySet, class_q, room_q, student_q

# --- settings ----------------------------------------------------------------------------------


SETTINGS_TTL = 30  # seconds; a long-running process (the scheduler) sees an admin change within this time
_settings_cache: dict = {}


def forget_settings(**kwargs) -> None:
    """Each request reads the settings row once (connected to request_started in apps.py)."""
    _settings_cache.clear()


class LedgerSettings(models.Model):
    """台账设置: the times and thresholds of the ledgers (one row, edited in admin).

    Defaults: the night check opens at 21:00, rooms not checked by 23:00 are flagged,
    a dorm head may correct the check until 08:00 the next morning (counselors and
    above at any time, with history), a leave is overdue 60 minutes after its end,
    holiday returns are due at 22:00 on the last day of the holiday.
    """

    check_open_time = models.TimeField("查寝开始时间", default=dt.time(21, 0))
    check_flag_time = models.TimeField(
        "未查寝提醒时间", default=dt.time(23, 0), help_text="到此时间仍未查寝的寝室提醒班长和辅导员"
    )
    correction_cutoff = models.TimeField(
        "舍长更正截止（次日）", default=dt.time(8, 0), help_text="舍长可在次日此时间前更正当晚查寝记录"
    )
    leave_grace_minutes = models.PositiveIntegerField("销假宽限（分钟）", default=60)
    holiday_return_time = models.TimeField(
        "节假日返校截止时间", default=dt.time(22, 0), help_text="假期最后一天的此时间前须返校"
    )
    finding_deadline_days = models.PositiveSmallIntegerField("默认整改期限（天）", default=3)
    min_inspections = models.PositiveSmallIntegerField("参加评比的最少检查次数", default=1)
    civil_min_score = models.PositiveSmallIntegerField("文明宿舍最低平均分", default=85)
    star_scores = models.CharField(
        "星级宿舍分数线",
        max_length=64,
        default="60,70,80,90,95",
        help_text="一星至五星的最低平均分，逗号分隔",
    )
    model_min_score = models.PositiveSmallIntegerField("示范寝室最低平均分", default=95)
    model_max_findings = models.PositiveSmallIntegerField("示范寝室允许的隐患数", default=0)

    class Meta:
        verbose_name = "台账设置"
        verbose_name_plural = "台账设置"

    def __str__(self):
        return "台账设置"

    def save(self, *args, **kwargs):
        _settings_cache.clear()
        return super().save(*args, **kwargs)

    @classmethod
    def get(cls) -> LedgerSettings:
        """The settings row, read once per request (pages ask for it several times),
        and for a few seconds outside requests; saving it clears the cache."""
        cached = _settings_cache.get("row")
        if cached is not None and time.monotonic() - cached[0] < SETTINGS_TTL:
            return cached[1]
        found = cls.objects.filter(pk=1).first() or cls(pk=1)
        _settings_cache["row"] = (time.monotonic(), found)
        return found

    # Night-check times. A "night" is named by the date of its evening; it runs from
    # the opening time that evening to the correction cut-off the next morning.
    def _at(self, day: dt.date, time: dt.time) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, time))

    def open_moment(self, day: dt.date) -> dt.datetime:
        return self._at(day, self.check_open_time)

    def flag_moment(self, day: dt.date) -> dt.datetime:
        moment = self._at(day, self.check_flag_time)
        # A flag time after midnight (e.g. 00:30) belongs to the next calendar day.
        return moment + dt.timedelta(days=1) if self.check_flag_time < dt.time(12, 0) else moment

    def cutoff_moment(self, day: dt.date) -> dt.datetime:
        return self._at(day + dt.timedelta(days=1), self.correction_cutoff)

    def night_of(self, now: dt.datetime | None = None) -> dt.date:
        """Tonight's date: before the morning cut-off it is still last night."""
        local = timezone.localtime(now or clock.now())
        return local.date() - dt.timedelta(days=1) if local.time() < self.correction_cutoff else local.date()

    def last_flagged_night(self, now: dt.datetime) -> dt.date:
        """The latest night whose flag time has passed at `now`."""
        day = timezone.localtime(now).date()
        while self.flag_moment(day) > now:
            day -= dt.timedelta(days=1)
        return day

    def star_thresholds(self) -> list[int]:
        values = [int(v) for v in self.star_scores.replace("，", ",").split(",") if v.strip().isdigit()]
        return sorted(values)[:5]

    def holiday_return_due(self, holiday) -> dt.datetime:
        return self._at(holiday.end, self.holiday_return_time)


def _without_self(scope):
    """A student's own scope reaches their own records, not their room's."""
    return dataclasses.replace(scope, self_student_id=None)


# --- night checks 查寝 ----------------------------------------------------------------------------


@badge_colours(present="success", leave="info", late="warning", absent="danger")
class NightStatus(models.TextChoices):
    PRESENT = "present", "在寝"
    LEAVE = "leave", "请假"
    LATE = "late", "晚归"
    ABSENT = "absent", "未归"


class NightCheckQuerySet(ScopedQuerySet):
    pass


class NightCheck(VersionedModel):
    """查寝: one room's check for one night (the date of the evening)."""

    room = models.ForeignKey(
        "org.Room", verbose_name="寝室", on_delete=models.PROTECT, related_name="night_checks"
    )
    date = models.DateField("日期", db_index=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="查寝人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checked_by_name = models.CharField("查寝人姓名", max_length=64, blank=True)
    checked_at = models.DateTimeField("提交时间", default=clock.now)
    updated_at = models.DateTimeField("最后更正", default=clock.now)
    present_count = models.PositiveSmallIntegerField("在寝", default=0)
    leave_count = models.PositiveSmallIntegerField("请假", default=0)
    late_count = models.PositiveSmallIntegerField("晚归", default=0)
    absent_count = models.PositiveSmallIntegerField("未归", default=0)

    objects = NightCheckQuerySet.as_manager()

    class Meta:
        verbose_name = "查寝记录"
        verbose_name_plural = "查寝记录"
        ordering = ["-date", "room"]
        constraints = [
            models.UniqueConstraint(fields=["room", "date"], name="night_check_one_per_room_night")
        ]

    def __str__(self):
        return f"{self.date} {self.room}"

    @classmethod
    def scope_q(cls, scope, action):
        return room_q(_without_self(scope), "room__", action)


class NightCheckEntryQuerySet(ScopedQuerySet):
    pass


class NightCheckEntry(models.Model):
    """One student's line of a night check."""

    night_check = models.ForeignKey(
        NightCheck, verbose_name="查寝记录", on_delete=models.CASCADE, related_name="entries"
    )
    student = models.ForeignKey(
        "people.Student", verbose_name="学生", on_delete=models.PROTECT, related_name="night_entries"
    )
    date = models.DateField("日期")
    status = models.CharField("情况", max_length=16, choices=NightStatus.choices)
    time = models.TimeField("归寝时间", null=True, blank=True)
    leave = models.ForeignKey(
        "ledgers.LeaveRequest",
        verbose_name="请假",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="night_entries",
    )
    note = models.CharField("备注", max_length=200, blank=True)
    report = models.ForeignKey(
        "reports.Report",
        verbose_name="夜不归宿上报",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = NightCheckEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "查寝明细"
        verbose_name_plural = "查寝明细"
        ordering = ["-date", "student__student_no"]
        constraints = [
            models.UniqueConstraint(fields=["night_check", "student"], name="night_entry_one_per_student"),
            models.CheckConstraint(
                condition=Q(status__in=NightStatus.values), name="night_entry_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["student", "date"]), models.Index(fields=["date", "status"])]

    def __str__(self):
        return f"{self.date} {self.student_id} {self.get_status_display()}"

    @classmethod
    def scope_q(cls, scope, action):
        rooms = scope.room_ids | scope.party_room_ids if action == "view" else frozenset()
        condition = student_q(scope, "student__", action)
        if rooms:
            condition |= Q(night_check__room_id__in=rooms)
        return condition


class NightCheckCorrection(models.Model):
    """查寝更正: each change of a submitted line, kept (nothing edited without history)."""

    entry = models.ForeignKey(
        NightCheckEntry, verbose_name="查寝明细", on_delete=models.CASCADE, related_name="corrections"
    )
    at = models.DateTimeField("时间", default=clock.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更正人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField("更正人姓名", max_length=64)
    from_status = models.CharField("原情况", max_length=16, choices=NightStatus.choices)
    to_status = models.CharField("新情况", max_length=16, choices=NightStatus.choices)
    from_time = models.TimeField("原归寝时间", null=True, blank=True)
    to_time = models.TimeField("新归寝时间", null=True, blank=True)

    class Meta:
        verbose_name = "查寝更正"
        verbose_name_plural = "查寝更正"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.from_status}→{self.to_status}"


class NightCheckFlag(models.Model):
    """未查寝提醒: a room not checked by the flag time, recorded so `tick` flags it once."""

    room = models.ForeignKey("org.Room", verbose_name="寝室", on_delete=models.CASCADE, related_name="+")
    date = models.DateField("日期", db_index=True)
    flagged_at = models.DateTimeField("提醒时间", default=clock.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "未查寝提醒"
        verbose_name_plural = "未查寝提醒"
        ordering = ["-date", "room"]
        constraints = [models.UniqueConstraint(fields=["room", "date"], name="night_flag_one_per_room_night")]

    def __str__(self):
        return f"{self.date} {self.room_id}"

    @classmethod
    def scope_q(cls, scope, action):
        return room_q(_without_self(scope), "room__", action)


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
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField("申请时间", default=clock.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
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
            models.CheckConstraint(condition=Q(state__in=LeaveState.values), name="leave_state_valid"),
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
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
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
            models.CheckConstraint(condition=Q(plan__in=HolidayPlan.values), name="holiday_plan_valid"),
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


# --- inspections 安全隐患排查 · 卫生检查 --------------------------------------------------------------


class InspectionItem(models.Model):
    """检查项目 (configurable checklist): 违章电器, 私拉电线, 吸烟, 易燃物, 消防通道堵塞 …"""

    name = models.CharField("名称", max_length=32, unique=True)
    illegal_appliance = models.BooleanField("计入违章电器率", default=False)
    report_category = models.CharField(
        "上报类别", max_length=32, default="安全隐患", help_text="整改不了或逾期时生成的问题上报类别"
    )
    active = models.BooleanField("启用", default=True)
    order = models.PositiveSmallIntegerField("排序", default=50)

    class Meta:
        verbose_name = "检查项目"
        verbose_name_plural = "检查项目"
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


DEFAULT_ITEMS = [
    # name, counts in the illegal-appliance rate, report category when it cannot be fixed
    ("违章电器", True, "违章电器"),
    ("私拉电线", False, "安全隐患"),
    ("吸烟", False, "安全隐患"),
    ("易燃物", False, "安全隐患"),
    ("消防通道堵塞", False, "安全隐患"),
    ("门窗损坏", False, "安全隐患"),
    ("卫生", False, "其他"),
    ("节水节电", False, "其他"),
]


def ensure_default_items() -> None:
    """The default checklist (also after a flush, e.g. `demo --replace`)."""
    for order, (name, illegal, category) in enumerate(DEFAULT_ITEMS, start=1):
        InspectionItem.objects.get_or_create(
            name=name,
            defaults={"illegal_appliance": illegal, "report_category": category, "order": order * 10},
        )


class RoundKind(models.TextChoices):
    SAFETY = "safety", "安全隐患排查"
    HYGIENE = "hygiene", "卫生检查"
    BOTH = "both", "安全卫生检查"


class InspectionRoundQuerySet(ScopedQuerySet):
    pass


class InspectionRound(models.Model):
    """检查轮次: one inspection over a set of rooms (by a counselor, a leader, or a dorm head)."""

    title = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=16, choices=RoundKind.choices, default=RoundKind.BOTH)
    date = models.DateField("检查日期", db_index=True)
    semester = models.ForeignKey(
        "org.Semester", verbose_name="学期", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    college = models.ForeignKey(
        "org.College", verbose_name="学院", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by_name = models.CharField("发起人姓名", max_length=64, blank=True)
    created_at = models.DateTimeField("创建时间", default=clock.now)
    note = models.CharField("说明", max_length=255, blank=True)

    objects = InspectionRoundQuerySet.as_manager()
    scope_distinct = True

    class Meta:
        verbose_name = "检查轮次"
        verbose_name_plural = "检查轮次"
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.date} {self.title}"

    @classmethod
    def scope_q(cls, scope, action):
        condition = room_q(_without_self(scope), "inspections__room__", action)
        if scope.user_id:
            condition |= Q(created_by_id=scope.user_id)
        return condition


class InspectionQuerySet(ScopedQuerySet):
    pass


class Inspection(models.Model):
    """One room in a round: the hygiene score (0–100) and the findings."""

    class State(models.TextChoices):
        PENDING = "pending", "待检查"
        DONE = "done", "已检查"

    round = models.ForeignKey(
        InspectionRound, verbose_name="检查轮次", on_delete=models.CASCADE, related_name="inspections"
    )
    room = models.ForeignKey(
        "org.Room", verbose_name="寝室", on_delete=models.PROTECT, related_name="inspections"
    )
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.PENDING)
    inspected_at = models.DateTimeField("检查时间", null=True, blank=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="检查人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    inspector_name = models.CharField("检查人姓名", max_length=64, blank=True)
    hygiene_score = models.PositiveSmallIntegerField(
        "卫生得分", null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    note = models.CharField("备注", max_length=255, blank=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = "寝室检查"
        verbose_name_plural = "寝室检查"
        ordering = ["round", "room"]
        constraints = [
            models.UniqueConstraint(fields=["round", "room"], name="inspection_one_per_room_round"),
            models.CheckConstraint(
                condition=Q(hygiene_score__isnull=True) | Q(hygiene_score__lte=100),
                name="inspection_score_range",
            ),
        ]

    def __str__(self):
        return f"{self.round} {self.room}"

    @classmethod
    def scope_q(cls, scope, action):
        return room_q(_without_self(scope), "room__", action)


@badge_colours(open="warning", fixed="success", escalated="danger")
class FindingState(models.TextChoices):
    OPEN = "open", "待整改"
    FIXED = "fixed", "已整改"
    ESCALATED = "escalated", "已上报"


class EscalationReason(models.TextChoices):
    OVERDUE = "overdue", "逾期未整改"
    NOT_FIXED = "not_fixed", "复查未整改"
    CANNOT_FIX = "cannot_fix", "寝室内无法整改"


def _finding_photo_path(instance, filename):
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"ledgers/findings/{clock.now():%Y/%m}/{uuid.uuid4().hex}.{suffix}"


class FindingQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(state=FindingState.OPEN)

    def overdue(self, today: dt.date):
        """逾期未整改: open past its deadline (the same rule as `Finding.is_overdue`)."""
        return self.filter(Finding.overdue_q(today))


class Finding(VersionedModel):
    """隐患: one problem found in a room, with its rectification deadline and re-inspection."""

    inspection = models.ForeignKey(
        Inspection, verbose_name="寝室检查", on_delete=models.CASCADE, related_name="findings"
    )
    room = models.ForeignKey(
        "org.Room", verbose_name="寝室", on_delete=models.PROTECT, related_name="findings"
    )
    item = models.ForeignKey(
        InspectionItem, verbose_name="检查项目", on_delete=models.PROTECT, related_name="findings"
    )
    description = models.TextField("情况描述", blank=True)
    photo = models.FileField("照片", upload_to=_finding_photo_path, blank=True)
    photo_type = models.CharField("照片类型", max_length=32, blank=True)
    students = models.ManyToManyField(
        "people.Student", verbose_name="责任学生", blank=True, related_name="inspection_findings"
    )
    deadline = models.DateField("整改期限")
    state = models.CharField(
        "状态", max_length=16, choices=FindingState.choices, default=FindingState.OPEN, db_index=True
    )
    found_at = models.DateTimeField("发现时间", default=clock.now)
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发现人账号",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    found_by_name = models.CharField("发现人", max_length=64, blank=True)
    fixed_at = models.DateTimeField("整改完成时间", null=True, blank=True)
    escalated_at = models.DateTimeField("上报时间", null=True, blank=True)
    escalation_reason = models.CharField(
        "上报原因", max_length=16, choices=EscalationReason.choices, blank=True
    )
    report = models.ForeignKey(
        "reports.Report",
        verbose_name="问题上报",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = "隐患"
        verbose_name_plural = "隐患"
        ordering = ["-found_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=FindingState.values), name="finding_state_valid")
        ]
        indexes = [models.Index(fields=["state", "deadline"])]

    def __str__(self):
        return f"{self.room_id} {self.item_id} {self.get_state_display()}"

    @classmethod
    def scope_q(cls, scope, action):
        return room_q(_without_self(scope), "room__", action)

    @staticmethod
    def overdue_q(today: dt.date) -> Q:
        return Q(state=FindingState.OPEN, deadline__lt=today)

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or clock.today()
        return self.state == FindingState.OPEN and today > self.deadline

    @property
    def overdue_now(self) -> bool:
        """For templates: overdue on the clock's today."""
        return self.is_overdue()


class FindingRecheck(models.Model):
    """复查: one re-inspection of a finding (fixed, not fixed, or cannot be fixed in the room)."""

    class Result(models.TextChoices):
        FIXED = "fixed", "已整改"
        NOT_FIXED = "not_fixed", "未整改"
        CANNOT_FIX = "cannot_fix", "寝室内无法整改"

    finding = models.ForeignKey(
        Finding, verbose_name="隐患", on_delete=models.CASCADE, related_name="rechecks"
    )
    at = models.DateTimeField("复查时间", default=clock.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="复查人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField("复查人姓名", max_length=64)
    result = models.CharField("结果", max_length=16, choices=Result.choices)
    note = models.CharField("说明", max_length=255, blank=True)

    class Meta:
        verbose_name = "隐患复查"
        verbose_name_plural = "隐患复查"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d} {self.get_result_display()}"


# --- semester ratings 文明宿舍 · 星级宿舍 · 示范寝室 ------------------------------------------------------


class RoomRatingQuerySet(ScopedQuerySet):
    pass


class RoomRating(models.Model):
    """学期寝室评比: the average hygiene score of the semester's inspections and the titles it earns."""

    room = models.ForeignKey(
        "org.Room", verbose_name="寝室", on_delete=models.CASCADE, related_name="ratings"
    )
    semester = models.ForeignKey(
        "org.Semester", verbose_name="学期", on_delete=models.CASCADE, related_name="+"
    )
    inspections = models.PositiveSmallIntegerField("检查次数")
    average_score = models.DecimalField("平均分", max_digits=5, decimal_places=2)
    findings = models.PositiveSmallIntegerField("隐患数", default=0)
    stars = models.PositiveSmallIntegerField("星级", default=0, validators=[MaxValueValidator(5)])
    civil = models.BooleanField("文明宿舍", default=False)
    model_room = models.BooleanField("示范寝室", default=False)
    building_rank = models.PositiveIntegerField("楼栋排名")
    computed_at = models.DateTimeField("评定时间", default=clock.now)

    objects = RoomRatingQuerySet.as_manager()

    class Meta:
        verbose_name = "寝室评比"
        verbose_name_plural = "寝室评比"
        ordering = ["semester", "room__building__name", "building_rank"]
        constraints = [
            models.UniqueConstraint(fields=["room", "semester"], name="room_rating_one_per_semester"),
            models.CheckConstraint(condition=Q(stars__lte=5), name="room_rating_stars_range"),
        ]

    def __str__(self):
        return f"{self.semester_id} {self.room_id} {self.stars}星"

    @classmethod
    def scope_q(cls, scope, action):
        return room_q(scope, "room__", action)

    @property
    def titles(self) -> list[str]:
        result = []
        if self.model_room:
            result.append("示范寝室")
        if self.civil:
            result.append("文明宿舍")
        if self.stars:
            result.append(f"{self.stars}星级宿舍")
        return result
