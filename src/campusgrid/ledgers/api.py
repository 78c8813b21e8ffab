"""REST API of the ledgers, scoped exactly like the pages (the same selectors and
services): night checks, leave, holiday registrations, inspections, ratings."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from campusgrid.core.api import ObjectJSONParser, ScopedViewSetMixin
from campusgrid.core.errors import ServiceError
from campusgrid.core.params import date_param
from campusgrid.core.scoping import CHANGE
from campusgrid.org.models import Holiday, SchoolClass
from campusgrid.people import sensitive

from . import selectors, services
from .models import (
    FindingRecheck,
    HolidayPlan,
    InspectionItem,
    LeaveKind,
    NightStatus,
    RoundKind,
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


class NightCheckViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
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


# --- leave --------------------------------------------------------------------------------------


class LeaveSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    student_no = serializers.CharField(source="student.student_no")
    name = serializers.CharField(source="student.name")
    school_class = serializers.CharField(source="student.school_class.name", default=None)
    kind = serializers.CharField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    reason = serializers.SerializerMethodField()
    destination = serializers.CharField()
    contact = serializers.SerializerMethodField()
    state = serializers.CharField()
    state_display = serializers.CharField(source="get_state_display")
    decided_by = serializers.CharField(source="decided_by_name")
    decided_at = serializers.DateTimeField(allow_null=True)
    comment = serializers.CharField()
    returned_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.SerializerMethodField()
    version = serializers.IntegerField()

    def _user(self):
        return self.context["request"].user

    def get_reason(self, obj) -> str:
        return sensitive.shown(self._user(), obj, "reason")

    def get_contact(self, obj) -> str:
        return sensitive.shown(self._user(), obj, "contact")

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue()


class LeaveIn(serializers.Serializer):
    student_no = serializers.CharField(required=False, help_text="代为登记时填写；学生本人可省略")
    kind = serializers.ChoiceField(choices=LeaveKind.values, default=LeaveKind.PERSONAL)
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    reason = serializers.CharField()
    destination = serializers.CharField(required=False, allow_blank=True, default="")
    contact = serializers.CharField(required=False, allow_blank=True, default="")


class DecisionIn(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False)


class LeaveViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """请假：?state=、?overdue=1、?current=1、?class=（或 school_class=）、?student_no=、
    ?date_from=、?date_to=、?box=todo（待我审批）。"""

    serializer_class = LeaveSerializer

    selector = selectors.leave_list

    def get_selector(self):
        if self.request.query_params.get("box") == "todo":
            return selectors.leaves_to_decide
        return selectors.leave_list

    def selector_kwargs(self, params):
        # Lists go through the page's FilterSet (choices limited to the user's reach; a
        # filter outside it finds nothing); a detail is found by its id alone.
        if params.get("box") == "todo" or self.action != "list":
            return {}
        return {"filters": params}

    @extend_schema(request=LeaveIn, responses={201: LeaveSerializer}, summary="请假申请")
    def create(self, request):
        body = LeaveIn(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        number = data.pop("student_no", None)
        student = getattr(request.user, "student", None)
        if number and (student is None or student.student_no != number):
            student = selectors.managed_student(user=request.user, student_no=number)
            if student is None:
                raise ServiceError("在您所带的学生中找不到该学号", field="student_no")
        if student is None:
            raise ServiceError("请填写学生学号", field="student_no")
        leave = services.leave_request(actor=request.user, student=student, **data)
        leave = selectors.leave_get(user=request.user, pk=leave.pk)
        return Response(
            LeaveSerializer(leave, context={"request": request}).data, status=status.HTTP_201_CREATED
        )

    def _act(self, request, pk, name):
        leave = selectors.leave_get(user=request.user, pk=pk)
        body = DecisionIn(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if name in ("approve", "refuse"):
            services.leave_decide(
                actor=request.user,
                leave=leave,
                approve=name == "approve",
                comment=data["comment"],
                expected_version=data.get("version"),
            )
        elif name == "cancel":
            services.leave_cancel(actor=request.user, leave=leave)
        else:
            services.leave_return(actor=request.user, leave=leave)
        leave = selectors.leave_get(user=request.user, pk=pk)
        return Response(LeaveSerializer(leave, context={"request": request}).data)

    @extend_schema(request=DecisionIn, responses={200: LeaveSerializer}, summary="批准")
    @action(detail=True, methods=["post"], url_name="approve")
    def approve(self, request, pk=None):
        return self._act(request, pk, "approve")

    @extend_schema(request=DecisionIn, responses={200: LeaveSerializer}, summary="不批准（需填写意见）")
    @action(detail=True, methods=["post"], url_name="refuse")
    def refuse(self, request, pk=None):
        return self._act(request, pk, "refuse")

    @extend_schema(request=None, responses={200: LeaveSerializer}, summary="撤销")
    @action(detail=True, methods=["post"], url_name="cancel")
    def cancel(self, request, pk=None):
        return self._act(request, pk, "cancel")

    @extend_schema(request=None, responses={200: LeaveSerializer}, summary="销假")
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        return self._act(request, pk, "return")


# --- holiday ------------------------------------------------------------------------------------


class HolidayWindowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    holiday = serializers.CharField(source="holiday.name")
    holiday_id = serializers.IntegerField()
    start = serializers.DateField(source="holiday.start")
    end = serializers.DateField(source="holiday.end")
    school_class = serializers.CharField(source="school_class.name")
    register_by = serializers.DateField()
    return_due = serializers.DateTimeField()
    opened_by = serializers.CharField(source="opened_by_name")
    counts = serializers.SerializerMethodField()

    def get_counts(self, obj) -> dict:
        return self.context.get("counts", {}).get(obj.pk, {})


class HolidayWindowIn(serializers.Serializer):
    holiday = serializers.IntegerField(help_text="节假日编号（org.Holiday）")
    classes = serializers.ListField(child=serializers.CharField(), help_text="班级名称列表")
    register_by = serializers.DateField(required=False)
    return_due = serializers.DateTimeField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class HolidayWindowViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """节假日离校返校登记（辅导员按班级发起）；counts 为您可见学生的统计。"""

    serializer_class = HolidayWindowSerializer

    selector = selectors.holiday_window_list

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        counts = selectors.window_counts(user=request.user, windows=list(page))
        data = HolidayWindowSerializer(page, many=True, context={"counts": counts}).data
        return self.get_paginated_response(data)

    def retrieve(self, request, pk=None):
        window = selectors.holiday_window_get(user=request.user, pk=pk)
        counts = selectors.window_counts(user=request.user, windows=[window])
        return Response(HolidayWindowSerializer(window, context={"counts": counts}).data)

    @extend_schema(
        request=HolidayWindowIn, responses={201: HolidayWindowSerializer(many=True)}, summary="发起登记"
    )
    def create(self, request):
        body = HolidayWindowIn(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        holiday = Holiday.objects.filter(pk=data["holiday"]).first()
        if holiday is None:
            raise ServiceError("找不到该节假日", field="holiday")
        classes = list(SchoolClass.objects.visible_to(request.user, CHANGE).filter(name__in=data["classes"]))
        missing = sorted(set(data["classes"]) - {c.name for c in classes})
        if missing:
            raise ServiceError(f"不是您所带的班级：{'、'.join(missing)}", field="classes")
        opened = services.holiday_window_open(
            actor=request.user,
            holiday=holiday,
            classes=classes,
            register_by=data.get("register_by"),
            return_due=data.get("return_due"),
            note=data["note"],
        )
        return Response(HolidayWindowSerializer(opened, many=True).data, status=status.HTTP_201_CREATED)


class HolidayRegistrationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    holiday = serializers.CharField(source="holiday.name")
    window = serializers.IntegerField(source="window_id")
    student_no = serializers.CharField(source="student.student_no")
    name = serializers.CharField(source="student.name")
    school_class = serializers.CharField(source="student.school_class.name", default=None)
    plan = serializers.CharField()
    destination = serializers.CharField()
    depart_on = serializers.DateField(allow_null=True)
    return_on = serializers.DateField(allow_null=True)
    transport = serializers.CharField()
    emergency_contact = serializers.CharField()
    emergency_phone = serializers.SerializerMethodField()
    return_due = serializers.DateTimeField()
    returned_at = serializers.DateTimeField(allow_null=True)
    return_confirmed_by = serializers.CharField(source="return_confirmed_by_name")
    late_reason = serializers.CharField()
    departed_at = serializers.DateTimeField(allow_null=True)
    departure_confirmed_by = serializers.CharField(source="departure_confirmed_by_name")
    status = serializers.SerializerMethodField()
    status_display = serializers.SerializerMethodField()
    version = serializers.IntegerField()

    def get_emergency_phone(self, obj) -> str:
        return sensitive.shown(self.context["request"].user, obj, "emergency_phone")

    def get_status(self, obj) -> str:
        return obj.status()

    def get_status_display(self, obj) -> str:
        return obj.status_label()


class HolidayRegistrationIn(serializers.Serializer):
    window = serializers.IntegerField(help_text="登记编号（/api/v1/holiday-windows/）")
    student_no = serializers.CharField(required=False, help_text="代为登记时填写")
    plan = serializers.ChoiceField(choices=HolidayPlan.values)
    destination = serializers.CharField(required=False, allow_blank=True, default="")
    depart_on = serializers.DateField(required=False, allow_null=True, default=None)
    return_on = serializers.DateField(required=False, allow_null=True, default=None)
    transport = serializers.CharField(required=False, allow_blank=True, default="")
    emergency_contact = serializers.CharField(required=False, allow_blank=True, default="")
    emergency_phone = serializers.CharField(required=False, allow_blank=True, default="")
    late_reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="计划返校日期晚于返校截止时间时必填"
    )
    version = serializers.IntegerField(required=False)


class HolidayRegistrationViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """离校返校登记：?holiday=、?window=、?class=、?status=（stay/planned/away/back/overdue）；
    depart 确认离校（早于登记的离校日期离开时），return 确认返校。"""

    serializer_class = HolidayRegistrationSerializer

    selector = selectors.holiday_registration_list

    def selector_kwargs(self, params):
        filters = {
            "holiday": params.get("holiday"),
            "window": params.get("window"),
            "school_class": params.get("class"),
            "status": params.get("status"),
        }
        return {"filters": filters}

    @extend_schema(
        request=HolidayRegistrationIn, responses={201: HolidayRegistrationSerializer}, summary="登记去留"
    )
    def create(self, request):
        body = HolidayRegistrationIn(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        window = selectors.holiday_window_get(user=request.user, pk=data.pop("window"))
        number = data.pop("student_no", None)
        student = getattr(request.user, "student", None)
        if number and (student is None or number != student.student_no):
            student = selectors.managed_student(user=request.user, student_no=number)
            if student is None:
                raise ServiceError("在您所带的学生中找不到该学号", field="student_no")
        if student is None:
            raise ServiceError("请填写学生学号", field="student_no")
        version = data.pop("version", None)
        registration = services.holiday_register(
            actor=request.user, window=window, student=student, expected_version=version, **data
        )
        registration = selectors.holiday_registration_get(user=request.user, pk=registration.pk)
        return Response(
            HolidayRegistrationSerializer(registration, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses={200: HolidayRegistrationSerializer}, summary="确认返校")
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def confirm_return(self, request, pk=None):
        return self._confirm(request, pk, services.holiday_confirm_return)

    @extend_schema(request=None, responses={200: HolidayRegistrationSerializer}, summary="确认离校")
    @action(detail=True, methods=["post"], url_path="depart", url_name="depart")
    def confirm_departure(self, request, pk=None):
        return self._confirm(request, pk, services.holiday_confirm_departure)

    def _confirm(self, request, pk, service):
        registration = selectors.holiday_registration_get(user=request.user, pk=pk)
        service(actor=request.user, registration=registration)
        registration = selectors.holiday_registration_get(user=request.user, pk=pk)
        return Response(HolidayRegistrationSerializer(registration, context={"request": request}).data)


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


class InspectionRoundViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
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


class InspectionViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
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


class FindingViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
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


def register(router):
    router.register("night-checks", NightCheckViewSet, basename="night-check")
    router.register("leaves", LeaveViewSet, basename="leave")
    router.register("holiday-windows", HolidayWindowViewSet, basename="holiday-window")
    router.register("holiday-registrations", HolidayRegistrationViewSet, basename="holiday-registration")
    router.register("inspection-rounds", InspectionRoundViewSet, basename="inspection-round")
    router.register("inspections", InspectionViewSet, basename="inspection")
    router.register("findings", FindingViewSet, basename="finding")
    router.register("room-ratings", RoomRatingViewSet, basename="room-rating")
