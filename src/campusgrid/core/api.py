"""API plumbing shared by every app: pagination, errors in Chinese, scoped viewsets."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, pagination, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from .errors import ServiceError
from .parsers import ObjectJSONParser  # noqa: F401  (the apps import it from here)

logger = logging.getLogger("campusgrid.api")

SERVER_ERROR_DETAIL = "服务器内部错误，已记录。请稍后重试；问题持续时请联系系统管理员。"


class Pagination(pagination.PageNumberPagination):
    """`page` (from 1) and `page_size` (1–500): junk answers 400 in Chinese, a page past the
    last 404, a page size over the maximum is clamped to it."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and raw not in self.last_page_strings and not _positive(raw):
            raise exceptions.ValidationError({"page": ["页码须为正整数。"]})
        try:
            return super().paginate_queryset(queryset, request, view)
        except exceptions.NotFound:
            raise exceptions.NotFound(f"没有第 {raw} 页。") from None

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        if not _positive(raw):
            raise exceptions.ValidationError(
                {"page_size": [f"每页条数须为 1 到 {self.max_page_size} 之间的整数。"]}
            )
        return min(int(raw), self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters


class ProbePagination(Pagination):
    """`page` and `page_size` as `Pagination`, without counting the list on every page: one
    row past the page says whether there is a next one. `count` is the list's length when
    the page reaches its end (known without a query) and null on the pages before it;
    `page=last` is the one request that counts."""

    template = "rest_framework/pagination/previous_and_next.html"

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and raw not in self.last_page_strings and not _positive(raw):
            raise exceptions.ValidationError({"page": ["页码须为正整数。"]})
        size = self.get_page_size(request)
        if raw in self.last_page_strings:
            number = max(1, -(-queryset.count() // size))
        else:
            number = int(raw) if raw else 1
        offset = (number - 1) * size
        rows = list(queryset[offset : offset + size + 1])
        if not rows and number > 1:
            raise exceptions.NotFound(f"没有第 {raw} 页。")
        self.request = request
        self.number = number
        self.has_next = len(rows) > size
        rows = rows[:size]
        self.count = None if self.has_next else offset + len(rows)
        return rows

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_next_link(self):
        if not self.has_next:
            return None
        return pagination.replace_query_param(
            self.request.build_absolute_uri(), self.page_query_param, self.number + 1
        )

    def get_previous_link(self):
        if self.number <= 1:
            return None
        url = self.request.build_absolute_uri()
        if self.number == 2:
            return pagination.remove_query_param(url, self.page_query_param)
        return pagination.replace_query_param(url, self.page_query_param, self.number - 1)

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count"] = {
            "type": "integer",
            "nullable": True,
            "example": None,
            "description": "总数：仅在本页到达列表末尾时给出，之前的页为 null（不对整个列表计数）",
        }
        return response

    def get_html_context(self):  # the browsable API's pager: previous / next only
        return {"previous_url": self.get_previous_link(), "next_url": self.get_next_link()}


def _positive(raw: str) -> bool:
    return raw.isascii() and raw.isdigit() and int(raw) >= 1 and len(raw) < 10


def query_choice(request, name: str, choices, *, label: str | None = None):
    """A query parameter that must be one of `choices` (values); None when absent.
    Anything else answers 400 in Chinese instead of silently matching nothing."""
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    allowed = [str(c) for c in choices]
    if value not in allowed:
        raise exceptions.ValidationError({name: [f"{label or name} 须为以下之一：{'、'.join(allowed)}。"]})
    return value


def exception_handler(exc, context):
    if isinstance(exc, ServiceError):
        body = {"detail": exc.message}
        if exc.field:
            body["field"] = exc.field
        if len(exc.errors) > 1:
            body["errors"] = exc.errors
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        return Response({"detail": "未找到，或不在您的管理范围内。"}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        response = drf_exception_handler(exc, context)
        if response is not None and not getattr(exc, "keeps_detail", False):
            response.data = {"detail": "请先登录，或提供有效的令牌（Authorization: Token <key>）。"}
        return response
    if isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF Failed"):
        # DRF's session authentication says this in English only.
        return Response({"detail": "CSRF 校验失败，请刷新页面后重试。"}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, exceptions.Throttled):
        response = drf_exception_handler(exc, context)
        wait = f"请 {int(exc.wait) + 1} 秒后再试。" if exc.wait is not None else "请稍后再试。"
        response.data = {"detail": f"请求过于频繁，{wait}"}
        return response
    response = drf_exception_handler(exc, context)
    if response is not None:
        return response
    # Anything else is a bug: log it with the request, answer JSON (never the HTML 500
    # page) so that API clients can tell a server error from a refusal.
    if settings.DEBUG:
        return None  # Django's debug page shows the traceback
    request = context.get("request")
    logger.error(
        "unhandled exception in %s %s",
        getattr(request, "method", "?"),
        getattr(request, "path", "?"),
        exc_info=exc,
    )
    set_rollback()
    return Response({"detail": SERVER_ERROR_DETAIL}, status=status.HTTP_500_INTERNAL_SERVER_ERROR)


def validated(serializer_class, request) -> dict:
    """The request's body checked by an input serializer (a 400 naming each field when not)."""
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    return body.validated_data


class ScopedViewSetMixin:
    """The one scoped base of every API viewset: the queryset comes from the app's
    selector, which applies `visible_to` (and the select_related the page uses too).

    Subclasses set `selector` to a function `(*, user, **kwargs) -> QuerySet`, map the
    request's query parameters to its keyword arguments in `selector_kwargs(params)`,
    and may pick another selector per request in `get_selector()` (a to-do box).
    They never write `get_queryset` themselves (tests/scoping/test_api_scoped_base.py).
    """

    selector = None

    def get_selector(self):
        return type(self).selector

    def selector_kwargs(self, params) -> dict:
        return {}

    def get_queryset(self):
        selector = self.get_selector()
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no real user
            return type(self).selector(user=self.request.user)
        return selector(user=self.request.user, **self.selector_kwargs(self.request.query_params))


class ClassFieldMixin:
    """Serializers name a student's class `class` (SPEC §14), a Python keyword: they
    declare it as `class_` or `class_name` and this renames it on the way out."""

    def get_fields(self):
        fields = super().get_fields()
        for name in ("class_", "class_name"):
            if name in fields:
                fields["class"] = fields.pop(name)
        return fields
