"""The semester report's generation runs: one row per request, its progress while a
background thread computes it, and the finished PDF and .xlsx."""

from django.db import models
from django.db.models import Q

from campusgrid.core import clock
from campusgrid.core.badges import badge_colours
from campusgrid.core.models import choices_check, user_ref
from campusgrid.core.scoping import MATCH_NOTHING, ScopedQuerySet


@badge_colours(queued="secondary", running="primary", done="success", failed="danger")
class RunState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "生成中"
    DONE = "done", "已完成"
    FAILED = "failed", "生成失败"


STALLED_MINUTES = 10


class SemesterReportRunQuerySet(ScopedQuerySet):
    pass


class SemesterReportRun(models.Model):
    """学期工作报告: one generation of a college's (or the university's) semester report."""

    college = models.ForeignKey(
        "org.College", verbose_name="学院", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    semester = models.ForeignKey(
        "org.Semester", verbose_name="学期", on_delete=models.CASCADE, related_name="+"
    )
    requested_by = user_ref("生成人")
    requested_by_name = models.CharField("生成人姓名", max_length=64, blank=True)
    requested_at = models.DateTimeField("申请时间", default=clock.now)
    state = models.CharField("状态", max_length=16, choices=RunState.choices, default=RunState.QUEUED)
    done = models.PositiveSmallIntegerField("已完成指标", default=0)
    total = models.PositiveSmallIntegerField("指标总数", default=0)
    stage = models.CharField("当前步骤", max_length=100, blank=True)
    error = models.CharField("错误", max_length=255, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    data = models.JSONField("报告数据", null=True, blank=True)
    pdf = models.BinaryField("PDF", null=True, blank=True)
    xlsx = models.BinaryField("Excel", null=True, blank=True)

    objects = SemesterReportRunQuerySet.as_manager()

    class Meta:
        verbose_name = "学期工作报告"
        verbose_name_plural = "学期工作报告"
        ordering = ["-requested_at", "-id"]
        constraints = [
            choices_check("state", RunState, "report_run_state_valid"),
        ]

    def __str__(self):
        return f"{self.college.name if self.college_id else '全校'} {self.semester.name}"

    @classmethod
    def scope_q(cls, scope, action):
        """A college's report: its leaders (level 4) and the office; the university's: the office."""
        if scope.manage_everything:
            return ~MATCH_NOTHING
        if scope.manage_college_ids and 4 in scope.levels:
            return Q(college_id__in=scope.manage_college_ids)
        return MATCH_NOTHING

    @property
    def stalled(self) -> bool:
        """Still queued or running long after any report would have finished: the process that
        computed it was stopped (a restart); the page says so instead of polling for ever."""
        import datetime as dt

        return self.state in (
            RunState.QUEUED,
            RunState.RUNNING,
        ) and clock.now() - self.requested_at > dt.timedelta(minutes=STALLED_MINUTES)

    @property
    def percent(self) -> int:
        return round(self.done * 100 / self.total) if self.total else 0

    @property
    def scope_name(self) -> str:
        return self.college.name if self.college_id else "全校"
