"""What the apps' list pages share: a page of rows, and the same rows as a 台账 in Excel
(`?format=xlsx`), titled and scoped like the paper ledger."""

from django.core.paginator import Paginator

from .excel import ledger_response, person_name, scope_label

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
