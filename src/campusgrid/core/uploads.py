"""Import files: the one check of an upload (type and size, for pages and API), and
the files waiting between preview and confirmation, kept in the configured storage —
the data folder (outside the web root) by default, the shared bucket with
CAMPUSGRID_STORAGE=s3, so that several app servers see them — under a token bound to
the uploading user and the staging time. A staged file is deleted on confirmation or
cancellation, and by `tick` after IMPORT_STAGED_MAX_AGE_SECONDS (previews never
confirmed, requests that failed half-way)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage

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


STAGED = "imports"  # the folder of staged files in the configured storage


class StagedPath(type(Path())):
    """The local file an import reads (`read_rows` hands a path to its child process).
    `unlink()` discards the staged file itself too: on shared storage (CAMPUSGRID_STORAGE=s3)
    the local file is this server's working copy of the object every server sees."""

    def unlink(self, missing_ok: bool = False) -> None:
        super().unlink(missing_ok=True)
        if not _is_local():
            default_storage.delete(f"{STAGED}/{self.name}")


def _is_local() -> bool:
    """The staged files are the storage's own files (the data folder): no working copy."""
    return isinstance(default_storage, FileSystemStorage)


def _work_folder() -> Path:
    """Where this server keeps working copies of staged files held on shared storage."""
    if _is_local():
        path = Path(default_storage.path(STAGED))
    else:
        path = Path(settings.DATA_DIR) / "import-work"
    path.mkdir(parents=True, exist_ok=True)
    return path


def stage_upload(request, upload, *, prefix: str) -> tuple[str, Path]:
    """Save an uploaded .xlsx/.csv through the configured storage, so that the preview on
    one app server can be confirmed on another; returns (token, local path). The token
    names the user and the staging time."""
    suffix = ".xlsx" if upload.name.lower().endswith(".xlsx") else ".csv"
    staged_at = int(clock.now().timestamp())  # the clock's time (tests travel)
    token = f"{prefix}-{request.user.pk}-{staged_at}-{uuid.uuid4().hex}{suffix}"
    path = StagedPath(_work_folder() / token)
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    os.utime(path, (staged_at, staged_at))
    if not _is_local():
        try:
            with path.open("rb") as local:
                saved = default_storage.save(f"{STAGED}/{token}", File(local))
        except Exception:
            path.unlink(missing_ok=True)
            raise
        if saved != f"{STAGED}/{token}":  # the storage renamed it (never for a fresh uuid)
            default_storage.delete(saved)
            path.unlink(missing_ok=True)
            raise RuntimeError(f"staged import stored as {saved}")
    return token, path


def _max_age() -> dt.timedelta:
    return dt.timedelta(seconds=settings.IMPORT_STAGED_MAX_AGE_SECONDS)


def _staged_at(token: str) -> dt.datetime | None:
    """The staging time a token carries (prefix-user-<unix time>-uuid.suffix), or None."""
    parts = Path(token).stem.rsplit("-", 2)
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    return dt.datetime.fromtimestamp(int(parts[1]), tz=dt.UTC)


def _expired(token: str, now: dt.datetime) -> bool:
    staged = _staged_at(token)
    return staged is None or now - staged > _max_age()


def staged_path(request, token: str, *, prefix: str) -> Path | None:
    """This user's staged file as a local path, or None (expired, another user's, or a
    forged name). On shared storage the working copy is fetched when another server staged it."""
    if "/" in token or "\\" in token or not token.startswith(f"{prefix}-{request.user.pk}-"):
        return None
    path = StagedPath(_work_folder() / token)
    if _expired(token, clock.now()):
        path.unlink(missing_ok=True)
        return None
    if _is_local():
        return path if path.is_file() else None
    name = f"{STAGED}/{token}"
    if path.is_file():
        if default_storage.exists(name):
            return path
        path.unlink(missing_ok=True)  # confirmed or cancelled on another server
        return None
    try:
        with default_storage.open(name, "rb") as remote, path.open("wb") as out:
            for chunk in remote.chunks():
                out.write(chunk)
    except FileNotFoundError:
        path.unlink(missing_ok=True)
        return None
    except OSError:
        path.unlink(missing_ok=True)
        if not default_storage.exists(name):
            return None
        raise
    return path


def discard_staged(request, token: str, *, prefix: str) -> bool:
    """Delete this user's staged file (confirmed, cancelled or refused); True if there was one."""
    if (
        "/" in (token or "")
        or "\\" in (token or "")
        or not (token or "").startswith(f"{prefix}-{request.user.pk}-")
    ):
        return False
    path = StagedPath(_work_folder() / token)
    existed = path.is_file() or (not _is_local() and default_storage.exists(f"{STAGED}/{token}"))
    path.unlink(missing_ok=True)
    return existed


def expire_staged(now: dt.datetime | None = None) -> int:
    """The `tick` job: delete staged import files older than IMPORT_STAGED_MAX_AGE_SECONDS,
    in the storage and this server's working copies."""
    now = now or clock.now()
    removed = 0
    if not _is_local():
        try:
            _, names = default_storage.listdir(STAGED)
        except FileNotFoundError:
            names = []
        for name in names:
            if _expired(name, now):
                default_storage.delete(f"{STAGED}/{name}")
                removed += 1
    folder = _work_folder()
    for path in folder.iterdir():
        try:
            if path.is_file() and _expired(path.name, now):
                path.unlink()
                removed += 1 if _is_local() else 0
        except FileNotFoundError:  # confirmed or cancelled meanwhile
            continue
    if removed:
        log.info("deleted %d expired staged import file(s)", removed)
    return removed
