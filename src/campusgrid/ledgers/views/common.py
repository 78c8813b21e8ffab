"""Helpers of the ledger pages."""

import datetime as dt

from django.core.paginator import Paginator

from campusgrid.core import clock
from campusgrid.core.excel import ledger_response, person_name, scope_label

PAGE_SIZE = 30


def page_of(request, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def date_param(request, name: str = "date", default: dt.date | None = None) -> dt.date:
    value = request.GET.get(name) or request.POST.get(name)
    if value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    return default or clock.today()


def wants_export(request) -> bool:
    return request.GET.get("format") == "xlsx"


def export(request, *, name: str, headers, rows, widths=None):
    """A 台账 as the paper ledger: the title is the file name, scoped to the user."""
    return ledger_response(
        filename=f"{name}.xlsx",
        title=name,
        user_name=person_name(request.user),
        scope_label=scope_label(request.user),
        headers=headers,
        rows=rows,
        widths=widths,
    )
