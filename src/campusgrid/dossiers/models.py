"""重点学生"一人一档" (SPEC §7): key students with their reasons and risk level
and its history, talk records, mental-health screening, and the early-warning
rules that propose students for the key list.

All of it is sensitive personal information (SPEC §4): the querysets here answer
only to level 3 and above over the student and to people granted access
explicitly (`dossier_q`), never to students, whatever their posts."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from campusgrid.core import clock
from campusgrid.core.crypto import EncryptedTextField
from campusgrid.core.models import VersionedModel, choices_check, user_ref
from campusgrid.core.scoping import CHANGE, VIEW, ScopedQuerySet, scope_for, student_q


def dossier_q(scope, path: str = "student__", action: str = VIEW) -> Q:
    """Rows about students whose sensitive data the scope may read (VIEW: level 3
    and above over the student, or an explicit grant) or change (CHANGE: level 3+)."""
    condition = student_q(scope, path, CHANGE)
    if action == VIEW and scope.granted_student_ids:
        condition |= Q(**{f"{path}id__in": scope.granted_student_ids})
    return condition


class SensitiveQuerySet(ScopedQuerySet):
    """`visible_to` by the sensitive-data rule instead of the grid reach.

    No shortcut for `scope.everything` without the right to manage everything
    (an office post held by an inactive staff account reads nothing here)."""

    student_path = "student__"

    def visible_to(self, user, action: str = VIEW):
        scope = scope_for(user)
        if scope.manage_everything:
            return self
        return self.filter(dossier_q(scope, self.student_path, action))


class KeyReason(models.Model):
    """重点学生原因 (configurable): 心理, 学业困难, 经济困难, 违纪, ..."""

    name = models.CharField("名称", max_length=32, unique=True)
    order = models.PositiveSmallIntegerField("排序", default=50)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "重点学生原因"
        verbose_name_plural = "重点学生原因"
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


DEFAULT_REASONS = ["心理", "学业困难", "经济困难", "违纪", "身心疾病", "家庭变故", "就业困难", "其他"]


class RiskLevel(models.TextChoices):
    """风险等级, in increasing order."""

    ATTENTION = "attention", "关注"
    KEY = "key", "重点关注"
    HIGH = "high", "高危"

    @classmethod
    def rank(cls, value: str) -> int:
        return list(cls.values).index(value)

    @classmethod
    def from_label(cls, label: str) -> str | None:
        label = (label or "").strip()
        for value, text in cls.choices:
            if label in (value, text):
                return value
        return None


class KeyStudentQuerySet(SensitiveQuerySet):
    def active(self):
        return self.filter(active=True)

    def review_due(self, on=None):
        return self.filter(active=True, next_review__lte=on or clock.today())


class KeyStudent(VersionedModel):
    """重点学生档案: one file per student; removal from the list keeps the file."""

    student = models.OneToOneField(
        "people.Student", verbose_name="学生", on_delete=models.PROTECT, related_name="key_file"
    )
    active = models.BooleanField("在重点名单中", default=True, db_index=True)
    reasons = models.ManyToManyField(KeyReason, verbose_name="原因", related_name="+")
    risk_level = models.CharField("风险等级", max_length=16, choices=RiskLevel.choices)
    responsible = models.ForeignKey(
        "people.Staff",
        verbose_name="负责人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="key_students",
    )
    review_interval_days = models.PositiveSmallIntegerField(
        "复查间隔（天）", default=30, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    next_review = models.DateField("下次复查日期")
    last_reviewed = models.DateField("上次复查日期", null=True, blank=True)
    follow_up_plan = EncryptedTextField("跟进计划", blank=True)
    reminded_for = models.DateField(
        "已提醒的复查日期", null=True, blank=True, editable=False, help_text="复查提醒只发送一次"
    )
    created_at = models.DateTimeField("建档时间", default=clock.now, editable=False)
    created_by = user_ref("建档人", blank=True)
    updated_at = models.DateTimeField("更新时间", default=clock.now, editable=False)
    removed_at = models.DateTimeField("移出时间", null=True, blank=True)
    removed_reason = models.CharField("移出原因", max_length=255, blank=True)

    objects = KeyStudentQuerySet.as_manager()

    class Meta:
        verbose_name = "重点学生"
        verbose_name_plural = "重点学生"
        ordering = ["-active", "next_review", "id"]
        constraints = [
            choices_check("risk_level", RiskLevel, "key_student_level_valid"),
            models.CheckConstraint(
                condition=Q(review_interval_days__gte=1) & Q(review_interval_days__lte=365),
                name="key_student_interval_range",
            ),
        ]
        indexes = [models.Index(fields=["active", "next_review"])]

    def __str__(self):
        return f"{self.student.name}（{self.get_risk_level_display()}）"

    @property
    def review_overdue(self) -> bool:
        return self.active and self.next_review < clock.today()

    @property
    def review_due(self) -> bool:
        return self.active and self.next_review <= clock.today()

    def reasons_text(self) -> str:
        return "、".join(r.name for r in self.reasons.all())


class KeyStudentChange(models.Model):
    """重点学生变更记录: reasons and risk level over time, reviews, removal."""

    class Action(models.TextChoices):
        MARK = "mark", "列入重点名单"
        UPDATE = "update", "调整"
        REVIEW = "review", "复查"
        REMOVE = "remove", "移出重点名单"
        RESTORE = "restore", "重新列入"

    key_student = models.ForeignKey(
        KeyStudent, verbose_name="重点学生", on_delete=models.CASCADE, related_name="changes"
    )
    at = models.DateTimeField("时间", default=clock.now)
    actor = user_ref("操作人")
    actor_name = models.CharField("操作人", max_length=64)
    action = models.CharField("操作", max_length=16, choices=Action.choices)
    reasons = models.CharField("原因", max_length=255)
    risk_level = models.CharField("风险等级", max_length=16, choices=RiskLevel.choices)
    note = EncryptedTextField("说明", blank=True)

    class Meta:
        verbose_name = "重点学生变更记录"
        verbose_name_plural = "重点学生变更记录"
        ordering = ["at", "id"]

    def __str__(self):
        return (
            f"{self.at:%Y-%m-%d} {self.get_action_display()} {self.reasons} {self.get_risk_level_display()}"
        )


class TalkRecordQuerySet(SensitiveQuerySet):
    pass


class TalkRecord(models.Model):
    """谈心谈话记录: date, place, who, summary, next step."""

    student = models.ForeignKey(
        "people.Student", verbose_name="学生", on_delete=models.PROTECT, related_name="talk_records"
    )
    talked_on = models.DateField("谈话日期")
    place = models.CharField("地点", max_length=64)
    participants = models.CharField("谈话人", max_length=128)
    summary = EncryptedTextField("谈话内容摘要")
    next_step = EncryptedTextField("下一步措施", blank=True)
    recorded_by = user_ref("记录人")
    recorded_by_name = models.CharField("记录人", max_length=64)
    created_at = models.DateTimeField("记录时间", default=clock.now, editable=False)

    objects = TalkRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "谈心谈话记录"
        verbose_name_plural = "谈心谈话记录"
        ordering = ["-talked_on", "-id"]
        indexes = [models.Index(fields=["student", "talked_on"])]

    def __str__(self):
        return f"{self.talked_on} {self.student.name} 谈心谈话"


class ScreeningInstrument(models.Model):
    """心理测评量表 with its threshold: a total score at or above it needs follow-up."""

    name = models.CharField("量表", max_length=32, unique=True, help_text="如 UPI、SCL-90")
    threshold = models.DecimalField("阈值（总分达到即需跟进）", max_digits=7, decimal_places=2)
    max_score = models.DecimalField("最高分", max_digits=7, decimal_places=2, null=True, blank=True)
    description = models.CharField("说明", max_length=255, blank=True)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "心理测评量表"
        verbose_name_plural = "心理测评量表"
        ordering = ["name"]

    def __str__(self):
        return self.name


# name, threshold, max score, note (common screening cut-offs in Chinese universities)
DEFAULT_INSTRUMENTS = [
    ("UPI", 25, 60, "大学生人格问卷：总分25分及以上为第一类筛查对象"),
    ("SCL-90", 160, 450, "症状自评量表：总分160分及以上为阳性"),
    ("PHQ-9", 10, 27, "抑郁筛查：10分及以上为中度及以上"),
    ("GAD-7", 10, 21, "焦虑筛查：10分及以上为中度及以上"),
    ("SDS", 53, 100, "抑郁自评量表（标准分）：53分及以上"),
    ("SAS", 50, 100, "焦虑自评量表（标准分）：50分及以上"),
]


class ScreeningRound(models.Model):
    """一次筛查导入: the file a semester's results came from."""

    semester = models.ForeignKey(
        "org.Semester", verbose_name="学期", on_delete=models.PROTECT, related_name="screening_rounds"
    )
    file_name = models.CharField("文件", max_length=255, blank=True)
    imported_at = models.DateTimeField("导入时间", default=clock.now)
    imported_by = user_ref("导入人", blank=True)
    rows = models.PositiveIntegerField("行数", default=0)

    class Meta:
        verbose_name = "心理筛查批次"
        verbose_name_plural = "心理筛查批次"
        ordering = ["-imported_at", "-id"]

    def __str__(self):
        return f"{self.semester} {self.file_name}"


class FollowUp(models.TextChoices):
    NONE = "none", "无需跟进"
    PENDING = "pending", "待跟进"
    DONE = "done", "已跟进"


class ScreeningResultQuerySet(SensitiveQuerySet):
    def needing_follow_up(self):
        return self.filter(follow_up=FollowUp.PENDING)


class ScreeningResult(models.Model):
    """心理筛查结果: one student's score on one instrument in one semester."""

    round = models.ForeignKey(
        ScreeningRound, verbose_name="批次", on_delete=models.PROTECT, related_name="results"
    )
    semester = models.ForeignKey(
        "org.Semester", verbose_name="学期", on_delete=models.PROTECT, related_name="+"
    )
    student = models.ForeignKey(
        "people.Student", verbose_name="学生", on_delete=models.PROTECT, related_name="screening_results"
    )
    instrument = models.ForeignKey(
        ScreeningInstrument, verbose_name="量表", on_delete=models.PROTECT, related_name="results"
    )
    total_score = models.DecimalField("总分", max_digits=7, decimal_places=2)
    flags = EncryptedTextField("标记", blank=True)
    crisis = models.BooleanField("危机", default=False)
    over_threshold = models.BooleanField("超过阈值", default=False, help_text="按导入时量表的阈值判定")
    follow_up = models.CharField(
        "跟进", max_length=16, choices=FollowUp.choices, default=FollowUp.NONE, db_index=True
    )
    follow_up_note = EncryptedTextField("跟进情况", blank=True)
    followed_up_by = user_ref("跟进人", blank=True)
    followed_up_at = models.DateTimeField("跟进时间", null=True, blank=True)
    report = models.ForeignKey(
        "reports.Report",
        verbose_name="危机上报",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported_at = models.DateTimeField("导入时间", default=clock.now)

    objects = ScreeningResultQuerySet.as_manager()

    class Meta:
        verbose_name = "心理筛查结果"
        verbose_name_plural = "心理筛查结果"
        ordering = ["-imported_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["semester", "student", "instrument"], name="screening_one_result_per_semester"
            ),
            choices_check("follow_up", FollowUp, "screening_follow_up_valid"),
        ]

    def __str__(self):
        return f"{self.semester} {self.student.name} {self.instrument.name}"


class WarningRule(models.Model):
    """预警规则: an explainable rule that proposes students for the key list.

    `kind` names the function in `warnings.RULES`; `params` configures it (counts,
    windows in days, report categories)."""

    class Kind(models.TextChoices):
        NIGHT_ABSENCES = "night_absences", "多次夜不归宿"
        HOLIDAY_OVERDUE = "holiday_overdue", "节假日逾期未返校"
        REPEATED_REPORTS = "repeated_reports", "同类上报多次"
        SCREENING_FLAG = "screening_flag", "心理筛查预警"

    key = models.SlugField("标识", max_length=32, unique=True)
    kind = models.CharField("规则类型", max_length=32, choices=Kind.choices)
    name = models.CharField("名称", max_length=64)
    description = models.CharField("说明", max_length=255, blank=True)
    params = models.JSONField("参数", default=dict, blank=True)
    suggested_reason = models.ForeignKey(
        KeyReason, verbose_name="建议原因", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    suggested_level = models.CharField(
        "建议风险等级", max_length=16, choices=RiskLevel.choices, default=RiskLevel.ATTENTION
    )
    active = models.BooleanField("启用", default=True)
    order = models.PositiveSmallIntegerField("排序", default=50)

    class Meta:
        verbose_name = "预警规则"
        verbose_name_plural = "预警规则"
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class ProposalState(models.TextChoices):
    OPEN = "open", "待处理"
    ACCEPTED = "accepted", "已列入重点学生"
    DISMISSED = "dismissed", "已忽略"
    SUPERSEDED = "superseded", "已被新预警取代"


class WarningProposalQuerySet(SensitiveQuerySet):
    def open(self):
        return self.filter(state=ProposalState.OPEN)


class WarningProposal(models.Model):
    """预警: a rule proposes a student, with the records that triggered it.

    `fingerprint` identifies the set of records; a dismissed proposal is never
    proposed again for the same records (nor for a subset of them)."""

    State = ProposalState

    rule = models.ForeignKey(
        WarningRule, verbose_name="规则", on_delete=models.PROTECT, related_name="proposals"
    )
    student = models.ForeignKey(
        "people.Student", verbose_name="学生", on_delete=models.PROTECT, related_name="warning_proposals"
    )
    fingerprint = models.CharField("记录指纹", max_length=40)
    records = models.JSONField("依据记录", default=list)
    explanation = models.CharField("说明", max_length=500)
    suggested_level = models.CharField(
        "建议风险等级", max_length=16, choices=RiskLevel.choices, default=RiskLevel.ATTENTION
    )
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.OPEN, db_index=True)
    created_at = models.DateTimeField("产生时间", default=clock.now)
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    decided_by = user_ref("处理人", blank=True)
    decision_note = models.CharField("处理说明", max_length=255, blank=True)
    key_student = models.ForeignKey(
        KeyStudent,
        verbose_name="重点学生",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = WarningProposalQuerySet.as_manager()

    class Meta:
        verbose_name = "预警"
        verbose_name_plural = "预警"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "student", "fingerprint"], name="warning_unique_records"),
            choices_check("state", ProposalState, "warning_state_valid"),
        ]
        indexes = [models.Index(fields=["rule", "student"])]

    def __str__(self):
        return f"{self.rule.name}：{self.student.name}"

    @property
    def record_keys(self) -> set[str]:
        return {f"{r['type']}:{r['id']}" for r in self.records}


# key, kind, name, description, params, suggested reason, suggested level (as in migration 0002)
DEFAULT_RULES = [
    ("night-absences", "night_absences", "多次夜不归宿", "30天内夜不归宿2次及以上", {"count": 2, "days": 30}, "其他", "attention"),
    ("holiday-overdue", "holiday_overdue", "节假日逾期未返校", "节假日离校后超过应返校时间仍未返校", {"grace_hours": 0}, "其他", "attention"),
    ("repeated-discipline", "repeated_reports", "多次违纪", "180天内被上报违纪2次及以上", {"categories": ["违纪"], "count": 2, "days": 180}, "违纪", "key"),
    ("repeated-disputes", "repeated_reports", "多次矛盾纠纷", "90天内涉及矛盾纠纷上报2次及以上", {"categories": ["矛盾纠纷"], "count": 2, "days": 90}, "其他", "attention"),
    ("screening-flag", "screening_flag", "心理筛查预警", "心理筛查总分达到量表阈值或有危机标记", {"days": 365}, "心理", "key"),
]  # fmt: skip


def ensure_defaults() -> None:
    """The default reasons, instruments and rules (after a flush, e.g. `demo --replace`)."""
    for order, name in enumerate(DEFAULT_REASONS, start=1):
        KeyReason.objects.get_or_create(name=name, defaults={"order": order * 10})
    for name, threshold, max_score, description in DEFAULT_INSTRUMENTS:
        ScreeningInstrument.objects.get_or_create(
            name=name, defaults={"threshold": threshold, "max_score": max_score, "description": description}
        )
    for order, (key, kind, name, description, params, reason, level) in enumerate(DEFAULT_RULES, start=1):
        WarningRule.objects.get_or_create(
            key=key,
            defaults={
                "kind": kind,
                "name": name,
                "description": description,
                "params": params,
                "suggested_reason": KeyReason.objects.filter(name=reason).first(),
                "suggested_level": level,
                "order": order * 10,
            },
        )
