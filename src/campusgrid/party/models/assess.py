"""评议: the semester assessments of the party grid (seed 004 三.4) — the small-grid party
member assesses the activists of their grid, the activist the applicants of their room."""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q

from campusgrid.core import clock
from campusgrid.core.models import VersionedModel, choices_check, user_ref
from campusgrid.core.scoping import MATCH_NOTHING, ScopedQuerySet, _or, student_q


class AssessmentKind(models.TextChoices):
    MEMBER_ON_ACTIVIST = "member", "网格党员评议入党积极分子"
    ACTIVIST_ON_APPLICANT = "activist", "入党积极分子评议入党申请人"


class AssessmentQuerySet(ScopedQuerySet):
    pass


class Assessment(VersionedModel):
    """学期评议: one person's score (0–100) and comment on one activist or applicant for one
    semester; one per (semester, kind, subject) — a successor in the post revises it."""

    semester = models.ForeignKey(
        "org.Semester", verbose_name="学期", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("评议类别", max_length=16, choices=AssessmentKind.choices)
    subject = models.ForeignKey(
        "people.Student", verbose_name="被评议人", on_delete=models.CASCADE, related_name="party_assessments"
    )
    assessor = user_ref("评议人账号")
    assessor_name = models.CharField("评议人", max_length=64)
    score = models.PositiveSmallIntegerField("评分", validators=[MaxValueValidator(100)])
    comment = models.TextField("评语", max_length=500)
    created_at = models.DateTimeField("评议时间", default=clock.now)
    updated_at = models.DateTimeField("修改时间", default=clock.now)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = "党建评议"
        verbose_name_plural = "党建评议"
        ordering = ["-semester__start", "subject__student_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["semester", "kind", "subject"], name="party_assessment_one_per_term"
            ),
            models.CheckConstraint(condition=Q(score__lte=100), name="party_assessment_score_range"),
            choices_check("kind", AssessmentKind, "party_assessment_kind_valid"),
        ]

    def __str__(self):
        return f"{self.semester_id} {self.subject_id} {self.get_kind_display()}"

    @classmethod
    def scope_q(cls, scope, action):
        """Staff reach the assessments of the students they reach (scores masked unless level
        3+); a student reaches only the ones they gave and the ones about themselves — never
        another student's (issue 13 item 6)."""
        if scope.everything and (action == "view" or scope.manage_everything):
            return ~MATCH_NOTHING
        parts = []
        if scope.is_staff_member:
            condition = student_q(scope, "subject__", action)
            if condition is not MATCH_NOTHING:
                parts.append(condition)
        if scope.user_id:
            parts.append(Q(assessor_id=scope.user_id))
        if scope.self_student_id and action == "view":
            parts.append(Q(subject_id=scope.self_student_id))
        return _or(parts)
