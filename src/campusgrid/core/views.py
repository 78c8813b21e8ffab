from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

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
