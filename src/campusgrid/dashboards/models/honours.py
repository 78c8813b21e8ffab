"""班级荣誉 (seed 000 三.2.(3)): 优良学风班 and 三杰班 — each semester classes are ranked from
their records; the counselor proposes, the college decides."""

from __future__ import annotations

from django.db import models

from campusgrid.core import clock
from campusgrid.core.badges import badge_colours
from campusgrid.core.models import SingletonSettings, VersionedModel, choices_check, user_ref
from campusgrid.core.scoping import ScopedQuerySet, class_q

from .appraisal import weight_in


class HonourKind(models.TextChoices):
    STUDY_STYLE = "study_style", "优良学风班"
    SANJIE = "sanjie", "三杰班"


class HonourSettings(SingletonSettings):
    """班级评优设置: the weight of each criterion in the class ranking, and the least score a
    class must reach to be proposed for each honour (one row)."""

    criteria_weights = models.JSONField(
        "各项标准权重", default=dict, blank=True, help_text='如 {"class_absences": 2}，未列出的为 1'
    )
    study_style_min = models.PositiveSmallIntegerField("优良学风班最低分", default=80)
    sanjie_min = models.PositiveSmallIntegerField("三杰班最低分", default=90)

    class Meta:
        verbose_name = "班级评优设置"
        verbose_name_plural = "班级评优设置"

    def weight_of(self, key: str) -> float:
        return weight_in(self.criteria_weights, key)

    def min_score(self, kind: str) -> int:
        return self.sanjie_min if kind == HonourKind.SANJIE else self.study_style_min


def forget_settings(**kwargs) -> None:
    HonourSettings.forget()


@badge_colours(proposed="warning", approved="success", rejected="secondary")
class HonourState(models.TextChoices):
    PROPOSED = "proposed", "已推荐"
    APPROVED = "approved", "已授予"
    REJECTED = "rejected", "未通过"


class ClassHonourQuerySet(ScopedQuerySet):
    def approved(self):
        return self.filter(state=HonourState.APPROVED)


class ClassHonour(VersionedModel):
    """班级荣誉: a class proposed for an honour in a semester, with the score and rank it had
    when proposed, and the college's decision."""

    semester = models.ForeignKey(
        "org.Semester", verbose_name="学期", on_delete=models.PROTECT, related_name="+"
    )
    school_class = models.ForeignKey(
        "org.SchoolClass", verbose_name="班级", on_delete=models.PROTECT, related_name="honours"
    )
    college = models.ForeignKey(
        "org.College", verbose_name="学院", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("荣誉", max_length=16, choices=HonourKind.choices)
    state = models.CharField("状态", max_length=16, choices=HonourState.choices, default=HonourState.PROPOSED)
    score = models.DecimalField("评比得分", max_digits=5, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField("学院排名", null=True, blank=True)
    criteria = models.JSONField("评比指标", default=dict, blank=True)
    reason = models.TextField("推荐理由")
    proposed_by = user_ref("推荐人")
    proposed_at = models.DateTimeField("推荐时间", default=clock.now)
    decided_by = user_ref("决定人", blank=True)
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    decision_note = models.TextField("决定意见", blank=True)

    objects = ClassHonourQuerySet.as_manager()

    class Meta:
        verbose_name = "班级荣誉"
        verbose_name_plural = "班级荣誉"
        ordering = ["rank", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["semester", "school_class", "kind"], name="class_honour_one_per_kind_semester"
            ),
            choices_check("state", HonourState, "class_honour_state_valid"),
            choices_check("kind", HonourKind, "class_honour_kind_valid"),
        ]

    def __str__(self):
        return f"{self.semester} {self.school_class_id} {self.get_kind_display()}"

    @classmethod
    def scope_q(cls, scope, action):
        """As the class: whoever sees the class sees its honours; managers of it change them."""
        return class_q(scope, "school_class__", action)
