"""API plumbing shared by every app: pagination, errors in Chinese, scoped viewsets."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, pagination, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import ServiceError


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
        if response is not None:
            response.data = {"detail": "请先登录，或提供有效的令牌（Authorization: Token <key>）。"}
        return response
    return drf_exception_handler(exc, context)


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
