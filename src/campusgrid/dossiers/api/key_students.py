"""REST API of key students (重点学生), by 学号."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from campusgrid.core.api import ScopedViewSetMixin
from campusgrid.core.errors import ServiceError
from campusgrid.core.scoping import CHANGE

from .. import selectors, services
from ..models import KeyStudent, KeyStudentChange
from .common import LoggedReadMixin, StudentFields

# --- key students ----------------------------------------------------------------------------


class ChangeSerializer(serializers.ModelSerializer):
    action_display = serializers.CharField(source="get_action_display")
    risk_level = serializers.CharField(source="get_risk_level_display")

    class Meta:
        model = KeyStudentChange
        fields = ["at", "actor_name", "action", "action_display", "reasons", "risk_level", "note"]


class KeyStudentSerializer(StudentFields, serializers.ModelSerializer):
    reasons = serializers.SerializerMethodField()
    risk_level = serializers.CharField(source="get_risk_level_display")
    risk_level_code = serializers.CharField(source="risk_level")
    responsible = serializers.CharField(source="responsible.staff_no", default=None)
    responsible_name = serializers.CharField(source="responsible.name", default=None)
    review_overdue = serializers.BooleanField()
    history = serializers.SerializerMethodField()

    class Meta:
        model = KeyStudent
        fields = [
            "student_no",
            "name",
            "class_name",
            "college",
            "active",
            "reasons",
            "risk_level",
            "risk_level_code",
            "responsible",
            "responsible_name",
            "review_interval_days",
            "last_reviewed",
            "next_review",
            "review_overdue",
            "follow_up_plan",
            "created_at",
            "removed_at",
            "removed_reason",
            "version",
            "history",
        ]

    def get_reasons(self, obj) -> list[str]:
        return [r.name for r in obj.reasons.all()]

    def get_history(self, obj) -> list[dict]:
        if not self.context.get("detail"):
            return []
        return ChangeSerializer(obj.changes.all(), many=True).data


class KeyStudentWriteSerializer(serializers.Serializer):
    student_no = serializers.CharField(required=False, help_text="学号（创建时必填）")
    reasons = serializers.ListField(
        child=serializers.CharField(), required=False, help_text='原因名称列表，如 ["心理", "学业困难"]'
    )
    risk_level = serializers.CharField(required=False, help_text="关注、重点关注或高危")
    responsible = serializers.CharField(required=False, help_text="负责人工号（默认为操作人）")
    review_interval_days = serializers.IntegerField(required=False, min_value=1, max_value=365)
    next_review = serializers.DateField(required=False)
    follow_up_plan = serializers.CharField(required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, help_text="读取时的版本号，防止覆盖他人的修改")


class RemoveSerializer(serializers.Serializer):
    reason = serializers.CharField()
    version = serializers.IntegerField(required=False)


class ReviewSerializer(serializers.Serializer):
    note = serializers.CharField()
    risk_level = serializers.CharField(required=False, help_text="复查后的风险等级（不填则不变）")
    version = serializers.IntegerField(required=False)


@extend_schema_view(
    list=extend_schema(
        summary="重点学生列表",
        parameters=[
            OpenApiParameter("q", str, description="姓名、学号或拼音首字母"),
            OpenApiParameter("status", str, enum=["active", "removed", "all"]),
            OpenApiParameter("reason", str),
            OpenApiParameter("risk_level", str, description="关注、重点关注或高危"),
            OpenApiParameter("review", str, enum=["due", "overdue"]),
            OpenApiParameter("class", str),
        ],
    ),
    retrieve=extend_schema(summary="重点学生档案（按学号）"),
)
class KeyStudentViewSet(
    ScopedViewSetMixin,
    LoggedReadMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """重点学生一人一档。读取按敏感信息权限限定（三级及以上、获授权者），每次读取写入访问日志。"""

    serializer_class = KeyStudentSerializer
    lookup_field = "student_no"
    lookup_value_regex = "[^/]+"
    log_item = "key_student"

    selector = selectors.key_student_list

    def selector_kwargs(self, params):
        filters = {k: params.get(k, "") for k in ("q", "status", "reason", "risk_level", "review")}
        filters["school_class"] = params.get("class", "")
        return {"filters": filters}

    def get_object(self):
        return selectors.key_student_get(user=self.request.user, student_no=self.kwargs["student_no"])

    def _save(self, request, student, data, key_file=None):
        kwargs = {
            "reasons": data["reasons"] if "reasons" in data else [r.name for r in key_file.reasons.all()],
            "risk_level": data.get("risk_level") or (key_file.risk_level if key_file else ""),
            "responsible": data.get("responsible"),
            "review_interval_days": data.get("review_interval_days"),
            "next_review": data.get("next_review"),
            "follow_up_plan": data.get("follow_up_plan"),
            "note": data.get("note", ""),
            "expected_version": data.get("version"),
        }
        return services.key_student_mark(actor=request.user, student=student, **kwargs)

    @extend_schema(
        request=KeyStudentWriteSerializer, responses={201: KeyStudentSerializer}, summary="列入重点学生"
    )
    def create(self, request):
        body = KeyStudentWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if not data.get("student_no"):
            raise ServiceError("请提供学号", field="student_no")
        for name in ("reasons", "risk_level"):
            if not data.get(name):
                raise ServiceError("请提供原因（列表）和风险等级", field=name)
        student = selectors.dossier_student_get(
            user=request.user, student_no=data["student_no"], action=CHANGE
        )
        existed = selectors.is_key_student(student)
        key_file = self._save(request, student, data)
        key_file = selectors.key_student_get(user=request.user, student_no=student.student_no)
        return Response(
            KeyStudentSerializer(key_file, context={"detail": True}).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=KeyStudentWriteSerializer, responses={200: KeyStudentSerializer}, summary="调整重点学生档案"
    )
    def partial_update(self, request, student_no=None):
        key_file = selectors.key_student_get(user=request.user, student_no=student_no, action=CHANGE)
        body = KeyStudentWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        self._save(request, key_file.student, body.validated_data, key_file)
        key_file = selectors.key_student_get(user=request.user, student_no=student_no)
        return Response(KeyStudentSerializer(key_file, context={"detail": True}).data)

    @extend_schema(
        request=RemoveSerializer, responses={200: KeyStudentSerializer}, summary="移出重点名单（档案保留）"
    )
    @action(detail=True, methods=["post"], url_path="remove", url_name="remove")
    def remove(self, request, student_no=None):
        key_file = selectors.key_student_get(user=request.user, student_no=student_no, action=CHANGE)
        body = RemoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.key_student_remove(
            actor=request.user,
            key_student=key_file,
            reason=body.validated_data["reason"],
            expected_version=body.validated_data.get("version"),
        )
        key_file = selectors.key_student_get(user=request.user, student_no=student_no)
        return Response(KeyStudentSerializer(key_file, context={"detail": True}).data)

    @extend_schema(request=ReviewSerializer, responses={200: KeyStudentSerializer}, summary="记录复查")
    @action(detail=True, methods=["post"], url_path="review", url_name="review")
    def review(self, request, student_no=None):
        key_file = selectors.key_student_get(user=request.user, student_no=student_no, action=CHANGE)
        body = ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.key_student_review(
            actor=request.user,
            key_student=key_file,
            note=body.validated_data["note"],
            risk_level=body.validated_data.get("risk_level"),
            expected_version=body.validated_data.get("version"),
        )
        key_file = selectors.key_student_get(user=request.user, student_no=student_no)
        return Response(KeyStudentSerializer(key_file, context={"detail": True}).data)
