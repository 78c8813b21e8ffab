import shutil

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist, loader
from django.utils import timezone
from django.views import defaults
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from .registry import HEALTH_CHECKS, render_panels
from .scoping import scope_for
from .tick import last_run


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
    """The benchmark's API floor: a trivial view under the same middleware, logged in."""
    return HttpResponse("ok", content_type="text/plain")


def _bench_floor_allowed(request) -> bool:
    """Only where it measures something: under DEBUG, for staff, or inside `campusgrid bench`
    (which sets CAMPUSGRID_BENCH_FLOOR for its in-process requests)."""
    return settings.DEBUG or request.user.is_staff or getattr(settings, "CAMPUSGRID_BENCH_FLOOR", False)


@extend_schema(exclude=True)  # a measuring instrument, not part of the API
class BenchApiFloor(APIView):
    """The benchmark's API floor: an empty answer under the real API's stack (the same
    authentication, permission, throttle and renderer classes as every viewset), so that
    an API row's ratio to it measures that endpoint's own work. 404 where the HTML floor is."""

    def get(self, request):
        if not _bench_floor_allowed(request):
            raise Http404
        return Response({})


@login_required
def bench_floor(request):
    """The benchmark's HTML floor (issue 17 item 2): the base layout, the navigation and the
    header for the same user, and no content — what every page pays before its own work."""
    if not _bench_floor_allowed(request):
        raise Http404
    return render(request, "core/bench_floor.html", {"page_title": "基准页"})


def _database_health() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return {"ok": False}
    return {"ok": True, "engine": connection.vendor}


def _tick_health() -> dict:
    last = last_run()
    if last is None:
        return {"ok": False, "last_finished": None}
    age = int((timezone.now() - last.finished_at).total_seconds())
    return {
        "ok": age <= settings.CAMPUSGRID_HEALTH_TICK_AGE,
        "last_finished": last.finished_at.isoformat(),
        "age_seconds": age,
    }


def _disk_health() -> dict:
    usage = shutil.disk_usage(settings.DATA_DIR)
    return {
        "ok": usage.free >= settings.CAMPUSGRID_HEALTH_MIN_FREE_BYTES,
        "free_bytes": usage.free,
        "free_ratio": round(usage.free / usage.total, 3) if usage.total else 0,
    }


def healthz(request):
    """For the load balancer: no login, no personal data; 503 when any check fails.
    Checks: the database answers, `tick` finished within CAMPUSGRID_HEALTH_TICK_AGE
    seconds (on any server), the outbox is being sent, the data folder has room."""
    checks = {"database": _database_health()}
    if checks["database"]["ok"]:
        checks["tick"] = _tick_health()
        for check in HEALTH_CHECKS:
            try:
                checks[check.name] = check.run()
            except DatabaseError:
                checks[check.name] = {"ok": False}
    checks["disk"] = _disk_health()
    healthy = all(check["ok"] for check in checks.values())
    response = JsonResponse({"status": "ok" if healthy else "unhealthy", "checks": checks})
    response.status_code = 200 if healthy else 503
    response["Cache-Control"] = "no-store"
    return response


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def server_error(request):
    """handler500: JSON in Chinese under /api/ (an API client never gets the HTML page)."""
    if _is_api(request):
        from .api import SERVER_ERROR_DETAIL

        return JsonResponse(
            {"detail": SERVER_ERROR_DETAIL}, status=500, json_dumps_params={"ensure_ascii": False}
        )
    # Django's own view, with the request id of the log line (core/requestlog.py) on the page
    try:
        template = loader.get_template("500.html")
    except TemplateDoesNotExist:
        return defaults.server_error(request)
    return HttpResponseServerError(template.render({"request_id": getattr(request, "request_id", "")}))


def page_not_found(request, exception):
    """handler404: JSON in Chinese under /api/ (an unknown API path is not an HTML page)."""
    if _is_api(request):
        return JsonResponse(
            {"detail": "未找到，或不在您的管理范围内。"},
            status=404,
            json_dumps_params={"ensure_ascii": False},
        )
    return defaults.page_not_found(request, exception)
