from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import defaults

from .registry import render_panels
from .scoping import scope_for


@login_required
def home(request):
    """Each user's own page: panels contributed by the apps, filtered by scope."""
    return render(
        request,
        "core/home.html",
        {"panels": render_panels(request), "scope": scope_for(request.user), "page_title": "我的工作台"},
    )


@login_required
def ping(request):
    """The benchmark's floor: a trivial view under the same middleware, logged in."""
    return HttpResponse("ok", content_type="text/plain")


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def server_error(request):
    """handler500: JSON in Chinese under /api/ (an API client never gets the HTML page)."""
    if _is_api(request):
        from .api import SERVER_ERROR_DETAIL

        return JsonResponse(
            {"detail": SERVER_ERROR_DETAIL}, status=500, json_dumps_params={"ensure_ascii": False}
        )
    return defaults.server_error(request)


def page_not_found(request, exception):
    """handler404: JSON in Chinese under /api/ (an unknown API path is not an HTML page)."""
    if _is_api(request):
        return JsonResponse(
            {"detail": "未找到，或不在您的管理范围内。"},
            status=404,
            json_dumps_params={"ensure_ascii": False},
        )
    return defaults.page_not_found(request, exception)
