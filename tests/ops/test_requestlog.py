"""The request log's query count (issue 17 item 4): one wrapper per connection, whatever the
number of requests that share it, and each request counts its own queries."""

import logging

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.http import HttpResponse
from django.test import RequestFactory

from campusgrid.core.requestlog import RequestLogMiddleware, count_queries

pytestmark = pytest.mark.django_db


def _view(queries):
    def view(request):
        for _ in range(queries):
            get_user_model().objects.exists()
        return HttpResponse("ok")

    return view


def _logged_queries(caplog) -> list[int]:
    return [r.queries for r in caplog.records if r.name == "campusgrid.request"]


def test_the_query_counter_is_installed_once_per_connection(caplog):
    connection = connections["default"]
    middleware = RequestLogMiddleware(_view(3))
    with caplog.at_level(logging.INFO, logger="campusgrid.request"):
        for _ in range(6):
            middleware(RequestFactory().get("/"))
    assert connection.execute_wrappers.count(count_queries) == 1
    assert _logged_queries(caplog) == [3] * 6


def test_a_request_inside_another_counts_only_its_own_queries(caplog):
    """Two requests on one connection at once (the live server's threads share it): each
    counts what it ran, nothing twice."""
    inner = RequestLogMiddleware(_view(2))

    def outer_view(request):
        get_user_model().objects.exists()
        inner(RequestFactory().get("/inner/"))
        return HttpResponse("ok")

    with caplog.at_level(logging.INFO, logger="campusgrid.request"):
        RequestLogMiddleware(outer_view)(RequestFactory().get("/outer/"))
    counts = {r.path: r.queries for r in caplog.records if r.name == "campusgrid.request"}
    assert counts["/inner/"] == 2 and counts["/outer/"] == 1
    assert connections["default"].execute_wrappers.count(count_queries) == 1
