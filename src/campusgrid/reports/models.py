"""Problem reports (SPEC §5): 发现问题 → 上报问题 → 处理问题 → 信息反馈.

A report concerns students and/or a room; it sits at a grid level (1 dorm head,
2 monitor, 3 counselor, 4 college, 5 university) and moves through the states
of `workflow.TRANSITIONS`. Every step is a ReportEvent; nothing is edited in place."""

import dataclasses

from django.conf import settings
from django.db import models
from django.db.models import Q

from campusgrid.core import clock
from campusgrid.core.badges import badge_colours
from campusgrid.core.models import VersionedModel, choices_check, user_ref
from campusgrid.core.scoping import MATCH_NOTHING, ScopedQuerySet, _or, student_q


class Severity(models.TextChoices):
    NORMAL = "normal", "一般"
    SERIOUS = "serious", "较重"
    MAJOR = "major", "重大"
    URGENT = "urgent", "紧急"

    @classmethod
    def from_label(cls, label: str) -> str | None:
        for value, text in cls.choices:
            if label in (value, text):
                return value
        return None


@badge_colours(
    reported="warning",
    accepted="primary",
    handled="info",
    fed_back="success",
    closed="secondary",
    returned="danger",
    withdrawn="light",
)
class State(models.TextChoices):
    REPORTED = "reported", "已上报"
    ACCEPTED = "accepted", "处理中"
    HANDLED = "handled", "已处理"
    FED_BACK = "fed_back", "已反馈"
    CLOSED = "closed", "已办结"
    RETURNED = "returned", "退回补充"
    WITHDRAWN = "withdrawn", "已撤销"  # a rule-made report whose cause was undone


OPEN_STATES = [State.REPORTED, State.ACCEPTED]
TERMINAL_STATES = [State.CLOSED, State.WITHDRAWN]
ACTIVE_STATES = [s for s in State if s not in TERMINAL_STATES]
LEVEL_NAMES = {
    0: "学生本人",
    1: "一级（舍长）",
    2: "二级（班长、团支书）",
    3: "三级（辅导员、班主任）",
    4: "四级（学院）",
    5: "学校（学工部）",
}


class Category(models.Model):
    """问题类别 (configurable). `urgent` categories reach levels 3 and 4 at once;
    `sensitive` ones (mental health, hardship, discipline) start at level 3 and are
    visible only to level 3 and above (and the reporter)."""

    name = models.CharField("名称", max_length=32, unique=True)
    urgent = models.BooleanField("直达三、四级", default=False)
    sensitive = models.BooleanField("敏感（仅三级及以上可见）", default=False)
    active = models.BooleanField("启用", default=True)
    order = models.PositiveSmallIntegerField("排序", default=50)

    class Meta:
        verbose_name = "问题类别"
        verbose_name_plural = "问题类别"
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class DeadlinePolicy(models.Model):
    """Time to accept and to handle, per severity (configurable in admin)."""

    severity = models.CharField("严重程度", max_length=16, choices=Severity.choices, unique=True)
    accept_minutes = models.PositiveIntegerField("受理时限（分钟）")
    handle_minutes = models.PositiveIntegerField("处理时限（分钟）")

    class Meta:
        verbose_name = "处理时限"
        verbose_name_plural = "处理时限"

    def __str__(self):
        return f"{self.get_severity_display()}：受理{self.accept_minutes}分钟，处理{self.handle_minutes}分钟"


DEFAULT_DEADLINES = {
    Severity.URGENT: (30, 4 * 60),
    Severity.MAJOR: (2 * 60, 24 * 60),
    Severity.SERIOUS: (12 * 60, 3 * 24 * 60),
    Severity.NORMAL: (24 * 60, 7 * 24 * 60),
}


DEFAULT_CATEGORIES = [
    # name, urgent (levels 3 and 4 at once), sensitive (level 3 and above only); as in migration 0002
    ("安全隐患", False, False),
    ("违章电器", False, False),
    ("矛盾纠纷", False, False),
    ("心理健康", True, True),
    ("舆情", False, False),
    ("违纪", False, True),
    ("夜不归宿", False, False),
    ("学业", False, False),
    ("生活困难", False, True),
    ("意识形态", False, False),
    ("突发事件", True, False),
    ("其他", False, False),
]


def ensure_defaults() -> None:
    """The default categories and deadlines (after a flush, e.g. `demo --replace`)."""
    for order, (name, urgent, sensitive) in enumerate(DEFAULT_CATEGORIES, start=1):
        Category.objects.get_or_create(
            name=name, defaults={"urgent": urgent, "sensitive": sensitive, "order": order * 10}
        )
    for severity, (accept, handle) in DEFAULT_DEADLINES.items():
        DeadlinePolicy.objects.get_or_create(
            severity=severity, defaults={"accept_minutes": accept, "handle_minutes": handle}
        )


def overdue_q(now) -> Q:
    """Past its deadline: not accepted in time, or open past the time to handle."""
    return Q(state=State.REPORTED, accept_due__lt=now) | Q(state__in=OPEN_STATES, handle_due__lt=now)


class ReportQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def overdue(self, now=None):
        """超时: the same rule as `Report.is_overdue`, in the database (`now` from the clock)."""
        return self.filter(overdue_q(now or clock.now()))


class Report(VersionedModel):
    """问题上报"""

    category = models.ForeignKey(
        Category, verbose_name="类别", on_delete=models.PROTECT, related_name="reports"
    )
    severity = models.CharField("严重程度", max_length=16, choices=Severity.choices, default=Severity.NORMAL)
    state = models.CharField(
        "状态", max_length=16, choices=State.choices, default=State.REPORTED, db_index=True
    )
    level = models.PositiveSmallIntegerField("当前负责层级", default=1)
    urgent = models.BooleanField("紧急直报", default=False)
    major_event = models.BooleanField("重大事件（已报学校）", default=False)
    students = models.ManyToManyField(
        "people.Student", verbose_name="涉及学生", blank=True, related_name="reports"
    )
    room = models.ForeignKey(
        "org.Room",
        verbose_name="涉及寝室",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    classes = models.ManyToManyField("org.SchoolClass", verbose_name="涉及班级", blank=True, related_name="+")
    college = models.ForeignKey(
        "org.College", verbose_name="学院", on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField("问题描述")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上报人",
        on_delete=models.PROTECT,
        related_name="reports_filed",
    )
    reporter_name = models.CharField("上报人姓名", max_length=64)
    reporter_level = models.PositiveSmallIntegerField("上报人层级", default=0)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="受理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports_handling",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="指定处理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports_assigned",
        help_text="同级转办时指定的处理人",
    )
    outcome = models.TextField("处理情况", blank=True)
    feedback = models.TextField("反馈内容", blank=True)
    source = models.CharField("来源", max_length=64, blank=True, help_text="如 查寝、安全检查、心理筛查")
    source_key = models.CharField(
        "来源标识", max_length=100, blank=True, db_index=True, help_text="防止同一来源重复生成上报"
    )
    created_at = models.DateTimeField("上报时间", default=clock.now, db_index=True)
    updated_at = models.DateTimeField("更新时间", default=clock.now)
    accept_due = models.DateTimeField("受理期限", null=True, blank=True, db_index=True)
    handle_due = models.DateTimeField("处理期限", null=True, blank=True, db_index=True)
    accept_escalated = models.BooleanField("已因受理超时升级", default=False)
    handle_escalated = models.BooleanField("已因处理超时升级", default=False)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    objects = ReportQuerySet.as_manager()
    scope_distinct = True

    class Meta:
        verbose_name = "问题上报"
        verbose_name_plural = "问题上报"
        ordering = ["-created_at", "-id"]
        constraints = [
            choices_check("state", State, "report_state_valid"),
            choices_check("severity", Severity, "report_severity_valid"),
            models.CheckConstraint(condition=Q(level__gte=1) & Q(level__lte=5), name="report_level_range"),
            models.UniqueConstraint(
                fields=["source_key"], condition=~Q(source_key=""), name="report_unique_source"
            ),
        ]
        indexes = [models.Index(fields=["college", "state", "level"])]

    def __str__(self):
        return f"#{self.pk} {self.category.name}（{self.get_severity_display()}）"

    @classmethod
    def scope_q(cls, scope, action):
        """Visible: one's own reports; for non-sensitive categories everything whose
        students, room, classes or college are in reach; sensitive categories only
        at level 3 and above."""
        if scope.everything:
            return ~MATCH_NOTHING
        parts = []
        if scope.user_id:
            parts.append(Q(reporter_id=scope.user_id))
        managed = []
        if scope.manage_class_ids:
            managed.append(Q(classes__id__in=scope.manage_class_ids))
        if scope.manage_college_ids:
            managed.append(Q(college_id__in=scope.manage_college_ids))
        parts += managed
        if action == "view":
            reach = []
            # Not through self: a student sees the reports they filed, not those about them.
            students = student_q(dataclasses.replace(scope, self_student_id=None), "students__", "view")
            if students is not MATCH_NOTHING:
                reach.append(students)
            rooms = scope.room_ids | scope.party_room_ids
            if rooms:
                reach.append(Q(room_id__in=rooms))
            if scope.class_ids:
                reach.append(Q(classes__id__in=scope.class_ids))
            if scope.college_ids:
                reach.append(Q(college_id__in=scope.college_ids))
            for part in reach:
                parts.append(part & Q(category__sensitive=False))
        return _or(parts)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES.get(self.level, str(self.level))

    def overdue(self, now=None) -> bool:
        now = now or clock.now()
        if self.state == State.REPORTED and self.accept_due and now > self.accept_due:
            return True
        return self.state in OPEN_STATES and bool(self.handle_due) and now > self.handle_due

    @property
    def is_overdue(self) -> bool:
        """超时 now (the project clock): what templates, panels and the API show."""
        return self.overdue(clock.now())

    @property
    def handle_overdue(self) -> bool:
        return self.state in OPEN_STATES and bool(self.handle_due) and clock.now() > self.handle_due

    def asks_of(self, user) -> str:
        """What the report waits for from `user` in their 待我处理 (Chinese), or ""."""
        if self.reporter_id == getattr(user, "pk", None):
            if self.state == State.FED_BACK:
                return "请确认"
            if self.state == State.RETURNED:
                return "请补充"
        return ""

    @property
    def is_terminal(self) -> bool:
        return self.state in TERMINAL_STATES


class ReportEvent(models.Model):
    """One step of a report's timeline: who, when, what, from which state to which."""

    report = models.ForeignKey(Report, verbose_name="上报", on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("时间", default=clock.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField("操作人", max_length=64)
    action = models.CharField("操作", max_length=24)
    from_state = models.CharField("原状态", max_length=16, blank=True)
    to_state = models.CharField("新状态", max_length=16)
    from_level = models.PositiveSmallIntegerField("原层级", null=True)
    to_level = models.PositiveSmallIntegerField("新层级", null=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "处理记录"
        verbose_name_plural = "处理记录"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"


def _photo_path(instance, filename):
    import uuid

    now = clock.now()
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"reports/{now:%Y/%m}/{uuid.uuid4().hex}.{suffix}"


class ReportPhoto(models.Model):
    """现场照片: stored in the data folder, served only to those who may see the report."""

    report = models.ForeignKey(Report, verbose_name="上报", on_delete=models.CASCADE, related_name="photos")
    file = models.FileField("照片", upload_to=_photo_path)
    content_type = models.CharField("类型", max_length=32)
    size = models.PositiveIntegerField("大小")
    uploaded_by = user_ref("上传人")
    uploaded_at = models.DateTimeField("上传时间", default=clock.now)

    class Meta:
        verbose_name = "现场照片"
        verbose_name_plural = "现场照片"
        ordering = ["id"]

    def __str__(self):
        return f"上报 #{self.report_id} 照片 {self.pk}"
