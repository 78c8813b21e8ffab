"""学期评优 (seed 004 (三)3): 学生公寓优秀党员 and 学生公寓先进个人, proposed from the records
by the branch secretary within the branch's quota, decided by the branch committee,
published by the college."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from campusgrid.core import clock
from campusgrid.core.badges import badge_colours
from campusgrid.core.models import VersionedModel, choices_check, user_ref
from campusgrid.core.scoping import ScopedQuerySet, student_q

from ._scope_assess import branch_area_q


class AwardKind(models.TextChoices):
    EXCELLENT_MEMBER = "excellent_member", "学生公寓优秀党员"
    ADVANCED = "advanced", "学生公寓先进个人"


# Places per branch and semester when the college has set none (AwardQuota overrides).
DEFAULT_QUOTAS = {AwardKind.EXCELLENT_MEMBER: 2, AwardKind.ADVANCED: 3}


@badge_colours(proposed="warning", approved="primary", rejected="secondary", published="success")
class AwardState(models.TextChoices):
    PROPOSED = "proposed", "支部书记已推荐"
    APPROVED = "approved", "支委会已通过"
    REJECTED = "rejected", "支委会未通过"
    PUBLISHED = "published", "已公布"


# Proposals that hold a place of the quota.
HOLDING_STATES = [AwardState.PROPOSED, AwardState.APPROVED, AwardState.PUBLISHED]


class AwardQuota(models.Model):
    """评优名额: how many of one award a branch may propose in a semester (set by the college)."""

    branch = models.ForeignKey(
        "grid.PartyBranch", verbose_name="党支部", on_delete=models.CASCADE, related_name="+"
    )
    semester = models.ForeignKey(
        "org.Semester", verbose_name="学期", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField("奖项", max_length=24, choices=AwardKind.choices)
    quota = models.PositiveSmallIntegerField("名额")

    class Meta:
        verbose_name = "评优名额"
        verbose_name_plural = "评优名额"
        constraints = [
            models.UniqueConstraint(fields=["branch", "semester", "kind"], name="party_award_quota_unique"),
            choices_check("kind", AwardKind, "party_award_quota_kind_valid"),
        ]

    def __str__(self):
        return f"{self.branch_id} {self.semester_id} {self.kind} {self.quota}"


class AwardQuerySet(ScopedQuerySet):
    pass


class Award(VersionedModel):
    """评优推荐: one student proposed for one award of one semester, with the reasons the
    records give, through the branch's decision to publication."""

    semester = models.ForeignKey(
        "org.Semester", verbose_name="学期", on_delete=models.PROTECT, related_name="+"
    )
    branch = models.ForeignKey(
        "grid.PartyBranch", verbose_name="党支部", on_delete=models.PROTECT, related_name="party_awards"
    )
    kind = models.CharField("奖项", max_length=24, choices=AwardKind.choices)
    student = models.ForeignKey(
        "people.Student", verbose_name="学生", on_delete=models.CASCADE, related_name="party_awards"
    )
    state = models.CharField("状态", max_length=16, choices=AwardState.choices, default=AwardState.PROPOSED)
    reasons = models.JSONField("推荐理由（依据记录）", default=list, blank=True)
    note = models.CharField("书记推荐意见", max_length=255, blank=True)
    proposed_by = user_ref("推荐人账号")
    proposed_by_name = models.CharField("推荐人", max_length=64, blank=True)
    proposed_at = models.DateTimeField("推荐时间", default=clock.now)
    decided_by = user_ref("记录决定人账号", blank=True)
    decided_by_name = models.CharField("记录决定人", max_length=64, blank=True)
    decided_on = models.DateField("支委会日期", null=True, blank=True)
    decision_note = models.CharField("支委会意见", max_length=255, blank=True)
    published_by_name = models.CharField("公布人", max_length=64, blank=True)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)

    objects = AwardQuerySet.as_manager()
    scope_distinct = True

    class Meta:
        verbose_name = "学期评优"
        verbose_name_plural = "学期评优"
        ordering = ["-semester__start", "branch", "kind", "student__student_no"]
        constraints = [
            models.UniqueConstraint(fields=["semester", "kind", "student"], name="party_award_one_per_term"),
            choices_check("kind", AwardKind, "party_award_kind_valid"),
            choices_check("state", AwardState, "party_award_state_valid"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.student_id}"

    @classmethod
    def scope_q(cls, scope, action):
        """A published award is seen by whoever sees the student; proposals by the branch's
        secretary and the college (the branch's records; activists do not see them)."""
        area = branch_area_q(_without_rooms(scope), "branch__", action)
        if action == "view":
            area |= Q(state=AwardState.PUBLISHED) & student_q(scope, "student__", action)
        return area


def _without_rooms(scope):
    import dataclasses

    return dataclasses.replace(scope, party_room_ids=frozenset())
