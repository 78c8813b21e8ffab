"""One log line per request, and a request id that ties a user's error page to it.

The id comes from the proxy's `X-Request-ID` when it sends a sane one, or is made
here; it is set on the response and shown on the error pages. The line holds the
user's numeric id, never a name, 学号 or query string: no personal data in logs."""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid

from django.db import connections

log = logging.getLogger("campusgrid.request")

_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class _QueryCounter:
    def __init__(self):
        self.count = 0


# The request being counted, per context (thread or task): one wrapper on each connection adds to
# whichever request runs the query. The wrapper is installed once per connection and stays, so
# it cannot stack when requests share a connection (the live test server's threads do; a
# wrapper pushed per request was seen six deep there).
_current: contextvars.ContextVar[_QueryCounter | None] = contextvars.ContextVar(
    "campusgrid_request_queries", default=None
)


def count_queries(execute, sql, params, many, context):
    counter = _current.get()
    if counter is not None:
        counter.count += 1
    return execute(sql, params, many, context)


def install_query_counter(connection) -> None:
    """Put `count_queries` on the connection's wrappers, once."""
    if count_queries not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, count_queries)


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _SANE_ID.match(incoming) else uuid.uuid4().hex
        counter = _QueryCounter()
        install_query_counter(connections["default"])
        token = _current.set(counter)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        response["X-Request-ID"] = request.request_id
        user = getattr(request, "user", None)
        log.info(
            "request",
            extra={
                "request_id": request.request_id,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "queries": counter.count,
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        return response


class JsonFormatter(logging.Formatter):
    """One JSON object per line (production's log format)."""

    FIELDS = ("request_id", "method", "path", "status", "duration_ms", "queries", "user_id")

    def format(self, record):
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in self.FIELDS:
            if hasattr(record, field):
                line[field] = getattr(record, field)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def request_id(request) -> dict:
    """Context processor: the id shown on error pages."""
    return {"request_id": getattr(request, "request_id", "")}
