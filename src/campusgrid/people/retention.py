"""PIPL retention (个人信息保护法 第十九、四十七条): students who left (毕业, 退学)
longer ago than the configured period lose their sensitive and contact data.

The period is per way of leaving (`CAMPUSGRID_RETENTION_YEARS`, default 2 years for
both); 休学 students may come back and keep everything. Each app registers what it
erases (`core.registry.RetentionRule`): ID numbers, contact data and 住宿记录 here, dossiers,
talk records and screening results in dossiers, sensitive reports in reports. The
student row itself stays (name, 学号, class) so that ledgers keep their counts; it is
marked `retention_erased_at`, so the job is idempotent. Counts go to the audit log."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from campusgrid.core import clock
from campusgrid.core.actors import SYSTEM, require_actor
from campusgrid.core.audit import audit_record
from campusgrid.core.registry import RETENTION_RULES

from .models import AccessLog, Student, StudentStatus


def _years_ago(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def due_students(today: dt.date | None = None):
    """Students whose retention period has ended and who were not erased yet."""
    today = today or clock.today()
    condition = Q(pk__in=[])
    for status, years in settings.CAMPUSGRID_RETENTION_YEARS.items():
        cutoff = _years_ago(today, years)
        condition |= Q(status=status, left_on__isnull=False, left_on__lte=cutoff)
    return Student.objects.filter(condition, retention_erased_at__isnull=True)


def erase_personal(students, dry_run: bool) -> int:
    """ID number (and its digest) and contact data: mobile and parents' numbers."""
    if dry_run:
        return students.count()
    return students.update(id_number="", id_number_digest="", phone="", parent_phone="")


def erase_residence(students, dry_run: bool) -> int:
    """住宿记录: the closed stays (a student who left holds no bed; an open stay mirrors the bed
    the student row still names, which retention keeps)."""
    from .models import Residence

    stays = Residence.objects.filter(student__in=students, until__isnull=False)
    if dry_run:
        return stays.count()
    return stays.delete()[0]


def retention_run(*, actor, now: dt.datetime | None = None, dry_run: bool = False) -> dict:
    """{rule label: count}, plus the number of students; nothing is written on a dry run."""
    require_actor(actor)
    now = now or clock.now()
    with transaction.atomic():
        students = due_students(clock.local(now).date())
        ids = list(students.select_for_update().values_list("pk", flat=True))
        result = {"students": len(ids)}
        if not ids:
            return result
        chosen = Student.objects.filter(pk__in=ids)
        for rule in RETENTION_RULES:
            result[rule.label] = rule.run(chosen, dry_run)
        if dry_run:
            transaction.set_rollback(True)
            return result
        chosen.update(retention_erased_at=now)
        audit_record(
            actor=actor,
            verb="retention.erase",
            target=None,
            summary=f"按保留期限删除 {len(ids)} 名离校学生的敏感个人信息",
            counts=result,
        )
    return result


def purge_access_log(now: dt.datetime) -> int:
    """The access log's own retention: rows older than CAMPUSGRID_ACCESS_LOG_DAYS (never
    fewer than 180, which PostgreSQL enforces with a trigger) are purged by tick."""
    cutoff = now - dt.timedelta(days=max(180, settings.CAMPUSGRID_ACCESS_LOG_DAYS))
    old = AccessLog.objects.filter(at__lt=cutoff)
    count = old._raw_delete(old.db)  # the model refuses delete(); only this purge may
    if count:
        audit_record(
            actor=SYSTEM,
            verb="access_log.purge",
            target=None,
            summary=f"清理 {count} 条超过保留期限的敏感信息访问日志",
            count=count,
        )
    return count


def retention_tick(now: dt.datetime) -> int:
    if not settings.CAMPUSGRID_RETENTION_ENABLED:
        return 0
    return retention_run(actor=SYSTEM, now=now)["students"]


__all__ = ["StudentStatus", "due_students", "retention_run", "retention_tick"]
