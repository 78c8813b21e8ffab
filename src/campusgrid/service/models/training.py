"""网格员培训: the training each grid post kind requires, and the reminders sent about it.
Training itself is a `Session` of kind training whose topic names the requirement."""

from __future__ import annotations

from django.db import models

from campusgrid.core import clock


class TrainingRequirement(models.Model):
    """培训要求: holders of a post kind must attend a training of this topic within N days of
    taking the post (e.g. new dorm heads: 舍长岗前培训 within 30 days). Edited in admin."""

    post_kind = models.CharField("网格职务", max_length=24)
    topic = models.CharField("培训主题", max_length=64, help_text="与培训活动的主题一致")
    within_days = models.PositiveSmallIntegerField("任职后期限（天）", default=30)
    counts_before_days = models.PositiveSmallIntegerField(
        "任职前有效（天）", default=90, help_text="任职前这么多天内参加的同主题培训也算"
    )
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "培训要求"
        verbose_name_plural = "培训要求"
        ordering = ["post_kind", "topic"]
        constraints = [
            models.UniqueConstraint(fields=["post_kind", "topic"], name="service_requirement_unique"),
        ]

    def __str__(self):
        from campusgrid.grid.models import PostKind

        label = dict(PostKind.choices).get(self.post_kind, self.post_kind)
        return f"{label}：{self.topic}（{self.within_days}天内）"

    def clean(self):
        from django.core.exceptions import ValidationError

        from campusgrid.grid.models import PostKind

        if self.post_kind not in PostKind.values:
            raise ValidationError({"post_kind": "未知的网格职务"})


class TrainingReminder(models.Model):
    """培训提醒: the one reminder sent to a counselor about one post's missing training."""

    post = models.ForeignKey("grid.Post", verbose_name="任职", on_delete=models.CASCADE, related_name="+")
    requirement = models.ForeignKey(
        TrainingRequirement, verbose_name="培训要求", on_delete=models.CASCADE, related_name="reminders"
    )
    sent_at = models.DateTimeField("提醒时间", default=clock.now)

    class Meta:
        verbose_name = "培训提醒"
        verbose_name_plural = "培训提醒"
        constraints = [
            models.UniqueConstraint(fields=["post", "requirement"], name="service_reminder_once"),
        ]

    def __str__(self):
        return f"{self.post} {self.requirement}"
