"""REST API of leave (请假)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from campusgrid.core.errors import ServiceError
from campusgrid.core.viewsets import ScopedReadViewSet
from campusgrid.people import sensitive

from .. import selectors, services
from ..models import (
    LeaveKind,
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


class LeaveViewSet(ScopedReadViewSet):
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
