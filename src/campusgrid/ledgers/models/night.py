"""查寝: night checks, their entries, corrections and the unchecked-room flags."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from campusgrid.core import clock
from campusgrid.core.badges import badge_colours
from campusgrid.core.models import VersionedModel, choices_check, user_ref
from campusgrid.core.scoping import ScopedQuerySet, room_q, student_q

from .common import _without_self

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
    checked_by = user_ref("查寝人")
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
            choices_check("status", NightStatus, "night_entry_status_valid"),
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
    actor = user_ref("更正人")
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
