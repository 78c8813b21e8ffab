"""舆情报告 (issue 14 item 5; seed 000 三.(一)3, seed 004): grid workers report what they heard
each period — weekly, or daily during a special period the college sets — even when there is
nothing to report (零报告 / 无异常); an item can become a problem report (category 舆情)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from campusgrid.core import clock
from campusgrid.core.badges import badge_colours
from campusgrid.core.models import SingletonSettings, choices_check, user_ref
from campusgrid.core.scoping import MATCH_NOTHING, ScopedQuerySet, _or, student_q

DEFAULT_REPORTER_KINDS = "small_grid_leader,activist,monitor,league_secretary,dorm_head"


class OpinionSettings(SingletonSettings):
    """舆情报告设置 (one row, edited in admin): which grid posts report."""

    reporter_kinds = models.CharField(
        "须报送的网格职务",
        max_length=200,
        default=DEFAULT_REPORTER_KINDS,
        help_text="职务代码，逗号分隔：small_grid_leader 网格党员、activist 积极分子、monitor 班长、"
        "league_secretary 团支书、dorm_head 舍长、branch_secretary 支部书记",
    )

    cache_seconds = 0  # read afresh each time

    class Meta:
        verbose_name = "舆情报告设置"
        verbose_name_plural = "舆情报告设置"

    @property
    def kinds(self) -> list[str]:
        return [k.strip() for k in self.reporter_kinds.split(",") if k.strip()]


class PeriodKind(models.TextChoices):
    KEY_DATE = "key_date", "关键时间节点"
    MAJOR_EVENT = "major_event", "重大活动"
    EMERGENCY = "emergency", "突发事件"


class SpecialPeriodQuerySet(ScopedQuerySet):
    def covering(self, day: dt.date):
        return self.filter(start__lte=day, end__gte=day)


class SpecialPeriod(models.Model):
    """特殊时期: a name and a date range set by the college; reporting is daily inside it and
    every grid worker files a 零报告 by `due_time`."""

    college = models.ForeignKey(
        "org.College", verbose_name="学院", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("类型", max_length=16, choices=PeriodKind.choices)
    name = models.CharField("名称", max_length=64)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    due_time = models.TimeField("每日报送截止", default=dt.time(20, 0))
    created_by = user_ref("设置人")
    created_at = models.DateTimeField("设置时间", default=clock.now, editable=False)

    objects = SpecialPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = "舆情特殊时期"
        verbose_name_plural = "舆情特殊时期"
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="special_period_range"),
            choices_check("kind", PeriodKind, "special_period_kind_valid"),
        ]

    def __str__(self):
        return f"{self.name}（{self.start:%m-%d}至{self.end:%m-%d}）"

    @classmethod
    def scope_q(cls, scope, action):
        if scope.everything:
            return ~MATCH_NOTHING
        ids = scope.college_ids if action == "view" else scope.manage_college_ids
        return Q(college_id__in=ids) if ids else MATCH_NOTHING


class Cadence(models.TextChoices):
    WEEKLY = "weekly", "周报"
    DAILY = "daily", "日报"


def _reach(scope, prefix: str = "") -> list[Q]:
    """Who reads a report (not its items naming students): its reporter, level 3+ over the
    reporter's class or college, and the party grid over the reporter's room."""
    parts = []
    if scope.user_id:
        parts.append(Q(**{f"{prefix}reporter_id": scope.user_id}))
    if scope.manage_class_ids:
        parts.append(Q(**{f"{prefix}school_class_id__in": scope.manage_class_ids}))
    if scope.manage_college_ids:
        parts.append(Q(**{f"{prefix}college_id__in": scope.manage_college_ids}))
    if scope.party_room_ids:
        parts.append(Q(**{f"{prefix}room_id__in": scope.party_room_ids}))
    return parts


class OpinionReportQuerySet(ScopedQuerySet):
    pass


class OpinionReport(models.Model):
    """舆情报告: one grid worker's report for one period (a week from Monday, or one day of a
    special period); `nothing_to_report` is the one-tap 无异常 / 零报告."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报送人", on_delete=models.PROTECT, related_name="+"
    )
    reporter_name = models.CharField("报送人", max_length=64)
    cadence = models.CharField("周期", max_length=8, choices=Cadence.choices, default=Cadence.WEEKLY)
    period_start = models.DateField("周期开始", help_text="周报为该周周一，日报为当日")
    special = models.ForeignKey(
        SpecialPeriod,
        verbose_name="特殊时期",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    college = models.ForeignKey(
        "org.College", verbose_name="学院", on_delete=models.PROTECT, related_name="+"
    )
    school_class = models.ForeignKey(
        "org.SchoolClass",
        verbose_name="报送人班级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    room = models.ForeignKey(
        "org.Room",
        verbose_name="报送人寝室",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    nothing_to_report = models.BooleanField("无异常（零报告）", default=False)
    submitted_at = models.DateTimeField("报送时间", default=clock.now)

    objects = OpinionReportQuerySet.as_manager()

    class Meta:
        verbose_name = "舆情报告"
        verbose_name_plural = "舆情报告"
        ordering = ["-period_start", "-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "cadence", "period_start"], name="opinion_report_once_per_period"
            ),
            choices_check("cadence", Cadence, "opinion_cadence_valid"),
        ]

    def __str__(self):
        return f"{self.reporter_name} {self.period_label}"

    @property
    def period_label(self) -> str:
        if self.cadence == Cadence.DAILY:
            return f"{self.period_start:%m月%d日}日报"
        end = self.period_start + dt.timedelta(days=6)
        return f"{self.period_start:%m月%d日}—{end:%m月%d日}周报"

    @classmethod
    def scope_q(cls, scope, action):
        if action != "view":
            return Q(reporter_id=scope.user_id) if scope.user_id else MATCH_NOTHING
        return _or(_reach(scope))


@badge_colours(normal="secondary", serious="warning", major="danger", urgent="danger")
class ItemSeverity(models.TextChoices):
    # The values of reports' Severity: an item becomes a report of the same severity.
    NORMAL = "normal", "一般"
    SERIOUS = "serious", "较重"
    MAJOR = "major", "重大"
    URGENT = "urgent", "紧急"


class ItemKind(models.TextChoices):
    THOUGHT = "thought", "思想动态"
    ONLINE = "online", "网络舆情"
    SAFETY = "safety", "安全稳定"
    LIVING = "living", "生活服务"
    STUDY = "study", "学风学业"
    DISPUTE = "dispute", "矛盾纠纷"
    OTHER = "other", "其他"


class Source(models.TextChoices):
    ONLINE = "online", "线上"
    OFFLINE = "offline", "线下"


class OpinionItemQuerySet(ScopedQuerySet):
    pass


class OpinionItem(models.Model):
    """舆情信息: one thing heard. Items naming students are sensitive and scoped like
    sensitive reports (their reporter and level 3 and above only)."""

    report = models.ForeignKey(
        OpinionReport, verbose_name="舆情报告", on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField("类别", max_length=16, choices=ItemKind.choices)
    source = models.CharField("来源", max_length=8, choices=Source.choices)
    platform = models.CharField(
        "平台", max_length=32, blank=True, help_text="线上来源：微信、QQ、微博、抖音等"
    )
    summary = models.TextField("内容摘要")
    students = models.ManyToManyField("people.Student", verbose_name="涉及学生", blank=True, related_name="+")
    names_students = models.BooleanField("涉及学生", default=False, editable=False)
    severity = models.CharField(
        "严重程度", max_length=16, choices=ItemSeverity.choices, default=ItemSeverity.NORMAL
    )
    problem = models.OneToOneField(
        "reports.Report",
        verbose_name="转为问题上报",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opinion_item",
    )
    created_at = models.DateTimeField("时间", default=clock.now, editable=False)

    objects = OpinionItemQuerySet.as_manager()
    scope_distinct = True

    class Meta:
        verbose_name = "舆情信息"
        verbose_name_plural = "舆情信息"
        ordering = ["-created_at", "-id"]
        constraints = [
            choices_check("kind", ItemKind, "opinion_item_kind_valid"),
            choices_check("source", Source, "opinion_item_source_valid"),
            choices_check("severity", ItemSeverity, "opinion_item_severity_valid"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.summary[:20]}"

    @classmethod
    def scope_q(cls, scope, action):
        if scope.everything and scope.manage_everything:
            return ~MATCH_NOTHING
        parts = []
        if scope.user_id:
            parts.append(Q(report__reporter_id=scope.user_id))
        # Level 3+ over the reporter's class or college, or over a student the item names.
        if scope.manage_class_ids:
            parts.append(Q(report__school_class_id__in=scope.manage_class_ids))
        if scope.manage_college_ids:
            parts.append(Q(report__college_id__in=scope.manage_college_ids))
        named = student_q(scope, "students__", "change")
        if named is not MATCH_NOTHING:
            parts.append(named)
        if action == "view":
            # The party grid (secretary, party member) reads the items that name nobody.
            if scope.party_room_ids:
                parts.append(Q(report__room_id__in=scope.party_room_ids, names_students=False))
            if scope.everything:
                parts.append(Q(names_students=False))
        return _or(parts)


class MissingFlag(models.Model):
    """未报提醒: a grid worker without a 零报告 on a day of a special period past its due time,
    told to their counselor once (the unique row makes a second tick do nothing)."""

    special = models.ForeignKey(
        SpecialPeriod, verbose_name="特殊时期", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField("日期")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="未报送人", on_delete=models.CASCADE, related_name="+"
    )
    flagged_at = models.DateTimeField("提醒时间", default=clock.now)

    class Meta:
        verbose_name = "舆情未报提醒"
        verbose_name_plural = "舆情未报提醒"
        constraints = [
            models.UniqueConstraint(fields=["special", "day", "reporter"], name="opinion_missing_once")
        ]

    def __str__(self):
        return f"{self.day} 未报送"
