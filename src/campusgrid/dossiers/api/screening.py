"""REST API of screening results (心理筛查) and their import."""

from __future__ import annotations

import tempfile
from pathlib import Path

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from campusgrid.core.api import ObjectJSONParser, ScopedViewSetMixin
from campusgrid.core.errors import NotAllowed, ServiceError
from campusgrid.core.scoping import CHANGE
from campusgrid.core.uploads import import_upload_error

from .. import imports, selectors, services
from ..models import ScreeningResult
from .common import LoggedReadMixin, StudentFields

# --- screening -------------------------------------------------------------------------------


class ScreeningResultSerializer(StudentFields, serializers.ModelSerializer):
    semester = serializers.CharField(source="semester.name")
    instrument = serializers.CharField(source="instrument.name")
    follow_up_display = serializers.CharField(source="get_follow_up_display")
    followed_up_by = serializers.SerializerMethodField()

    class Meta:
        model = ScreeningResult
        fields = [
            "id",
            "student_no",
            "name",
            "class_name",
            "semester",
            "instrument",
            "total_score",
            "flags",
            "crisis",
            "over_threshold",
            "follow_up",
            "follow_up_display",
            "follow_up_note",
            "followed_up_by",
            "followed_up_at",
            "report",
            "imported_at",
        ]

    def get_followed_up_by(self, obj) -> str | None:
        if not obj.followed_up_by_id:
            return None
        from campusgrid.core.excel import person_name

        return person_name(obj.followed_up_by)


class FollowUpSerializer(serializers.Serializer):
    note = serializers.CharField()


class ScreeningImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=".xlsx 或 .csv：学号、量表、总分、标记、危机")
    semester = serializers.CharField(help_text="学期名称")
    dry_run = serializers.BooleanField(required=False, default=False)


@extend_schema_view(
    list=extend_schema(
        summary="心理筛查结果",
        parameters=[
            OpenApiParameter("semester", str, description="学期名称或编号"),
            OpenApiParameter("student_no", str),
            OpenApiParameter("instrument", str),
            OpenApiParameter("over_threshold", bool),
            OpenApiParameter("crisis", bool),
            OpenApiParameter("follow_up", str, enum=["none", "pending", "done"]),
        ],
    ),
    retrieve=extend_schema(summary="一条心理筛查结果"),
)
class ScreeningResultViewSet(
    ScopedViewSetMixin,
    LoggedReadMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ScreeningResultSerializer
    log_item = "screening"
    parser_classes = [ObjectJSONParser, MultiPartParser, FormParser]

    selector = selectors.screening_result_list

    def selector_kwargs(self, params):
        keys = ("semester", "student_no", "instrument", "over_threshold", "crisis", "follow_up", "q")
        return {"filters": {k: params.get(k) for k in keys}}

    def get_object(self):
        return selectors.screening_result_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=FollowUpSerializer, responses={200: ScreeningResultSerializer}, summary="记录跟进")
    @action(detail=True, methods=["post"], url_path="follow-up", url_name="follow-up")
    def follow_up(self, request, pk=None):
        result = selectors.screening_result_get(user=request.user, pk=pk, action=CHANGE)
        body = FollowUpSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.screening_follow_up(actor=request.user, result=result, note=body.validated_data["note"])
        return Response(
            ScreeningResultSerializer(selectors.screening_result_get(user=request.user, pk=pk)).data
        )

    @extend_schema(
        request={"multipart/form-data": ScreeningImportSerializer},
        summary="导入心理筛查结果（全部正确才写入）",
    )
    @action(detail=False, methods=["post"], url_path="import", url_name="import")
    def import_file(self, request):
        from ..policy import is_manager

        if not is_manager(request.user):
            raise NotAllowed("只有辅导员、班主任及以上可以导入心理筛查结果")
        body = ScreeningImportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
        error = import_upload_error(upload)
        if error:
            raise ServiceError(error, field="file")
        suffix = Path(upload.name).suffix.lower()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"upload{suffix}"
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            result = imports.import_screening(
                path,
                semester=body.validated_data["semester"],
                actor=request.user,
                dry_run=body.validated_data["dry_run"],
                file_name=upload.name,
            )
        return Response(
            result.as_dict(), status=status.HTTP_200_OK if result.ok else status.HTTP_400_BAD_REQUEST
        )
