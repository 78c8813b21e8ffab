"""Import files waiting between preview and confirmation: kept in the data folder
(outside the web root) under a token bound to the uploading user."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings


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
    return token, path


def staged_path(request, token: str, *, prefix: str) -> Path | None:
    """The staged file of this user, or None (expired, another user's, or a forged path)."""
    if "/" in token or "\\" in token or not token.startswith(f"{prefix}-{request.user.pk}-"):
        return None
    path = _folder() / token
    return path if path.exists() else None
