"""公寓党建工作例会 (seed 004): a branch's regular dormitory party-work meetings with their
minutes, decisions (a responsible person and a due date each) and the 舆情 items raised,
each of which may become a problem report; and the quarter a branch held none."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from campusgrid.core import clock
from campusgrid.core.models import VersionedModel, user_ref
from campusgrid.core.scoping import ScopedQuerySet

from ._scope_assess import branch_area_q


class MeetingQuerySet(ScopedQuerySet):
    pass


class WorkMeeting(VersionedModel):
    """公寓党建工作例会: one meeting of a branch, its attendees and minutes."""

    branch = models.ForeignKey(
        "grid.PartyBranch", verbose_name="党支部", on_delete=models.PROTECT, related_name="work_meetings"
    )
    date = models.DateField("会议日期", db_index=True)
    place = models.CharField("地点", max_length=100, blank=True)
    host_name = models.CharField("主持人", max_length=64, blank=True)
    # Attendance is a session of the one attendance mechanism (service's Session of kind
    # party_meeting, one Attendance per person): no second register here.
    session = models.OneToOneField(
        "service.Session",
        verbose_name="考勤场次",
        on_delete=models.PROTECT,
        related_name="party_work_meeting",
    )
    other_attendees = models.CharField("其他出席人员", max_length=255, blank=True)
    minutes = models.TextField("会议纪要", max_length=5000)
    created_by = user_ref("记录人账号")
    created_by_name = models.CharField("记录人", max_length=64, blank=True)
    created_at = models.DateTimeField("记录时间", default=clock.now)

    objects = MeetingQuerySet.as_manager()
    scope_distinct = True

    class Meta:
        verbose_name = "公寓党建工作例会"
        verbose_name_plural = "公寓党建工作例会"
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.date} {self.branch_id}"

    @classmethod
    def scope_q(cls, scope, action):
        return branch_area_q(scope, "branch__", action)

    @property
    def attendees_present(self) -> list:
        """Who attended, from the session's attendance (prefetched by the selectors)."""
        from campusgrid.service.models import ATTENDED

        return [a.student or a.staff for a in self.session.attendances.all() if a.status in ATTENDED]


class MeetingDecision(models.Model):
    """会议决定事项: what was decided, who answers for it, by when."""

    meeting = models.ForeignKey(
        WorkMeeting, verbose_name="例会", on_delete=models.CASCADE, related_name="decisions"
    )
    text = models.CharField("决定事项", max_length=255)
    responsible = models.ForeignKey(
        "people.Student",
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    responsible_name = models.CharField("责任人姓名", max_length=64)
    due_on = models.DateField("完成期限")
    done_on = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        verbose_name = "例会决定事项"
        verbose_name_plural = "例会决定事项"
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.text

    def is_overdue(self, today=None) -> bool:
        today = today or clock.today()
        return self.done_on is None and today > self.due_on

    @property
    def overdue_now(self) -> bool:
        return self.is_overdue()


class OpinionItem(models.Model):
    """例会舆情事项: a public-opinion item raised at the meeting; one click makes it a problem
    report (category 舆情), linked both ways (`report`, and the report's `source_key`)."""

    meeting = models.ForeignKey(
        WorkMeeting, verbose_name="例会", on_delete=models.CASCADE, related_name="opinions"
    )
    text = models.TextField("舆情内容", max_length=1000)
    room = models.ForeignKey(
        "org.Room",
        verbose_name="涉及寝室",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    students = models.ManyToManyField("people.Student", verbose_name="涉及学生", blank=True, related_name="+")
    report = models.OneToOneField(
        "reports.Report",
        verbose_name="问题上报",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="party_opinion",
    )

    class Meta:
        verbose_name = "例会舆情事项"
        verbose_name_plural = "例会舆情事项"
        ordering = ["id"]

    def __str__(self):
        return self.text[:30]

    @property
    def source_key(self) -> str:
        return f"party-opinion:{self.pk}"


class MeetingQuarterFlag(models.Model):
    """本季度未召开例会: a branch that held no meeting in a quarter, flagged once by `tick`."""

    branch = models.ForeignKey(
        "grid.PartyBranch", verbose_name="党支部", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年份")
    quarter = models.PositiveSmallIntegerField("季度")
    flagged_at = models.DateTimeField("标记时间", default=clock.now)

    class Meta:
        verbose_name = "例会缺季标记"
        verbose_name_plural = "例会缺季标记"
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "year", "quarter"], name="party_meeting_flag_once"),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="party_meeting_flag_quarter"
            ),
        ]

    def __str__(self):
        return f"{self.year}Q{self.quarter} {self.branch_id}"
