"""A figure on a dashboard (issue 15 item 1): a number that opens the list of exactly the
rows it counts. The panel counts a selector's queryset and links to the list page that
lists the same selector's rows with the same filters in the URL, so the two cannot
disagree; tests/dashboards/test_panels.py opens every figure's link for three personas and
compares the list's row count with the figure."""

from __future__ import annotations

import dataclasses
from urllib.parse import urlencode

from django.urls import reverse


@dataclasses.dataclass(frozen=True)
class Figure:
    label: str
    count: int
    url: str

    def __str__(self) -> str:
        return str(self.count)

    def __bool__(self) -> bool:  # a red 0 is no alert
        return bool(self.count)


def list_url(request, url_name: str, params: dict | None = None, args=()) -> str:
    """The list page's URL with `params` as its query, keeping the office's college focus
    (?college=, grid.middleware) so that the list shows the college the panel counted."""
    query = {k: v for k, v in (params or {}).items() if v not in (None, "")}
    focus = getattr(request, "focus_college", None) if request is not None else None
    if focus is not None and "college" not in query:
        query["college"] = focus.pk
    url = reverse(url_name, args=args)
    return url + ("?" + urlencode(query) if query else "")


def figure(request, label: str, count: int, url_name: str, params: dict | None = None, args=()) -> Figure:
    return Figure(label=label, count=int(count), url=list_url(request, url_name, params, args))


def figures_in(value) -> list[Figure]:
    """Every Figure in a panel's context (nested in dicts, lists and tuples), for the test."""
    found: list[Figure] = []
    if isinstance(value, Figure):
        found.append(value)
    elif isinstance(value, dict):
        for item in value.values():
            found.extend(figures_in(item))
    elif isinstance(value, (list, tuple)):
        for item in value:
            found.extend(figures_in(item))
    return found


def _bare(qs):
    """The queryset as counted: no ordering, no joins for display; the rows, not the joins."""
    if qs.query.distinct or qs.query.is_sliced:
        qs = qs.model._base_manager.filter(pk__in=qs.values("pk"))
    return qs.order_by().prefetch_related(None).select_related(None)


def count_together(user, **querysets) -> dict[str, int]:
    """The row counts of several lists in one query (a home panel's figures): each queryset —
    the list's own selector with the filters of the figure's link — becomes a scalar subquery
    (0 when empty), selected beside the viewing user's own row, which always exists. So each
    count is still exactly its list's rows, without a round trip per figure."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count, IntegerField, Subquery, Value
    from django.db.models.functions import Coalesce

    if not querysets:
        return {}
    columns = {}
    for name, qs in querysets.items():
        counted = _bare(qs).annotate(_one=Value(1)).values("_one").annotate(n=Count("*")).values("n")[:1]
        columns[name] = Coalesce(Subquery(counted, output_field=IntegerField()), 0)
    row = get_user_model().objects.filter(pk=user.pk).annotate(**columns).values(*columns).get()
    return {name: int(row[name]) for name in querysets}


def count_kept(user, name: str, inputs: tuple, build) -> dict[str, int]:
    """count_together(user, **build()), kept for the user until one of `inputs` (the models the
    lists read) changes or the minute turns (core.fingerprint.kept): the querysets are not even
    built when nothing changed. The tests check that `inputs` covers every table they read."""
    from .fingerprint import check_inputs, kept

    def compute() -> dict[str, int]:
        querysets = build()
        check_inputs(name, inputs, [_bare(qs) for qs in querysets.values()])
        return count_together(user, **querysets)

    return kept(user, name, inputs, compute)
