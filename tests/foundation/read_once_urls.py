"""A probe view for test_change_counters: whether a request runs inside read_once."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from campusgrid.core.fingerprint import _read_once

SEEN: list[tuple[str, bool]] = []


@csrf_exempt
def probe(request):
    SEEN.append((request.method, _read_once.get() is not None))
    return HttpResponse("ok")


urlpatterns = [path("probe/", probe)]
