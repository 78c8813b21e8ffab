"""The access log's own retention: rows older than CAMPUSGRID_ACCESS_LOG_DAYS (never
fewer than 180, which PostgreSQL enforces with a trigger) are purged by tick."""

import datetime as dt

from django.conf import settings

from .audit import audit_record
from .models import AccessLog


def purge_access_log(now: dt.datetime) -> int:
    cutoff = now - dt.timedelta(days=max(180, settings.CAMPUSGRID_ACCESS_LOG_DAYS))
    old = AccessLog.objects.filter(at__lt=cutoff)
    count = old._raw_delete(old.db)  # the model refuses delete(); only this purge may
    if count:
        audit_record(
            actor=None,
            verb="access_log.purge",
            target=None,
            summary=f"清理 {count} 条超过保留期限的敏感信息访问日志",
            count=count,
        )
    return count
