"""The one clock: every piece of code asks here for "now".

Tests and `campusgrid tick --now` move it with `frozen_at`; everything else
gets the real time. Timezone-aware datetimes only.
"""

import contextlib
import contextvars
import datetime as dt

from django.utils import timezone

_override: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar("campusgrid_now", default=None)


def now() -> dt.datetime:
    value = _override.get()
    return value if value is not None else timezone.now()


def today() -> dt.date:
    return timezone.localtime(now()).date()


def local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value)


@contextlib.contextmanager
def frozen_at(moment: dt.datetime):
    """Run the block as if the time were `moment` (aware, or naive in Asia/Shanghai)."""
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    token = _override.set(moment)
    try:
        yield moment
    finally:
        _override.reset(token)


def set_now(moment: dt.datetime | None) -> None:
    """Pin (or with None, release) the clock for the rest of this context; used by tests."""
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    _override.set(moment)
