"""Shared machinery: audit events and base classes (the sensitive-data access log is people's)."""

import time
from typing import ClassVar, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

from . import clock
from .errors import Conflict


def user_ref(verbose_name: str, *, blank: bool = False) -> models.ForeignKey:
    """操作人/记录人: the account that did something (set by the service, `as_user(actor)`).
    The row outlives the account (SET_NULL; rows that must name the person keep a name
    beside it) and the user model gets no reverse accessor for it."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=blank,
        on_delete=models.SET_NULL,
        related_name="+",
    )


def choices_check(field: str, choices: type[models.Choices], name: str) -> models.CheckConstraint:
    """A choices field holds one of its choices in the database too, not only in forms."""
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


def exactly_one(first: str, second: str, name: str) -> models.CheckConstraint:
    """Exactly one of two nullable keys is set (a student or a staff member, never both)."""
    return models.CheckConstraint(
        condition=Q(**{f"{first}__isnull": True, f"{second}__isnull": False})
        | Q(**{f"{first}__isnull": False, f"{second}__isnull": True}),
        name=name,
    )


class ChoiceLabels:
    """`get_FOO_display()` from the field's labels read once. Django's rebuilds a dict of the
    field's choices on every call (flattened and made hashable, ~30 µs), which a list page asks
    twice a row: on the roster that was 2 ms of a 35 ms page (issue 17). The same answer: a
    model's choices are its TextChoices, fixed when the class is made."""

    def _get_FIELD_display(self, field):
        labels = field.__dict__.get("_campusgrid_labels")
        if labels is None:
            labels = field.__dict__["_campusgrid_labels"] = dict(make_hashable(field.flatchoices))
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)


class VersionedModel(ChoiceLabels, models.Model):
    """Optimistic concurrency: a form or API call carries the version it read;
    a save from an older version is refused instead of overwriting silently."""

    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        abstract = True

    def check_version(self, expected: int | None) -> None:
        if expected is not None and int(expected) != self.version:
            raise Conflict("该记录已被他人修改，请刷新页面后再提交（您看到的是旧版本）。")


_singletons: dict[type, tuple[float, models.Model]] = {}


class SingletonSettings(models.Model):
    """设置: one row of settings (pk 1), edited in admin or on a settings page. `get()` answers
    the row, or an unsaved one with the defaults until somebody saves it (reading writes nothing).

    The row is cached in the process, because a page asks for it several times: for
    `cache_seconds` (None: until `forget()`, which the app connects to request_started; 0: not
    cached). Saving it forgets it at once."""

    cache_seconds: ClassVar[float | None] = None

    class Meta:
        abstract = True

    def __str__(self):
        return str(self._meta.verbose_name)

    def save(self, *args, **kwargs):
        type(self).forget()
        return super().save(*args, **kwargs)

    @classmethod
    def get(cls) -> Self:
        if cls.cache_seconds == 0:
            return cls._read()
        cached = _singletons.get(cls)
        if cached is not None and (
            cls.cache_seconds is None or time.monotonic() - cached[0] < cls.cache_seconds
        ):
            return cached[1]
        found = cls._read()
        _singletons[cls] = (time.monotonic(), found)
        return found

    @classmethod
    def _read(cls) -> Self:
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    @classmethod
    def forget(cls, **kwargs) -> None:
        """Drop the cached row (a request_started receiver: `kwargs` are the signal's)."""
        _singletons.pop(cls, None)


class AuditEvent(models.Model):
    """操作日志: every write made through a service, who, when and what."""

    at = models.DateTimeField("时间", default=clock.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL
    )
    verb = models.CharField("操作", max_length=64, db_index=True)
    target_type = models.CharField("对象类型", max_length=64)
    target_id = models.CharField("对象", max_length=64)
    summary = models.CharField("摘要", max_length=255, blank=True)
    data = models.JSONField("详情", default=dict, blank=True)

    class Meta:
        verbose_name = "操作日志"
        verbose_name_plural = "操作日志"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb} {self.summary}"


class TickRun(models.Model):
    """定时任务运行记录: one run of `campusgrid tick` (on any server), for /healthz and
    to show that the jobs ran once however many servers run the scheduler."""

    started_at = models.DateTimeField("开始时间", db_index=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    as_of = models.DateTimeField("按此时刻执行")
    host = models.CharField("服务器", max_length=100, blank=True)
    pid = models.PositiveIntegerField("进程号", default=0)
    results = models.JSONField("各任务处理数", default=dict, blank=True)

    class Meta:
        verbose_name = "定时任务运行记录"
        verbose_name_plural = "定时任务运行记录"
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"tick {self.started_at:%Y-%m-%d %H:%M:%S}"


class TableChange(models.Model):
    """表变更计数: rows appended by database triggers on the tables that kept figures read
    (core/fingerprint.py); a table's counter is the sum of its rows' weights."""

    id = models.BigAutoField(primary_key=True)
    table = models.CharField("数据表", max_length=63)
    weight = models.BigIntegerField("次数", default=1)

    class Meta:
        verbose_name = "表变更计数"
        verbose_name_plural = "表变更计数"
        indexes = [models.Index(fields=["table", "weight"], name="core_tablechange_sum")]

    def __str__(self):
        return f"{self.table} +{self.weight}"
