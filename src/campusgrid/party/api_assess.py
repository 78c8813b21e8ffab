"""REST API of the assessments, awards and work meetings under /api/v1/party/…, scoped like the
pages (the same selectors and services, every viewset on core.api's scoped base). Scores are
masked for those without the right and each revealed one access-logged."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from campusgrid.core.api import (
    ObjectJSONParser,
    query_choice,
    validated,
)
from campusgrid.core.errors import ServiceError
from campusgrid.core.viewsets import ScopedReadViewSet
from campusgrid.people.models import AccessLog
from campusgrid.people.selectors import student_get

from . import policy_assess as policy
from .models import AssessmentKind, AwardKind, AwardState
from .selectors import assess as assess_selectors
from .selectors import awards as award_selectors
from .selectors import meetings as meeting_selectors
from .services import assess as assess_services
from .services import awards as award_services
from .services import meetings as meeting_services

# --- assessments ------------------------------------------------------------------------------------


class AssessmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    semester = serializers.CharField(source="semester.name")
    semester_id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
    student_no = serializers.CharField(source="subject.student_no")
    name = serializers.CharField(source="subject.name")
    assessor = serializers.CharField(source="assessor_name")
    score = serializers.SerializerMethodField()
    comment = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField()
    version = serializers.IntegerField()

    @extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}], "nullable": True})
    def get_score(self, obj):
        return assess_selectors.score_shown(self.context["request"].user, obj)

    def get_comment(self, obj) -> str:
        return assess_selectors.comment_shown(self.context["request"].user, obj)


class AssessmentIn(serializers.Serializer):
    student_no = serializers.CharField(max_length=32)
    semester = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    score = serializers.IntegerField(min_value=0, max_value=100)
    comment = serializers.CharField(max_length=500)
    version = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=2**31 - 1)


class AssessmentViewSet(ScopedReadViewSet):
    """党建评议：?semester=（编号）、?kind=member|activist。评分与评语仅本人、评议人和三级以上可见。"""

    serializer_class = AssessmentSerializer
    parser_classes = [ObjectJSONParser]
    selector = assess_selectors.assessment_list

    def selector_kwargs(self, params):
        if self.action != "list":
            return {}
        semester = assess_selectors.semester_pick(params.get("semester")) if params.get("semester") else None
        kind = query_choice(self.request, "kind", AssessmentKind.values, label="评议类别")
        return {"semester": semester, "kind": kind}

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assess_selectors.log_score_reads(request=request, assessments=page, action=AccessLog.Action.API_READ)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        assessment = assess_selectors.assessment_get(user=request.user, pk=pk)
        assess_selectors.log_score_reads(
            request=request, assessments=[assessment], action=AccessLog.Action.API_READ
        )
        return Response(self.get_serializer(assessment).data)

    @extend_schema(request=AssessmentIn, responses={201: AssessmentSerializer}, summary="记录或修改评议")
    def create(self, request):
        data = validated(AssessmentIn, request)
        semester = assess_selectors.semester_pick(data.get("semester"))
        assessment = assess_services.assessment_record(
            actor=request.user,
            semester=semester,
            student_no=data["student_no"],
            score=data["score"],
            comment=data["comment"],
            expected_version=data.get("version"),
        )
        return Response(self.get_serializer(assessment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="我的评议名单（?semester=）",
        responses={200: OpenApiTypes.ANY, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def mine(self, request):
        semester = assess_selectors.semester_pick(request.query_params.get("semester"))
        rows = assess_selectors.assessable_for(user=request.user, semester=semester) if semester else []
        return Response(
            [
                {
                    "student_no": r["student"].student_no,
                    "name": r["student"].name,
                    "room": r["room"].label,
                    "kind": r["kind"],
                    "assessed": r["assessment"] is not None,
                    "version": r["assessment"].version if r["assessment"] else None,
                }
                for r in rows
            ]
        )

    @extend_schema(
        summary="评议进度：谁尚未评议谁（?branch=&semester=）",
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def progress(self, request):
        branch = _branch(request)
        semester = assess_selectors.semester_pick(request.query_params.get("semester"))
        progress = assess_selectors.assessment_progress(user=request.user, branch=branch, semester=semester)
        return Response(
            {
                "branch": branch.name,
                "semester": semester.name,
                "total": progress["total"],
                "done": progress["done"],
                "missing": [
                    {
                        "assessor": r["assessor"],
                        "assessor_role": r["assessor_role"],
                        "student_no": r["subject"].student_no,
                        "name": r["subject"].name,
                        "kind": r["kind"],
                    }
                    for r in progress["missing"]
                ],
            }
        )

    @extend_schema(
        summary="积极分子学期考察表（?student_no=&semester=）",
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def sheet(self, request):
        number = request.query_params.get("student_no")
        if not number:
            raise ServiceError("请填写学号", field="student_no")
        student = student_get(user=request.user, student_no=number)
        if not policy.may_open_sheet(request.user, student):
            raise Http404("未找到，或不在您的管理范围内")
        semester = assess_selectors.semester_pick(request.query_params.get("semester"))
        sheet = assess_selectors.assessment_sheet_get(
            user=request.user, student=student, semester=semester, request=request
        )
        rating = sheet["rating"]
        return Response(
            {
                "student_no": student.student_no,
                "name": student.name,
                "semester": semester.name,
                "room": sheet["room"].label if sheet["room"] else None,
                "rating": {
                    "average_score": str(rating.average_score),
                    "building_rank": rating.building_rank,
                    "titles": rating.titles,
                }
                if rating
                else None,
                "inspections": sheet["inspections"],
                "findings": sheet["findings"],
                "night": sheet["night"],
                "reports": sheet["reports"],
                "sources": sheet["sources"],
                "assessment": {
                    "score": sheet["score"],
                    "comment": sheet["comment"],
                    "assessor": sheet["assessment"].assessor_name,
                }
                if sheet["assessment"]
                else None,
                "minimum": sheet["minimum"],
            }
        )


def _branch(request):
    raw = request.query_params.get("branch")
    if raw in (None, ""):
        branch = award_selectors.default_branch(user=request.user)
        if branch is None:
            raise Http404("您没有可查看的党支部")
        return branch
    return _branch_get(request, raw)


def _branch_get(request, raw):
    """The branch numbered `raw` (a query parameter) on the user's desk; 404 when not theirs."""
    try:
        return award_selectors.desk_branch_get(user=request.user, pk=int(raw))
    except (TypeError, ValueError):
        raise ServiceError("党支部（branch）须为编号", field="branch")


# --- awards --------------------------------------------------------------------------------------------


class AwardSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    semester = serializers.CharField(source="semester.name")
    branch = serializers.CharField(source="branch.name")
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
    student_no = serializers.CharField(source="student.student_no")
    name = serializers.CharField(source="student.name")
    state = serializers.CharField()
    state_display = serializers.CharField(source="get_state_display")
    reasons = serializers.SerializerMethodField()
    decided_on = serializers.DateField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()

    def get_reasons(self, obj) -> list[str]:
        return award_selectors.reasons_shown(self.context["request"].user, obj)


class AwardProposeIn(serializers.Serializer):
    branch = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    semester = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    kind = serializers.ChoiceField(choices=AwardKind.choices)
    student_no = serializers.CharField(max_length=32)
    note = serializers.CharField(required=False, allow_blank=True, max_length=255)


class AwardDecideIn(serializers.Serializer):
    approve = serializers.BooleanField()
    decided_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=255)
    version = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=2**31 - 1)


class PublishIn(serializers.Serializer):
    branch = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    semester = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class AwardViewSet(ScopedReadViewSet):
    """学期评优：?semester=、?state=、?kind=；候选、推荐、支委会决定、公布。"""

    serializer_class = AwardSerializer
    parser_classes = [ObjectJSONParser]
    selector = award_selectors.award_list

    def selector_kwargs(self, params):
        if self.action != "list":
            return {}
        semester = assess_selectors.semester_pick(params.get("semester")) if params.get("semester") else None
        return {
            "semester": semester,
            "state": query_choice(self.request, "state", AwardState.values, label="状态"),
            "kind": query_choice(self.request, "kind", AwardKind.values, label="奖项"),
        }

    @extend_schema(
        summary="依据记录推荐的候选人（?branch=&semester=）",
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def candidates(self, request):
        branch = _branch(request)
        semester = assess_selectors.semester_pick(request.query_params.get("semester"))
        result = award_selectors.award_candidates(user=request.user, branch=branch, semester=semester)
        return Response(
            {
                kind: [
                    {
                        "student_no": c["student"].student_no,
                        "name": c["student"].name,
                        "points": c["points"],
                        "reasons": [r["text"] for r in c["reasons"]],
                        "state": c["award"].state if c["award"] else None,
                    }
                    for c in rows
                ]
                for kind, rows in result.items()
            }
        )

    @extend_schema(request=AwardProposeIn, responses={201: AwardSerializer}, summary="书记推荐（名额内）")
    @action(detail=False, methods=["post"])
    def propose(self, request):
        data = validated(AwardProposeIn, request)
        branch = award_selectors.desk_branch_get(user=request.user, pk=data["branch"])
        award = award_services.award_propose(
            actor=request.user,
            branch=branch,
            semester=assess_selectors.semester_pick(data.get("semester")),
            kind=data["kind"],
            student_no=data["student_no"],
            note=data.get("note", ""),
        )
        return Response(self.get_serializer(award).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AwardDecideIn, responses={200: AwardSerializer}, summary="记录支委会决定")
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        award = award_selectors.award_get(user=request.user, pk=pk)
        data = validated(AwardDecideIn, request)
        award = award_services.award_decide(
            actor=request.user,
            award=award,
            approve=data["approve"],
            decided_on=data["decided_on"],
            note=data.get("note", ""),
            expected_version=data.get("version"),
        )
        return Response(self.get_serializer(award).data)

    @extend_schema(request=PublishIn, summary="学院公布评优名单")
    @action(detail=False, methods=["post"])
    def publish(self, request):
        data = validated(PublishIn, request)
        branch = award_selectors.desk_branch_get(user=request.user, pk=data["branch"])
        count = award_services.award_publish(
            actor=request.user, branch=branch, semester=assess_selectors.semester_pick(data.get("semester"))
        )
        return Response({"published": count})


# --- meetings -------------------------------------------------------------------------------------------


class DecisionOut(serializers.Serializer):
    text = serializers.CharField()
    responsible = serializers.CharField(source="responsible_name")
    due_on = serializers.DateField()
    done_on = serializers.DateField(allow_null=True)


class OpinionOut(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    room = serializers.SerializerMethodField()
    report = serializers.IntegerField(source="report_id", allow_null=True)

    def get_room(self, obj) -> str | None:
        return obj.room.label if obj.room_id else None


class WorkMeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    branch = serializers.CharField(source="branch.name")
    date = serializers.DateField()
    place = serializers.CharField()
    host = serializers.CharField(source="host_name")
    attendees = serializers.SerializerMethodField()
    other_attendees = serializers.CharField()
    minutes = serializers.CharField()
    decisions = DecisionOut(many=True, source="decisions.all")
    opinions = OpinionOut(many=True, source="opinions.all")

    def get_attendees(self, obj) -> list[str]:
        return [person.name for person in obj.attendees_present]


class WorkMeetingDecisionIn(serializers.Serializer):
    text = serializers.CharField(max_length=255)
    responsible_no = serializers.CharField(required=False, allow_blank=True, max_length=32)
    responsible_name = serializers.CharField(required=False, allow_blank=True, max_length=64)
    due_on = serializers.DateField()


class OpinionIn(serializers.Serializer):
    text = serializers.CharField(max_length=1000)
    room = serializers.CharField(required=False, allow_blank=True, max_length=40, help_text="楼栋/寝室号")


class WorkMeetingIn(serializers.Serializer):
    branch = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    date = serializers.DateField()
    place = serializers.CharField(required=False, allow_blank=True, max_length=100)
    host = serializers.CharField(required=False, allow_blank=True, max_length=64)
    attendees = serializers.ListField(
        child=serializers.CharField(max_length=32), required=False, max_length=200
    )
    other_attendees = serializers.CharField(required=False, allow_blank=True, max_length=255)
    minutes = serializers.CharField(max_length=5000)
    decisions = WorkMeetingDecisionIn(many=True, required=False, max_length=30)
    opinions = OpinionIn(many=True, required=False, max_length=30)


class OpinionReportIn(serializers.Serializer):
    item = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class MeetingViewSet(ScopedReadViewSet):
    """公寓党建工作例会：?branch=（编号）。记录例会、把舆情事项转为问题上报。"""

    serializer_class = WorkMeetingSerializer
    parser_classes = [ObjectJSONParser]
    selector = meeting_selectors.meeting_list

    def selector_kwargs(self, params):
        if self.action != "list" or not params.get("branch"):
            return {}
        return {"branch": _branch_get(self.request, params["branch"])}

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(meeting_selectors.meeting_get(user=request.user, pk=pk)).data)

    @extend_schema(request=WorkMeetingIn, responses={201: WorkMeetingSerializer}, summary="记录例会")
    def create(self, request):
        data = validated(WorkMeetingIn, request)
        branch = award_selectors.desk_branch_get(user=request.user, pk=data["branch"])
        people = {s.student_no: s for s in meeting_selectors.meeting_people(branch=branch)}
        rooms = {r.label: r for r in meeting_selectors.branch_rooms(branch=branch)}

        def person(number, field):
            if number not in people:
                raise ServiceError(f"学号{number}不是本支部的党员或积极分子", field=field)
            return people[number]

        def room(label):
            if not label:
                return None
            if label not in rooms:
                raise ServiceError(f"寝室{label}不在本支部网格内", field="opinions")
            return rooms[label]

        meeting = meeting_services.meeting_record(
            actor=request.user,
            branch=branch,
            date=data["date"],
            place=data.get("place", ""),
            host_name=data.get("host", ""),
            attendees=[person(n, "attendees") for n in data.get("attendees", [])],
            other_attendees=data.get("other_attendees", ""),
            minutes=data["minutes"],
            decisions=[
                {
                    "text": d["text"],
                    "responsible": person(d["responsible_no"], "decisions")
                    if d.get("responsible_no")
                    else None,
                    "responsible_name": d.get("responsible_name", ""),
                    "due_on": d["due_on"],
                }
                for d in data.get("decisions", [])
            ],
            opinions=[
                {"text": o["text"], "room": room(o.get("room", "")), "students": []}
                for o in data.get("opinions", [])
            ],
        )
        meeting = meeting_selectors.meeting_get(user=request.user, pk=meeting.pk)
        return Response(self.get_serializer(meeting).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=OpinionReportIn, summary="把舆情事项转为问题上报（舆情）")
    @action(detail=True, methods=["post"], url_path="report-opinion")
    def report_opinion(self, request, pk=None):
        meeting = meeting_selectors.meeting_get(user=request.user, pk=pk)
        data = validated(OpinionReportIn, request)
        item = meeting_selectors.opinion_get(user=request.user, pk=data["item"])
        if item.meeting_id != meeting.pk:
            raise ServiceError("该舆情事项不属于本次例会", field="item")
        report = meeting_services.opinion_report(actor=request.user, item=item)
        return Response({"item": item.pk, "report": report.pk}, status=status.HTTP_201_CREATED)


def register(router) -> None:
    router.register("party/assessments", AssessmentViewSet, basename="party-assessment")
    router.register("party/awards", AwardViewSet, basename="party-award")
    router.register("party/meetings", MeetingViewSet, basename="party-meeting")
