"""党员志愿服务队: volunteer service teams per party branch, their members; their activities
are `Session`s of kind volunteer (service.models.sessions)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from campusgrid.core import clock
from campusgrid.core.scoping import ScopedQuerySet, _or

TEAM_THEMES = ["扶贫帮困", "学业互助", "平安公寓", "朋辈课堂", "心理健康咨询", "新生服务"]


class VolunteerTeam(models.Model):
    """党员志愿服务队: a team of a branch (or several teams of one) with a theme and a leader."""

    college = models.ForeignKey(
        "org.College", verbose_name="学院", on_delete=models.PROTECT, related_name="volunteer_teams"
    )
    branch = models.ForeignKey(
        "grid.PartyBranch",
        verbose_name="党支部",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="volunteer_teams",
    )
    name = models.CharField("队名", max_length=100)
    theme = models.CharField("服务主题", max_length=32, help_text="如 扶贫帮困、学业互助、平安公寓、朋辈课堂")
    leader = models.ForeignKey(
        "people.Student",
        verbose_name="队长",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = models.TextField("简介", blank=True)
    active = models.BooleanField("在册", default=True)
    created_at = models.DateTimeField("创建时间", default=clock.now, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope_distinct = True

    class Meta:
        verbose_name = "志愿服务队"
        verbose_name_plural = "志愿服务队"
        ordering = ["college", "name"]
        constraints = [models.UniqueConstraint(fields=["college", "name"], name="service_team_unique_name")]

    def __str__(self):
        return self.name

    @classmethod
    def scope_q(cls, scope, action):
        """A team is seen by its college's leaders, counselors and class teachers, its branch's
        area and its members; changed by level 3+ staff of its college."""
        from campusgrid.org.models import SchoolClass

        colleges = scope.college_ids if action == "view" else scope.manage_college_ids
        classes = scope.manage_class_ids  # counselors and class teachers, not class cadres
        parts: list[Q] = []
        if colleges:
            parts.append(Q(college_id__in=colleges))
        if classes:
            parts.append(Q(college_id__in=SchoolClass.objects.filter(id__in=classes).values("college_id")))
        if action == "view":
            if scope.party_room_ids:
                parts.append(Q(branch__rooms__room_id__in=scope.party_room_ids))
            if scope.self_student_id:
                parts.append(Q(members__student_id=scope.self_student_id))
                parts.append(Q(leader_id=scope.self_student_id))
        return _or(parts)


class TeamMember(models.Model):
    """服务队队员: a student's membership of a team (from joined_on until left_on)."""

    team = models.ForeignKey(
        VolunteerTeam, verbose_name="服务队", on_delete=models.CASCADE, related_name="members"
    )
    student = models.ForeignKey(
        "people.Student", verbose_name="学生", on_delete=models.PROTECT, related_name="volunteer_memberships"
    )
    joined_on = models.DateField("加入日期", default=clock.today)
    left_on = models.DateField("退出日期", null=True, blank=True)

    class Meta:
        verbose_name = "服务队队员"
        verbose_name_plural = "服务队队员"
        ordering = ["team", "joined_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "student"], condition=Q(left_on__isnull=True), name="service_member_once_open"
            )
        ]

    def __str__(self):
        return f"{self.team} {self.student}"
