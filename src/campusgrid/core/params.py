"""Request parameters read the same way by pages and the API."""

import datetime as dt

from campusgrid.core import clock


def date_param(request, name: str = "date", default: dt.date | None = None) -> dt.date:
    value = request.GET.get(name) or request.POST.get(name)
    if value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    return default or clock.today()


def past_day(text) -> dt.date | None:
    """`?on=YYYY-MM-DD` of the pages that show a past day (coverage, key students): the day when
    it is before today, else None — a malformed, today's or a future day is "now"."""
    try:
        day = dt.date.fromisoformat(text or "")
    except (TypeError, ValueError):
        return None
    return day if day < clock.today() else None
