"""安全隐患排查 · 卫生检查: rounds, inspections, findings and their rechecks, semester room ratings."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q

from campusgrid.core import clock
from campusgrid.core.badges import badge_colours
from campusgrid.core.models import VersionedModel, choices_check, user_ref
from campusgrid.core.scoping import ScopedQuerySet, room_q

from .common import _without_self

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
    created_by = user_ref("发起人")
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
    inspector = user_ref("检查人", blank=True)
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
    found_by = user_ref("发现人账号")
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
        constraints = [choices_check("state", FindingState, "finding_state_valid")]
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
    actor = user_ref("复查人")
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
