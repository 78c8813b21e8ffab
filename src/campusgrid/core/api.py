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
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def exception_handler(exc, context):
    if isinstance(exc, ServiceError):
        body = {"detail": exc.message}
        if exc.field:
            body["field"] = exc.field
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


class ScopedViewSetMixin:
    """get_queryset goes through the app's selector, which applies `visible_to`.

    Subclasses set `selector` to a function `(user, **filters) -> QuerySet`.
    """

    selector = None

    def get_queryset(self):
        return type(self).selector(user=self.request.user)


class ClassFieldMixin:
    """Serializers name a student's class `class` (SPEC §14), a Python keyword: they
    declare it as `class_` or `class_name` and this renames it on the way out."""

    def get_fields(self):
        fields = super().get_fields()
        for name in ("class_", "class_name"):
            if name in fields:
                fields["class"] = fields.pop(name)
        return fields
