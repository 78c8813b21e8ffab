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
