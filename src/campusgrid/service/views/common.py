"""Helpers of the service pages."""

from __future__ import annotations

from django.core.paginator import Paginator

from campusgrid.core.excel import ledger_response, person_name, scope_label

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


def form_error(form, exc) -> None:
    """A service's refusal at the field it names (or at the top of the form)."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)
