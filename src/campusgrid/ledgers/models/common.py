"""The ledgers' settings (台账设置) and what every ledger's scoping shares."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db import models
from django.utils import timezone

from campusgrid.core import clock
from campusgrid.core.models import SingletonSettings

# --- settings ----------------------------------------------------------------------------------


SETTINGS_TTL = 30  # seconds; a long-running process (the scheduler) sees an admin change within this time


def forget_settings(**kwargs) -> None:
    """Each request reads the settings row afresh (connected to request_started in apps.py)."""
    LedgerSettings.forget()


class LedgerSettings(SingletonSettings):
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

    # Read once per request (apps.py forgets it on request_started) and for a few
    # seconds outside requests.
    cache_seconds = SETTINGS_TTL

    class Meta:
        verbose_name = "台账设置"
        verbose_name_plural = "台账设置"

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
