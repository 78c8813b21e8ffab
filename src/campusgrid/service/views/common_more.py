"""Helpers of the pairing, 舆情 and visit pages."""

from django.core.paginator import Paginator

from campusgrid.core.errors import ServiceError
from campusgrid.core.excel import ledger_response, person_name, scope_label

PAGE_SIZE = 30


def page_of(request, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def wants_export(request) -> bool:
    return request.GET.get("format") == "xlsx"


def export(request, *, name: str, headers, rows, widths=None):
    return ledger_response(
        filename=f"{name}.xlsx",
        title=name,
        user_name=person_name(request.user),
        scope_label=scope_label(request.user),
        headers=headers,
        rows=rows,
        widths=widths,
    )


def put_errors(form, exc: ServiceError) -> None:
    """A service's refusal at the fields it names (all of them), or at the form's top."""
    errors = exc.errors or {None: exc.message}
    for field, message in errors.items():
        form.add_error(field if field in form.fields else None, message)
