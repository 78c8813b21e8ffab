"""Import files: the one check of an upload (type and size, for pages and API), and
the files waiting between preview and confirmation, kept in the data folder (outside
the web root) under a token bound to the uploading user. A staged file is deleted on
confirmation or cancellation, and by `tick` after IMPORT_STAGED_MAX_AGE_SECONDS
(previews never confirmed, requests that failed half-way)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import uuid
from pathlib import Path

from django.conf import settings

from . import clock

log = logging.getLogger("campusgrid.imports")


def import_upload_error(upload) -> str | None:
    """Why an uploaded import file is refused before it is read (type, size), or None.
    What is inside is checked by `core.imports.read_rows`."""
    from .imports import check_size

    if not (upload.name or "").lower().endswith((".xlsx", ".csv")):
        return "只支持 .xlsx 或 .csv 文件"
    try:
        check_size(upload.size or 0)
    except ValueError as exc:
        return str(exc)
    return None


def _folder() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def stage_upload(request, upload, *, prefix: str) -> tuple[str, Path]:
    """Save an uploaded .xlsx/.csv; returns (token, path). The token names the user."""
    suffix = ".xlsx" if upload.name.lower().endswith(".xlsx") else ".csv"
    token = f"{prefix}-{request.user.pk}-{uuid.uuid4().hex}{suffix}"
    path = _folder() / token
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    staged_at = clock.now().timestamp()  # the file's time is the clock's (tests travel)
    os.utime(path, (staged_at, staged_at))
    return token, path


def _max_age() -> dt.timedelta:
    return dt.timedelta(seconds=settings.IMPORT_STAGED_MAX_AGE_SECONDS)


def _expired(path: Path, now: dt.datetime) -> bool:
    staged = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC)
    return now - staged > _max_age()


def staged_path(request, token: str, *, prefix: str) -> Path | None:
    """The staged file of this user, or None (expired, another user's, or a forged path)."""
    if "/" in token or "\\" in token or not token.startswith(f"{prefix}-{request.user.pk}-"):
        return None
    path = _folder() / token
    try:
        if _expired(path, clock.now()):
            path.unlink(missing_ok=True)
            return None
    except FileNotFoundError:
        return None
    return path


def discard_staged(request, token: str, *, prefix: str) -> bool:
    """Delete this user's staged file (confirmed, cancelled or refused); True if there was one."""
    path = staged_path(request, token or "", prefix=prefix)
    if path is None:
        return False
    path.unlink(missing_ok=True)
    return True


def expire_staged(now: dt.datetime | None = None) -> int:
    """The `tick` job: delete staged import files older than IMPORT_STAGED_MAX_AGE_SECONDS."""
    now = now or clock.now()
    folder = Path(settings.MEDIA_ROOT) / "imports"
    if not folder.is_dir():
        return 0
    removed = 0
    for path in folder.iterdir():
        try:
            if path.is_file() and _expired(path, now):
                path.unlink()
                removed += 1
        except FileNotFoundError:  # confirmed or cancelled meanwhile
            continue
    if removed:
        log.info("deleted %d expired staged import file(s)", removed)
    return removed
