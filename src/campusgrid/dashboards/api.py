"""The dashboards app's REST API under /api/v1/dashboards/… (scoped: every chart reads through
its app's selectors with the requesting user; a chart the user may not see answers 404).

`?college=<id>` narrows the office's scope to that college as grid.middleware does for pages
(the middleware leaves /api/ alone)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from campusgrid.core.scoping import scope_for

from .policy import charts_for


def _focus(request) -> None:
    from campusgrid.grid.middleware import focus_college_id

    college_id = focus_college_id(request)
    if college_id is None:
        return
    user = request.user
    scope = scope_for(user)
    if not scope.spans_colleges:
        return  # one college at most: nothing to narrow
    if not scope.sees_college(college_id):
        raise Http404("未找到，或不在您的管理范围内")
    from campusgrid.org.models import College

    request._request.focus_college = College.objects.visible_to(user).get(pk=college_id)
    user._campusgrid_scope = scope.narrowed_to_college(college_id)


class ChartListView(APIView):
    """数据看板中调用者可见的图表。"""

    @extend_schema(summary="可见的图表", responses={200: dict}, operation_id="dashboards_charts_list")
    def get(self, request):
        charts = charts_for(request.user)
        return Response({"results": [{"key": c.key, "title": c.title, "kind": c.kind} for c in charts]})


class ChartView(APIView):
    """一个图表的数据：每个数据点带有其明细列表的链接（url）。Not a viewset over a model: the
    data come from the owning apps' scoped selectors with the requesting user."""

    @extend_schema(
        operation_id="dashboards_chart_retrieve",
        summary="一个图表的数据",
        parameters=[OpenApiParameter("college", int, description="学工部：只看一个学院")],
        responses={200: dict},
    )
    def get(self, request, key):
        _focus(request)
        chart = next((c for c in charts_for(request.user) if c.key == key), None)
        if chart is None:
            raise Http404("未找到，或不在您的管理范围内")
        data = chart.data(request._request)
        if data is None:
            raise Http404("未找到，或不在您的管理范围内")
        return Response({"key": chart.key, "title": chart.title, "kind": chart.kind, **data})


def register(router) -> None:
    from . import api_appraisal

    api_appraisal.register(router)
    pass  # no viewsets: the chart routes are APIViews (api_urls.py)
