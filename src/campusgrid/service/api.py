"""The service app's REST API under /api/v1/service/… (every viewset on core.api's scoped base):
sessions (with attendance, sign-in, hours credit and correction), the hours ledger, teams."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from campusgrid.core.api import ScopedViewSetMixin, query_choice, validated
from campusgrid.core.errors import ServiceError
from campusgrid.core.viewsets import ScopedReadViewSet
from campusgrid.grid.models import PostKind

from . import policy, selectors, services
from .models import AttendanceStatus, SessionKind


class SessionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
    title = serializers.CharField()
    topic = serializers.CharField()
    college = serializers.CharField(source="college.name")
    organiser = serializers.CharField(source="organiser.username")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField()
    quota = serializers.IntegerField(allow_null=True)
    signup_required = serializers.BooleanField()
    hours = serializers.DecimalField(max_digits=5, decimal_places=1)
    team = serializers.IntegerField(source="team_id", allow_null=True)
    branch = serializers.IntegerField(source="branch_id", allow_null=True)
    attended = serializers.IntegerField(source="attended_count", default=None)
    signups = serializers.IntegerField(source="signup_count", default=None)


class SessionIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SessionKind.values)
    title = serializers.CharField(max_length=120)
    topic = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    quota = serializers.IntegerField(
        min_value=1, max_value=100000, required=False, allow_null=True, default=None
    )
    signup_required = serializers.BooleanField(required=False, default=False)
    hours = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=0, max_value=24, required=False, default=0
    )
    audience_college = serializers.BooleanField(required=False, default=False)
    audience_classes = serializers.ListField(
        child=serializers.CharField(max_length=64),
        required=False,
        default=list,
        max_length=200,
        help_text="班级名称",
    )
    audience_post_kind = serializers.ChoiceField(choices=[""] + PostKind.values, required=False, default="")


class AttendanceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    session = serializers.IntegerField(source="session_id")
    student_no = serializers.CharField(source="student.student_no", default=None)
    staff_no = serializers.CharField(source="staff.staff_no", default=None)
    name = serializers.CharField(source="person_name")
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    how = serializers.CharField()
    at = serializers.DateTimeField()


class AttendanceIn(serializers.Serializer):
    student_no = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    staff_no = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(choices=AttendanceStatus.values)


class SignInIn(serializers.Serializer):
    code = serializers.CharField(max_length=12)
    session = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**31 - 1)


class CreditIn(serializers.Serializer):
    hours = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=0, max_value=24, required=False, allow_null=True
    )


class CorrectIn(serializers.Serializer):
    number = serializers.CharField(max_length=32, help_text="学号或工号")
    hours = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=0, max_value=24, help_text="更正后的时长"
    )
    reason = serializers.CharField(max_length=200)


class HoursSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    session = serializers.IntegerField(source="session_id")
    session_title = serializers.CharField(source="session.title")
    student_no = serializers.CharField(source="student.student_no", default=None)
    staff_no = serializers.CharField(source="staff.staff_no", default=None)
    kind = serializers.CharField()
    hours = serializers.DecimalField(max_digits=5, decimal_places=1)
    correction = serializers.BooleanField()
    reason = serializers.CharField()
    semester = serializers.CharField(source="semester.name", default=None)
    at = serializers.DateTimeField()


class TeamSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    theme = serializers.CharField()
    college = serializers.CharField(source="college.name")
    branch = serializers.CharField(source="branch.name", default=None)
    leader = serializers.CharField(source="leader.name", default=None)
    members = serializers.IntegerField(source="member_count")
    activities = serializers.IntegerField(source="activity_count")
    participations = serializers.IntegerField(source="participant_count")
    served = serializers.SerializerMethodField()

    def get_served(self, obj) -> int:
        return obj.served_counted + obj.served_known


def _attendee(session, body) -> dict:
    number = body.get("student_no") or body.get("staff_no")
    if not number:
        raise ServiceError("请填写学号或工号", field="student_no")
    for row in selectors.attendance_sheet(session=session):
        person = row["person"]
        if getattr(person, "student_no", None) == number:
            return {"student": person}
        if getattr(person, "staff_no", None) == number:
            return {"staff": person}
    raise ServiceError(f"“{number}”不在此活动的参加名单中", field="student_no")


class SessionViewSet(ScopedReadViewSet):
    """活动：?kind=volunteer|education|training|party_meeting、?q=、?team=、?date_from=、?date_to=。"""

    serializer_class = SessionSerializer
    selector = selectors.session_list

    def selector_kwargs(self, params):
        if self.action != "list":
            return {}
        query_choice(self.request, "kind", SessionKind.values, label="类型")
        return {"filters": params}

    def _managed(self, pk):
        session = selectors.session_get(user=self.request.user, pk=pk)
        if not policy.may_manage_session(self.request.user, session):
            from django.http import Http404

            raise Http404
        return session

    @extend_schema(request=SessionIn, responses={201: SessionSerializer}, summary="发布活动")
    def create(self, request):
        data = dict(validated(SessionIn, request))
        names = data.pop("audience_classes")
        classes = selectors.classes_by_names(user=request.user, names=names)
        session = services.session_create(actor=request.user, audience_classes=classes, **data)
        session = selectors.session_list(user=request.user).get(pk=session.pk)
        return Response(SessionSerializer(session).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={200: AttendanceSerializer(many=True)}, summary="考勤（组织者与本学院辅导员、领导）"
    )
    @action(detail=True, methods=["get"], url_name="attendance", pagination_class=None)
    def attendance(self, request, pk=None):
        session = self._managed(pk)
        return Response(AttendanceSerializer(selectors.attendance_for(session=session), many=True).data)

    @extend_schema(request=AttendanceIn, responses={200: AttendanceSerializer}, summary="登记考勤")
    @action(detail=True, methods=["post"], url_path="record", url_name="record")
    def record(self, request, pk=None):
        session = self._managed(pk)
        data = validated(AttendanceIn, request)
        att = services.attendance_record(
            actor=request.user,
            session=session,
            status=data["status"],
            **_attendee(session, data),
        )
        return Response(AttendanceSerializer(att).data)

    @extend_schema(request=SignInIn, responses={200: AttendanceSerializer}, summary="签到（输入签到码）")
    @action(detail=False, methods=["post"], url_path="sign-in", url_name="sign-in")
    def sign_in(self, request):
        data = validated(SignInIn, request)
        session = None
        if data.get("session"):
            session = selectors.session_for_sign_in(pk=data["session"])
        att = services.attendance_sign_in(actor=request.user, code=data["code"], session=session)
        return Response(AttendanceSerializer(att).data)

    @extend_schema(request=CreditIn, responses={200: HoursSerializer(many=True)}, summary="为出席者认定时长")
    @action(
        detail=True, methods=["post"], url_path="credit-hours", url_name="credit-hours", pagination_class=None
    )
    def credit_hours(self, request, pk=None):
        session = self._managed(pk)
        data = validated(CreditIn, request)
        created = services.hours_credit(actor=request.user, session=session, hours=data.get("hours"))
        return Response(HoursSerializer(created, many=True).data)

    @extend_schema(
        request=CorrectIn, responses={201: HoursSerializer}, summary="更正时长（新增一行，须写原因）"
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="correct-hours",
        url_name="correct-hours",
        pagination_class=None,
    )
    def correct_hours(self, request, pk=None):
        session = self._managed(pk)
        data = validated(CorrectIn, request)
        person = selectors.audience_or_attendee(session=session, number=data["number"])
        if not person:
            raise ServiceError(f"此活动没有学号或工号为“{data['number']}”的参加者", field="number")
        credit = services.hours_correct(
            actor=request.user, session=session, hours=data["hours"], reason=data["reason"], **person[0]
        )
        return Response(HoursSerializer(credit).data, status=status.HTTP_201_CREATED)


class HoursViewSet(ScopedViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """时长记录：本人的，或本人组织/管理的活动的；?kind=volunteer|study。"""

    serializer_class = HoursSerializer
    selector = selectors.hours_list

    def selector_kwargs(self, params):
        return {"kind": query_choice(self.request, "kind", ["volunteer", "study"], label="类别")}


class TeamViewSet(ScopedReadViewSet):
    """党员志愿服务队，含活动次数、参与人次、服务人次。"""

    serializer_class = TeamSerializer
    selector = selectors.team_list


def register(router) -> None:
    from . import api_more

    router.register("service/sessions", SessionViewSet, basename="service-session")
    router.register("service/hours", HoursViewSet, basename="service-hours")
    router.register("service/teams", TeamViewSet, basename="service-team")
    api_more.register(router)  # pairing, 舆情, visits
