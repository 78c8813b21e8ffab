"""网格员学期考核 (seed 000 四.(一), SPEC §11): each student grid worker's semester record,
computed from the records, with the counselor's score and comment, published, and open to
an objection (申诉) for a window."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from campusgrid.core import clock
from campusgrid.core.badges import badge_colours
from campusgrid.core.models import SingletonSettings, VersionedModel, choices_check, user_ref
from campusgrid.core.scoping import MATCH_NOTHING, ScopedQuerySet, _or

# The student posts that are appraised; staff posts (counselors, leaders) do the appraising.
APPRAISED_KINDS = [
    "dorm_head",
    "monitor",
    "league_secretary",
    "activist",
    "small_grid_leader",
    "branch_secretary",
]


class AppraisalSettings(SingletonSettings):
    """考核设置: the weights of the computed and the counselor's parts, the grade lines,
    the objection window, and the weight of each computed metric (one row)."""

    computed_weight = models.PositiveSmallIntegerField(
        "记录得分权重（%）", default=60, validators=[MaxValueValidator(100)]
    )
    counselor_weight = models.PositiveSmallIntegerField(
        "辅导员评分权重（%）", default=40, validators=[MaxValueValidator(100)]
    )
    excellent_min = models.PositiveSmallIntegerField("优秀最低分", default=85)
    good_min = models.PositiveSmallIntegerField("良好最低分", default=70)
    pass_min = models.PositiveSmallIntegerField("合格最低分", default=60)
    objection_days = models.PositiveSmallIntegerField("申诉期（天）", default=7)
    reports_target = models.PositiveSmallIntegerField(
        "每学期上报目标件数", default=2, help_text="上报件数达到此数记满分"
    )
    metric_weights = models.JSONField(
        "各项指标权重", default=dict, blank=True, help_text='如 {"night_on_time": 2}，未列出的为 1'
    )

    class Meta:
        verbose_name = "考核设置"
        verbose_name_plural = "考核设置"
        constraints = [
            models.CheckConstraint(
                condition=Q(computed_weight__lte=100) & Q(counselor_weight__lte=100),
                name="appraisal_weights_range",
            ),
        ]

    def weight_of(self, key: str) -> float:
        return weight_in(self.metric_weights, key)

    def grade_for(self, total: Decimal | None) -> str:
        if total is None:
            return ""
        if total >= self.excellent_min:
            return Grade.EXCELLENT
        if total >= self.good_min:
            return Grade.GOOD
        if total >= self.pass_min:
            return Grade.PASS
        return Grade.FAIL


def weight_in(weights: dict | None, key: str) -> float:
    """The weight an admin gave `key` in a JSON weights field: 1 when unlisted or not a number,
    never below 0."""
    try:
        return max(float((weights or {}).get(key, 1)), 0.0)
    except (TypeError, ValueError):
        return 1.0


def forget_settings(**kwargs) -> None:
    AppraisalSettings.forget()


@badge_colours(excellent="success", good="primary", passed="info", failed="danger")
class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASS = "passed", "合格"
    FAIL = "failed", "不合格"


@badge_colours(draft="secondary", published="success", objected="warning", answered="info")
class AppraisalState(models.TextChoices):
    DRAFT = "draft", "待公示"
    PUBLISHED = "published", "已公示"
    OBJECTED = "objected", "申诉中"
    ANSWERED = "answered", "申诉已答复"


SHOWN_TO_WORKER = [AppraisalState.PUBLISHED, AppraisalState.OBJECTED, AppraisalState.ANSWERED]


class AppraisalQuerySet(ScopedQuerySet):
    def published(self):
        return self.filter(state__in=SHOWN_TO_WORKER)


class Appraisal(VersionedModel):
    """网格员考核: one post's term in one semester — the figures computed from the records
    (a snapshot, kept as published), the counselor's score and comment, the total, the grade,
    the ranks in class and college, and the objection with its answer."""

    semester = models.ForeignKey(
        "org.Semester", verbose_name="学期", on_delete=models.PROTECT, related_name="+"
    )
    post = models.ForeignKey("grid.Post", verbose_name="职务", on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey(
        "people.Student", verbose_name="网格员", on_delete=models.PROTECT, related_name="appraisals"
    )
    kind = models.CharField("职务", max_length=24)
    school_class = models.ForeignKey(
        "org.SchoolClass",
        verbose_name="班级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    college = models.ForeignKey(
        "org.College", verbose_name="学院", on_delete=models.PROTECT, related_name="+"
    )
    place_label = models.CharField("任职位置", max_length=100, blank=True)
    metrics = models.JSONField("记录指标", default=dict, blank=True)
    computed_score = models.DecimalField("记录得分", max_digits=5, decimal_places=2, null=True, blank=True)
    computed_at = models.DateTimeField("计算时间", null=True, blank=True)
    counselor_score = models.DecimalField(
        "辅导员评分",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    comment = models.TextField("辅导员评语", blank=True)
    scored_by = user_ref("评分人", blank=True)
    total = models.DecimalField("总分", max_digits=5, decimal_places=2, null=True, blank=True)
    grade = models.CharField("等级", max_length=16, choices=Grade.choices, blank=True)
    class_rank = models.PositiveIntegerField("班级排名", null=True, blank=True)
    college_rank = models.PositiveIntegerField("学院排名", null=True, blank=True)
    state = models.CharField(
        "状态", max_length=16, choices=AppraisalState.choices, default=AppraisalState.DRAFT
    )
    published_at = models.DateTimeField("公示时间", null=True, blank=True)
    published_by = user_ref("公示人", blank=True)
    objection_until = models.DateTimeField("申诉截止", null=True, blank=True)
    objection_reason = models.TextField("申诉理由", blank=True)
    objected_at = models.DateTimeField("申诉时间", null=True, blank=True)
    answer = models.TextField("申诉答复", blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    answered_by = user_ref("答复人", blank=True)

    objects = AppraisalQuerySet.as_manager()

    class Meta:
        verbose_name = "网格员考核"
        verbose_name_plural = "网格员考核"
        ordering = ["college_rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["semester", "post"], name="appraisal_one_per_post_semester"),
            choices_check("state", AppraisalState, "appraisal_state_valid"),
            models.CheckConstraint(
                condition=Q(grade__in=Grade.values) | Q(grade=""), name="appraisal_grade_valid"
            ),
            models.CheckConstraint(
                condition=Q(counselor_score__isnull=True)
                | (Q(counselor_score__gte=0) & Q(counselor_score__lte=100)),
                name="appraisal_counselor_score_range",
            ),
        ]
        indexes = [models.Index(fields=["semester", "college", "state"])]

    def __str__(self):
        return f"{self.semester} {self.student_id} {self.kind}"

    @classmethod
    def scope_q(cls, scope, action):
        """Managers see (and change) the appraisals of their classes' and college's workers;
        a worker sees their own once published (the draft is the counselor's work)."""
        parts = []
        if action == "view" or action == "change":
            if scope.manage_college_ids:
                parts.append(Q(college_id__in=scope.manage_college_ids))
            if scope.manage_class_ids:
                parts.append(Q(school_class_id__in=scope.manage_class_ids))
        if action == "view" and scope.self_student_id:
            parts.append(Q(student_id=scope.self_student_id, state__in=SHOWN_TO_WORKER))
        if scope.everything and (action == "view" or scope.manage_everything):
            return ~MATCH_NOTHING
        return _or(parts)

    scope_distinct = False

    @property
    def kind_label(self) -> str:
        from campusgrid.grid.models import PostKind

        return PostKind(self.kind).label if self.kind in PostKind.values else self.kind

    def may_object(self, now: dt.datetime | None = None) -> bool:
        """Within the window after publication, once."""
        now = now or clock.now()
        return (
            self.state == AppraisalState.PUBLISHED
            and self.objection_until is not None
            and now <= self.objection_until
            and not self.objected_at
        )

    @property
    def objection_open(self) -> bool:
        return self.may_object(clock.now())
