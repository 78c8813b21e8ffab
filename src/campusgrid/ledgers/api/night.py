"""REST API of the night checks (查寝)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from campusgrid.core.params import date_param
from campusgrid.core.viewsets import ScopedReadViewSet

from .. import selectors, services
from ..models import (
    NightStatus,
)

# --- night checks -------------------------------------------------------------------------------


class NightEntrySerializer(serializers.Serializer):
    student_no = serializers.CharField(source="student.student_no")
    name = serializers.CharField(source="student.name")
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    time = serializers.TimeField(format="%H:%M", allow_null=True)
    leave = serializers.IntegerField(source="leave_id", allow_null=True)
    report = serializers.IntegerField(source="report_id", allow_null=True)


class NightCheckSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    room = serializers.CharField(source="room.label")
    date = serializers.DateField()
    checked_by = serializers.CharField(source="checked_by_name")
    checked_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    present = serializers.IntegerField(source="present_count")
    leave = serializers.IntegerField(source="leave_count")
    late = serializers.IntegerField(source="late_count")
    absent = serializers.IntegerField(source="absent_count")
    version = serializers.IntegerField()
    entries = serializers.SerializerMethodField()

    def get_entries(self, obj) -> list[dict]:
        return NightEntrySerializer(getattr(obj, "visible_entries", []), many=True).data


class NightEntryIn(serializers.Serializer):
    student_no = serializers.CharField()
    status = serializers.ChoiceField(choices=NightStatus.values)
    time = serializers.TimeField(required=False, allow_null=True, help_text="晚归时的归寝时间，如 23:40")


class NightCheckIn(serializers.Serializer):
    room = serializers.CharField(help_text="楼栋/寝室号，如 西区3栋/305")
    date = serializers.DateField(required=False, help_text="默认今晚")
    entries = NightEntryIn(
        many=True, required=False, help_text="未列出的成员记为在寝（有已批准请假的记为请假）"
    )
    version = serializers.IntegerField(required=False, help_text="更正时读取到的版本号")


def _status_fields() -> dict:
    return {status: serializers.IntegerField(help_text=label) for status, label in NightStatus.choices}


class NightProgressTotals(serializers.Serializer):
    rooms = serializers.IntegerField()
    checked_rooms = serializers.IntegerField()
    students = serializers.IntegerField()
    checked_students = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True, help_text="已查寝室比例（0–1），无寝室时为 null")
    student_rate = serializers.FloatField(allow_null=True, help_text="已查学生比例（0–1）")

    def get_fields(self):
        return {**super().get_fields(), **_status_fields()}


class NightProgressClass(serializers.Serializer):
    total = serializers.IntegerField()
    checked = serializers.IntegerField()

    def get_fields(self):
        return {"class": serializers.CharField(), **super().get_fields(), **_status_fields()}


class NightProgressBuilding(serializers.Serializer):
    building = serializers.CharField()
    rooms = serializers.IntegerField()
    checked = serializers.IntegerField()
    total = serializers.IntegerField()

    def get_fields(self):
        return {**super().get_fields(), **_status_fields()}


class NightProgressSerializer(serializers.Serializer):
    date = serializers.DateField()
    totals = NightProgressTotals()
    classes = NightProgressClass(many=True)
    buildings = NightProgressBuilding(many=True)


class NightCheckViewSet(ScopedReadViewSet):
    """查寝：列表按范围限定（?date=、?room=）；POST 提交或更正一间寝室当晚的查寝。"""

    serializer_class = NightCheckSerializer

    selector = selectors.night_check_list

    def selector_kwargs(self, params):
        return {"filters": {k: params.get(k) for k in ("date", "room") if params.get(k)}}

    @extend_schema(parameters=[OpenApiParameter("date", str), OpenApiParameter("room", str)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=NightCheckIn,
        responses={
            201: OpenApiResponse(NightCheckSerializer, description="当晚首次提交"),
            200: OpenApiResponse(NightCheckSerializer, description="更正已提交的查寝"),
        },
        summary="提交查寝",
    )
    def create(self, request):
        body = NightCheckIn(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        room = selectors.room_for_check(user=request.user, label=data["room"])
        date = data.get("date") or selectors.tonight()
        entries = {
            e["student_no"]: {"status": e["status"], "time": e.get("time")} for e in data.get("entries", [])
        }
        check = services.night_check_submit(
            actor=request.user, room=room, date=date, entries=entries, expected_version=data.get("version")
        )
        check = selectors.night_check_get(user=request.user, pk=check.pk)
        created = check.version == 1
        return Response(
            NightCheckSerializer(check).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        parameters=[OpenApiParameter("date", OpenApiTypes.DATE)],
        responses={200: NightProgressSerializer},
        summary="查寝进度（按班级、楼栋）",
    )
    @action(detail=False, methods=["get"], url_path="progress", url_name="progress")
    def progress(self, request):
        date = date_param(request, default=selectors.night_to_show())
        data = selectors.night_progress(user=request.user, date=date)
        return Response(
            {
                "date": date.isoformat(),
                "totals": data["totals"],
                "classes": [{"class": r.pop("school_class__name"), **r} for r in data["classes"]],
                "buildings": [{"building": r.pop("building__name"), **r} for r in data["buildings"]],
            }
        )
