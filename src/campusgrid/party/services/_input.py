"""What the party services read from a form or an API body the same way."""

from __future__ import annotations

from campusgrid.core.errors import ServiceError


def text_input(value, *, field: str, label: str, limit: int = 255, required: bool = False) -> str:
    """A stripped text of at most `limit` characters (at least 2 when `required`); anything
    else, a number or a list from a JSON body, is refused naming the field."""
    if value is not None and not isinstance(value, str):
        raise ServiceError(f"{label}须为文字", field=field)
    text = (value or "").strip()
    if required and len(text) < 2:
        raise ServiceError(f"请填写{label}", field=field)
    if len(text) > limit:
        raise ServiceError(f"{label}最多{limit}字", field=field)
    return text
