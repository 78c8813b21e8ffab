"""走访 (issue 14 item 6; seed 000 三.3.(7)(8), 四.(4)): counselors and class teachers go into the
dormitories (深入宿舍) and classrooms (深入课堂), leaders take the student-affairs team into the
dormitories; targets say how often, and the rooms and classes not yet visited are listed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from campusgrid.core import clock
from campusgrid.core.models import choices_check, user_ref
from campusgrid.core.scoping import MATCH_NOTHING, ScopedQuerySet, _or, room_q


class VisitKind(models.TextChoices):
    DORM = "dorm", "深入宿舍"
    CLASSROOM = "classroom", "深入课堂"


class TargetRole(models.TextChoices):
    COUNSELOR = "counselor", "辅导员"
    CLASS_TEACHER = "class_teacher", "班主任"
    LEADER = "leader", "学院领导"


class TargetPer(models.TextChoices):
    SEMESTER = "semester", "每学期"
    MONTH = "month", "每月"


class VisitTarget(models.Model):
    """走访要求 (configurable). For counselors and class teachers: each room (深入宿舍) or class
    (深入课堂) of their classes at least `times` per period; for leaders: at least `times`
    rooms of the college sampled per period."""

    role = models.CharField("对象", max_length=16, choices=TargetRole.choices)
    kind = models.CharField("走访类型", max_length=16, choices=VisitKind.choices)
    per = models.CharField("周期", max_length=16, choices=TargetPer.choices, default=TargetPer.SEMESTER)
    times = models.PositiveSmallIntegerField("次数", default=2)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "走访要求"
        verbose_name_plural = "走访要求"
        ordering = ["role", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["role", "kind", "per"], name="visit_target_unique"),
            choices_check("role", TargetRole, "visit_target_role_valid"),
            choices_check("kind", VisitKind, "visit_target_kind_valid"),
            choices_check("per", TargetPer, "visit_target_per_valid"),
            models.CheckConstraint(condition=Q(times__gte=1), name="visit_target_times_positive"),
        ]

    def __str__(self):
        what = "每间寝室" if self.kind == VisitKind.DORM else "每个班级"
        if self.role == TargetRole.LEADER:
            return f"{self.get_role_display()}{self.get_per_display()}抽查至少{self.times}间寝室"
        return f"{self.get_role_display()}{self.get_per_display()}{self.get_kind_display()}{what}至少{self.times}次"


DEFAULT_TARGETS = [
    (TargetRole.COUNSELOR, VisitKind.DORM, TargetPer.SEMESTER, 2),
    (TargetRole.COUNSELOR, VisitKind.CLASSROOM, TargetPer.SEMESTER, 2),
    (TargetRole.CLASS_TEACHER, VisitKind.DORM, TargetPer.SEMESTER, 1),
    (TargetRole.LEADER, VisitKind.DORM, TargetPer.MONTH, 4),
]


class VisitQuerySet(ScopedQuerySet):
    pass


class Visit(models.Model):
    """走访记录: rooms or a class, the date, who went, what was seen."""

    kind = models.CharField("类型", max_length=16, choices=VisitKind.choices)
    visited_on = models.DateField("走访日期", db_index=True)
    college = models.ForeignKey(
        "org.College", verbose_name="学院", on_delete=models.PROTECT, related_name="+"
    )
    rooms = models.ManyToManyField("org.Room", verbose_name="寝室", blank=True, related_name="+")
    school_class = models.ForeignKey(
        "org.SchoolClass",
        verbose_name="班级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    visitors = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="走访人", related_name="+")
    companions = models.CharField("同行人员", max_length=255, blank=True, help_text="学工队伍等其他同行人员")
    seen = models.TextField("走访情况")
    recorded_by = user_ref("记录人")
    recorded_by_name = models.CharField("记录人", max_length=64)
    created_at = models.DateTimeField("记录时间", default=clock.now, editable=False)

    objects = VisitQuerySet.as_manager()
    scope_distinct = True

    class Meta:
        verbose_name = "走访记录"
        verbose_name_plural = "走访记录"
        ordering = ["-visited_on", "-id"]
        constraints = [
            choices_check("kind", VisitKind, "visit_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind="dorm") | Q(school_class__isnull=False), name="visit_classroom_has_class"
            ),
        ]

    def __str__(self):
        return f"{self.visited_on} {self.get_kind_display()}"

    @classmethod
    def scope_q(cls, scope, action):
        """Staff records: the visitors; level 3 and above over the class, the rooms' residents
        or the college. Students read none."""
        if scope.everything and scope.manage_everything:
            return ~MATCH_NOTHING
        parts = []
        if scope.user_id:
            parts.append(Q(visitors__id=scope.user_id))
        if scope.is_staff_member:
            if scope.manage_college_ids:
                parts.append(Q(college_id__in=scope.manage_college_ids))
            if scope.manage_class_ids:
                parts.append(Q(school_class_id__in=scope.manage_class_ids))
                rooms = room_q(scope, "rooms__", "change")
                if rooms is not MATCH_NOTHING:
                    parts.append(rooms)
        return _or(parts)


class FollowUp(models.Model):
    """走访后续: what must be done after a visit; it can become a problem report or a talk record."""

    visit = models.ForeignKey(Visit, verbose_name="走访", on_delete=models.CASCADE, related_name="follow_ups")
    text = models.CharField("后续事项", max_length=255)
    student = models.ForeignKey(
        "people.Student",
        verbose_name="学生",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    room = models.ForeignKey(
        "org.Room", verbose_name="寝室", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    problem = models.OneToOneField(
        "reports.Report",
        verbose_name="问题上报",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    talk = models.OneToOneField(
        "dossiers.TalkRecord",
        verbose_name="谈心谈话",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "走访后续事项"
        verbose_name_plural = "走访后续事项"
        ordering = ["id"]

    def __str__(self):
        return self.text
