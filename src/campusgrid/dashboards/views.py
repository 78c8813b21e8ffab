"""The dashboards page: the charts of the person's reach (levels 3–5), each loading its JSON
from /api/v1/dashboards/charts/<key>/ (static/campusgrid/dashboards/charts.js draws it and
opens a datum's rows on click). The office sees one row a college and opens any college's
dashboard (?college=, grid.middleware narrows the scope for the request)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from campusgrid.core.scoping import scope_for

from .policy import charts_for, may_see_dashboards


@login_required
def index(request):
    user = request.user
    scope = scope_for(user)
    if not may_see_dashboards(user, scope):
        raise Http404("未找到，或不在您的管理范围内")
    focus = getattr(request, "focus_college", None)
    query = f"?college={focus.pk}" if focus is not None else ""
    charts = [
        {
            "key": chart.key,
            "title": chart.title,
            "kind": chart.kind,
            "url": reverse("dashboard-chart-detail", args=[chart.key]) + query,
        }
        for chart in charts_for(user, scope)
    ]
    colleges = None
    if scope.spans_colleges:
        from campusgrid.core.registry import COLLEGE_COLUMNS
        from campusgrid.grid.selectors import college_overview

        colleges = {"rows": college_overview(user=user), "columns": COLLEGE_COLUMNS}
    context = {
        "charts": charts,
        "colleges": colleges,
        "page_title": f"数据看板 · {focus.name}" if focus is not None else "数据看板",
    }
    return render(request, "dashboards/index.html", context)
