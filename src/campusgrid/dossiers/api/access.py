"""REST API of access grants and the access log."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from campusgrid.core.api import ScopedViewSetMixin
from campusgrid.core.errors import NotAllowed, ServiceError
from campusgrid.people.models import AccessLog

from .. import selectors, services
from ..policy import is_college_leader

# --- grants and the access log ---------------------------------------------------------------


class GrantSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    staff_no = serializers.CharField(source="user.staff.staff_no", default=None)
    staff_name = serializers.CharField(source="user.staff.name", default=None)
    student_no = serializers.CharField(source="student.student_no")
    student_name = serializers.CharField(source="student.name")
    until = serializers.DateField()
    reason = serializers.CharField()
    granted_by = serializers.CharField(source="granted_by.staff.name", default=None)
    granted_at = serializers.DateTimeField()


class GrantWriteSerializer(serializers.Serializer):
    staff_no = serializers.CharField(help_text="被授权人工号")
    student_no = serializers.CharField()
    until = serializers.DateField()
    reason = serializers.CharField()


@extend_schema_view(list=extend_schema(summary="敏感信息授权（学院领导、学工部）"))
class AccessGrantViewSet(ScopedViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = GrantSerializer

    selector = selectors.grant_list

    def selector_kwargs(self, params):
        if not is_college_leader(self.request.user):
            raise NotAllowed("只有学院领导和学工部可以管理敏感信息授权")
        return {"current_only": params.get("all") != "1"}

    @extend_schema(
        request=GrantWriteSerializer, responses={201: GrantSerializer}, summary="授权查看某学生的敏感信息"
    )
    def create(self, request):
        if not is_college_leader(request.user):
            raise NotAllowed("只有学院领导和学工部可以授权")
        body = GrantWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        student = selectors.grantable_student(user=request.user, student_no=data["student_no"])
        if student is None:
            raise ServiceError("在您的管理范围内找不到该学号", field="student_no")
        grantee = selectors.staff_by_number(data["staff_no"])
        if grantee is None:
            raise ServiceError("找不到该工号", field="staff_no")
        grant = services.access_grant_create(
            actor=request.user, grantee=grantee, student=student, until=data["until"], reason=data["reason"]
        )
        return Response(GrantSerializer(selectors.grant_get(user=request.user, pk=grant.pk)).data, status=201)

    @extend_schema(request=None, responses={200: GrantSerializer}, summary="撤销授权")
    @action(detail=True, methods=["post"], url_path="revoke", url_name="revoke")
    def revoke(self, request, pk=None):
        grant = selectors.grant_get(user=request.user, pk=pk)
        services.access_grant_revoke(actor=request.user, grant=grant)
        return Response(GrantSerializer(selectors.grant_get(user=request.user, pk=pk)).data)


class AccessLogSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_name")
    actor_username = serializers.SerializerMethodField()
    action_display = serializers.CharField(source="get_action_display")

    class Meta:
        model = AccessLog
        fields = [
            "id",
            "at",
            "actor",
            "actor_username",
            "action",
            "action_display",
            "item",
            "student_no",
            "path",
            "ip",
            "purpose",
        ]
        read_only_fields = fields

    def get_actor_username(self, obj) -> str | None:
        return self.context.get("usernames", {}).get(obj.actor_id)


@extend_schema_view(
    list=extend_schema(
        summary="敏感信息访问日志（只读）",
        parameters=[
            OpenApiParameter("actor", str, description="访问人用户名（学号/工号）或姓名"),
            OpenApiParameter("student_no", str),
            OpenApiParameter("action", str, description="view/export/api_read 或 查看/导出/接口读取"),
            OpenApiParameter("item", str),
            OpenApiParameter("at", str, description="日期 YYYY-MM-DD"),
            OpenApiParameter("at_after", str, description="起始日期或时间（含）"),
            OpenApiParameter("at_before", str, description="截止日期或时间（含）"),
        ],
    )
)
class AccessLogViewSet(ScopedViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Read only: the log cannot be created, changed or deleted through the API."""

    serializer_class = AccessLogSerializer

    selector = selectors.access_log_list

    def selector_kwargs(self, params):
        if not is_college_leader(self.request.user):
            raise NotAllowed("只有学院领导和学工部可以查询访问日志")
        keys = ("actor", "student_no", "action", "item", "at", "at_after", "at_before")
        return {"filters": {k: params.get(k) for k in keys}}

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        usernames = selectors.usernames({row.actor_id for row in page if row.actor_id})
        data = AccessLogSerializer(page, many=True, context={"usernames": usernames}).data
        return self.get_paginated_response(data)
