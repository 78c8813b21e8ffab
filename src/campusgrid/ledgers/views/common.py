"""Helpers of the ledger pages."""

from django.core.paginator import Paginator

from campusgrid.core.excel import ledger_response, person_name, scope_label
from campusgrid.core.params import date_param  # noqa: F401 (the pages' name for it)

PAGE_SIZE = 30


def page_of(request, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


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
