"""REST API of the holiday windows and registrations (节假日离校返校)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from campusgrid.core.errors import ServiceError
from campusgrid.core.scoping import CHANGE
from campusgrid.core.viewsets import ScopedReadViewSet
from campusgrid.org.models import Holiday, SchoolClass
from campusgrid.people import sensitive

from .. import selectors, services
from ..models import (
    HolidayPlan,
)

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


class HolidayWindowViewSet(ScopedReadViewSet):
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


class HolidayRegistrationViewSet(ScopedReadViewSet):
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
