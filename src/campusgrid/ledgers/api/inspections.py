"""REST API of inspection rounds, inspections, findings and room ratings."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from campusgrid.core.api import ObjectJSONParser, ScopedViewSetMixin
from campusgrid.core.errors import ServiceError
from campusgrid.core.viewsets import ScopedReadViewSet

from .. import selectors, services
from ..models import (
    FindingRecheck,
    InspectionItem,
    RoundKind,
)

# --- inspections --------------------------------------------------------------------------------


class RoundSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    date = serializers.DateField()
    created_by = serializers.CharField(source="created_by_name")
    figures = serializers.SerializerMethodField()

    def get_figures(self, obj) -> dict:
        return self.context.get("figures", {}).get(obj.pk, {})


class RoundIn(serializers.Serializer):
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=RoundKind.values, default=RoundKind.BOTH)
    date = serializers.DateField(required=False)
    rooms = serializers.ListField(child=serializers.CharField(), help_text="楼栋/寝室号 列表")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class IllegalRateSeriesSerializer(serializers.Serializer):
    dates = serializers.ListField(child=serializers.DateField())
    titles = serializers.ListField(child=serializers.CharField())
    rates = serializers.ListField(child=serializers.FloatField(), help_text="违章电器率（%）")
    inspected = serializers.ListField(child=serializers.IntegerField())
    illegal = serializers.ListField(child=serializers.IntegerField())
    change = serializers.FloatField(allow_null=True, help_text="末轮相对首轮的变化（%）；不足两轮时为 null")


class InspectionRoundViewSet(ScopedReadViewSet):
    """检查轮次；figures 为您范围内寝室的统计（检查数、有隐患、有违章电器、违章电器率）。"""

    serializer_class = RoundSerializer

    selector = selectors.inspection_round_list

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        figures = selectors.round_figures(user=request.user, round_ids=[r.pk for r in page])
        return self.get_paginated_response(
            RoundSerializer(page, many=True, context={"figures": figures}).data
        )

    def retrieve(self, request, pk=None):
        round_ = selectors.inspection_round_get(user=request.user, pk=pk)
        figures = selectors.round_figures(user=request.user, round_ids=[round_.pk])
        return Response(RoundSerializer(round_, context={"figures": figures}).data)

    @extend_schema(request=RoundIn, responses={201: RoundSerializer}, summary="新建检查")
    def create(self, request):
        body = RoundIn(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        by_label = {r.label: r for r in selectors.rooms_to_inspect(user=request.user)}
        missing = [label for label in data["rooms"] if label not in by_label]
        if missing:
            raise ServiceError(f"不在您的管理范围内或不存在：{'、'.join(missing[:10])}", field="rooms")
        round_ = services.inspection_round_create(
            actor=request.user,
            title=data["title"],
            kind=data["kind"],
            date=data.get("date"),
            rooms=[by_label[label] for label in data["rooms"]],
            note=data["note"],
        )
        return Response(RoundSerializer(round_).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: IllegalRateSeriesSerializer}, summary="违章电器率（按轮次）")
    @action(detail=False, methods=["get"], url_path="rates", url_name="rates")
    def rates(self, request):
        return Response(selectors.illegal_rate_series(user=request.user))


class FindingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    room = serializers.CharField(source="room.label")
    round = serializers.IntegerField(source="inspection.round_id")
    inspection = serializers.IntegerField(source="inspection_id")
    item = serializers.CharField(source="item.name")
    description = serializers.CharField()
    students = serializers.SerializerMethodField()
    deadline = serializers.DateField()
    state = serializers.CharField()
    state_display = serializers.CharField(source="get_state_display")
    escalation_reason = serializers.CharField()
    report = serializers.IntegerField(source="report_id", allow_null=True)
    photo = serializers.SerializerMethodField()
    found_at = serializers.DateTimeField()
    found_by = serializers.CharField(source="found_by_name")
    version = serializers.IntegerField()

    def get_students(self, obj) -> list[str]:
        return [s.student_no for s in obj.students.all()]

    def get_photo(self, obj) -> str | None:
        from django.urls import reverse

        return reverse("ledgers:finding-photo", args=[obj.pk]) if obj.photo else None


class InspectionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    round = serializers.IntegerField(source="round_id")
    round_title = serializers.CharField(source="round.title")
    date = serializers.DateField(source="round.date")
    room = serializers.CharField(source="room.label")
    state = serializers.CharField()
    hygiene_score = serializers.IntegerField(allow_null=True)
    inspector = serializers.CharField(source="inspector_name")
    inspected_at = serializers.DateTimeField(allow_null=True)
    note = serializers.CharField()
    findings = serializers.SerializerMethodField()

    def get_findings(self, obj) -> list[dict]:
        found = self.context.get("findings")
        return FindingSerializer(found, many=True).data if found is not None else []


class RecordIn(serializers.Serializer):
    hygiene_score = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=100)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class FindingIn(serializers.Serializer):
    item = serializers.CharField(help_text="检查项目名称，如 违章电器")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    photo = serializers.FileField(required=False)
    students = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    deadline = serializers.DateField(required=False)
    cannot_fix = serializers.BooleanField(required=False, default=False)


class InspectionViewSet(ScopedReadViewSet):
    """寝室检查（每轮每间寝室一条）：?round=、?room=；record 记录卫生得分，findings 登记隐患（可带照片）。"""

    serializer_class = InspectionSerializer
    parser_classes = [ObjectJSONParser, MultiPartParser, FormParser]

    selector = selectors.inspection_list

    def selector_kwargs(self, params):
        return {"filters": {k: params.get(k) for k in ("round", "room") if params.get(k)}}

    def retrieve(self, request, pk=None):
        inspection = selectors.inspection_get(user=request.user, pk=pk)
        findings = selectors.finding_list(user=request.user).filter(inspection=inspection)
        return Response(InspectionSerializer(inspection, context={"findings": findings}).data)

    @extend_schema(request=RecordIn, responses={200: InspectionSerializer}, summary="记录检查（卫生得分）")
    @action(detail=True, methods=["post"], url_name="record")
    def record(self, request, pk=None):
        inspection = selectors.inspection_get(user=request.user, pk=pk)
        body = RecordIn(data=request.data)
        body.is_valid(raise_exception=True)
        services.inspection_record(actor=request.user, inspection=inspection, **body.validated_data)
        return self.retrieve(request, pk)

    @extend_schema(request=FindingIn, responses={201: FindingSerializer}, summary="登记隐患")
    @action(detail=True, methods=["post"], url_name="findings")
    def findings(self, request, pk=None):
        inspection = selectors.inspection_get(user=request.user, pk=pk)
        body = FindingIn(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        item = InspectionItem.objects.filter(name=data["item"], active=True).first()
        if item is None:
            raise ServiceError(f"没有检查项目“{data['item']}”", field="item")
        members = {
            s.student_no: s
            for s in selectors.room_members_for_finding(user=request.user, room=inspection.room)
        }
        missing = [n for n in data["students"] if n not in members]
        if missing:
            raise ServiceError(f"不是本寝室的学生：{'、'.join(missing)}", field="students")
        finding = services.finding_add(
            actor=request.user,
            inspection=inspection,
            item=item,
            description=data["description"],
            photo=data.get("photo"),
            students=[members[n] for n in data["students"]],
            deadline=data.get("deadline"),
            cannot_fix=data["cannot_fix"],
        )
        finding = selectors.finding_get(user=request.user, pk=finding.pk)
        return Response(FindingSerializer(finding).data, status=status.HTTP_201_CREATED)


class RecheckIn(serializers.Serializer):
    result = serializers.ChoiceField(choices=FindingRecheck.Result.values)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False)


class FindingViewSet(ScopedReadViewSet):
    """隐患：?state=open|fixed|escalated、?overdue=1、?round=、?item=、?building=、?date_from=、
    ?date_to=；recheck 复查。"""

    serializer_class = FindingSerializer

    selector = selectors.finding_list

    def selector_kwargs(self, params):
        if self.action != "list":
            return {}
        return {"filters": params}

    @extend_schema(request=RecheckIn, responses={200: FindingSerializer}, summary="复查")
    @action(detail=True, methods=["post"], url_name="recheck")
    def recheck(self, request, pk=None):
        finding = selectors.finding_get(user=request.user, pk=pk)
        body = RecheckIn(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        services.finding_recheck(
            actor=request.user,
            finding=finding,
            result=data["result"],
            note=data["note"],
            expected_version=data.get("version"),
        )
        return Response(FindingSerializer(selectors.finding_get(user=request.user, pk=pk)).data)


class RoomRatingSerializer(serializers.Serializer):
    room = serializers.CharField(source="room.label")
    building = serializers.CharField(source="room.building.name")
    semester = serializers.CharField(source="semester.name")
    inspections = serializers.IntegerField()
    average_score = serializers.DecimalField(max_digits=5, decimal_places=2)
    findings = serializers.IntegerField()
    stars = serializers.IntegerField()
    civil = serializers.BooleanField()
    model_room = serializers.BooleanField()
    building_rank = serializers.IntegerField()


class RoomRatingViewSet(ScopedViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """学期寝室评比：?semester=（编号）、?building=。"""

    serializer_class = RoomRatingSerializer

    selector = selectors.rating_list

    def selector_kwargs(self, params):
        semester = None
        if params.get("semester"):
            semester = selectors.rating_semesters().filter(pk=params["semester"]).first()
        return {"semester": semester, "building": params.get("building", "")}
