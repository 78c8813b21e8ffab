"""What every figure of the semester report shares: the college as its leader sees it (a
stand-in viewer carrying that scope, so the figures come from the same selectors and scope as
the list pages they link to), the semester's dates, list URLs, percentiles."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import threading
from urllib.parse import urlencode

from django.urls import reverse

from campusgrid.core import clock
from campusgrid.core.viewer import Viewer  # noqa: F401 (the figures' stand-in user)


@dataclasses.dataclass(frozen=True)
class Period:
    """The semester's days: `start`..`end`, and `on`, the day the state figures are taken
    (the semester's last day, or today while it runs)."""

    start: dt.date
    end: dt.date
    on: dt.date


def period(semester) -> Period:
    today = clock.today()
    return Period(start=semester.start, end=semester.end, on=min(semester.end, today))


def list_url(name: str, college, *args, **params) -> str:
    """A list page's URL with the figure's filters; `college=` narrows the office's view to
    the college (grid.middleware) and is the college filter of a leader's lists."""
    query = {k: v for k, v in params.items() if v not in (None, "")}
    if college is not None:
        query["college"] = college.pk
    url = reverse(name, args=args)
    return f"{url}?{urlencode(query)}" if query else url


def percentile(values: list[float], p: float) -> float | None:
    """The p-th percentile (0..1) by linear interpolation between the closest ranks (the
    median for p=0.5); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    low, high = math.floor(k), math.ceil(k)
    if low == high:
        return float(ordered[low])
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def pct(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def hours(value: float | None) -> float | None:
    return None if value is None else round(value / 3600, 1)


# Figures that share a computation (three from the rounds, two from the reports' timelines)
# compute it once per report: `build` clears this when it starts (per thread: a report is
# generated in its own thread).
_MEMO = threading.local()


def memo(key, compute):
    store = getattr(_MEMO, "values", None)
    if store is None:
        store = _MEMO.values = {}
    if key not in store:
        store[key] = compute()
    return store[key]


def clear_memo() -> None:
    _MEMO.values = {}
