"""The party app's REST API under /api/v1/party/… (every viewset on core.api's scoped base).

Stable names (README): `GET/POST /api/v1/party/files/`, `GET /api/v1/party/files/{student_no}/`,
`POST /api/v1/party/files/{student_no}/steps/`."""

from __future__ import annotations

import datetime as dt

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from campusgrid.core.api import (
    ObjectJSONParser,
    ScopedViewSetMixin,
    query_choice,
    validated,
)
from campusgrid.core.errors import ServiceError
from campusgrid.core.viewsets import ScopedReadViewSet
from campusgrid.people.models import AccessLog, Student
from campusgrid.people.sensitive import HIDDEN, log_access

from . import policy, selectors, services
from .models.pipeline import BranchMeeting, Stage, StepCode

SENSITIVE_ITEM = "party_political_review"


def _date(value, field: str, label: str) -> dt.date:
    if isinstance(value, str) and len(value) <= 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ServiceError(f"{label}须为日期（YYYY-MM-DD）", field=field)


class StepSerializer(serializers.Serializer):
    step = serializers.CharField(source="code")
    label = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    dates = serializers.ListField(child=serializers.DateField(), source="done")
    earliest = serializers.DateField(allow_null=True)
    earliest_article = serializers.CharField()
    deadline = serializers.DateField(allow_null=True)
    deadline_article = serializers.CharField()
    college_earliest = serializers.DateField(allow_null=True)
    college_deadline = serializers.DateField(allow_null=True)
    college_note = serializers.CharField()

    def to_representation(self, window):
        """What the fields above give, written out: a page of 50 files holds ~800 steps, and
        DRF's field-by-field walk was half the list's time (tests/party/test_api_files.py
        holds this to the declared fields' own output)."""
        return {
            "step": str(window.code),
            "label": str(window.label),
            "date": _iso(window.date),
            "dates": [_iso(d) for d in window.done],
            "earliest": _iso(window.earliest),
            "earliest_article": str(window.earliest_article),
            "deadline": _iso(window.deadline),
            "deadline_article": str(window.deadline_article),
            "college_earliest": _iso(window.college_earliest),
            "college_deadline": _iso(window.college_deadline),
            "college_note": str(window.college_note),
        }


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


class WarningSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    message = serializers.CharField()


class FileSerializer(serializers.Serializer):
    """A development file (FileView): the stage derived from the steps, each step with its
    legal earliest date and deadline, and the warnings."""

    student_no = serializers.CharField(source="file.number")
    name = serializers.CharField(source="file.person_name")
    branch = serializers.CharField(source="file.branch.name")
    stage = serializers.ChoiceField(source="file.stage", choices=Stage.choices)
    stage_display = serializers.CharField(source="file.get_stage_display")
    rule_version = serializers.CharField(source="file.rule_version")
    applied_on = serializers.DateField(source="file.applied_on")
    closed_on = serializers.DateField(source="file.closed_on", allow_null=True)
    probation_end = serializers.DateField(source="facts.probation_end", allow_null=True)
    graduation_guard = serializers.CharField(source="guard", allow_null=True)
    steps = StepSerializer(source="windows", many=True)
    warnings = WarningSerializer(many=True)
    version = serializers.IntegerField(source="file.version")


class FileDetailSerializer(FileSerializer):
    political_review = serializers.SerializerMethodField()

    def get_political_review(self, view) -> str | None:
        conclusion = view.facts.data(StepCode.POLITICAL_REVIEW).get("conclusion")
        if not conclusion:
            return None
        return conclusion if self.context.get("reveal") else HIDDEN


class FileOpenSerializer(serializers.Serializer):
    student_no = serializers.CharField(max_length=32)
    applied_on = serializers.CharField(max_length=10)
    branch = serializers.IntegerField(required=False, min_value=1)
    rule_version = serializers.ChoiceField(choices=["2014", "2026"], required=False)


class MeetingVoteSerializer(serializers.Serializer):
    student_no = serializers.CharField(source="file.number")
    name = serializers.CharField(source="file.person_name")
    yes = serializers.IntegerField(allow_null=True)
    no = serializers.IntegerField(allow_null=True)
    abstain = serializers.IntegerField(allow_null=True)
    passed = serializers.BooleanField(allow_null=True)
    resolution = serializers.CharField()


class MeetingSerializer(serializers.ModelSerializer):
    branch = serializers.CharField(source="branch.name")
    votes = MeetingVoteSerializer(many=True)

    class Meta:
        model = BranchMeeting
        fields = [
            "id",
            "branch",
            "purpose",
            "state",
            "scheduled_for",
            "held_on",
            "members_due",
            "present",
            "written_opinions",
            "ballots_issued",
            "ballots_returned",
            "votes",
        ]


@extend_schema_view(
    list=extend_schema(summary="发展党员档案列表（按范围）"),
    retrieve=extend_schema(summary="发展党员档案（按学号）：阶段、步骤及其最早日期与期限、预警"),
    create=extend_schema(summary="建立发展党员档案（学号、申请日期）", request=FileOpenSerializer),
)
class FileViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = FileSerializer
    lookup_field = "student_no"
    lookup_value_regex = "[^/]+"
    parser_classes = [ObjectJSONParser]
    selector = selectors.file_list

    def selector_kwargs(self, params):
        return {
            "stage": query_choice(self.request, "stage", Stage.values, label="阶段"),
            "branch": params.get("branch") if (params.get("branch") or "").isdigit() else None,
            "q": (params.get("q") or "")[:32] or None,
        }

    def list(self, request, *args, **kwargs):
        # The page is paged as ids, then read as the board reads what it shows (plain values,
        # the same warnings): a fixed number of queries for 50 or 500 rows.
        files = self.get_queryset()
        ids = self.paginate_queryset(
            files.select_related(None).prefetch_related(None).values_list("pk", flat=True)
        )
        views = selectors.pipeline.file_page_views(files, list(ids))
        return self.get_paginated_response(FileSerializer(views, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        file = selectors.file_get(user=request.user, number=kwargs["student_no"])
        view = selectors.file_view(file, holidays=selectors.pipeline.college_holidays())
        reveal = bool(
            view.facts.data(StepCode.POLITICAL_REVIEW).get("conclusion")
        ) and policy.may_see_political_review(request.user, file)
        data = FileDetailSerializer(view, context={"reveal": reveal}).data
        if reveal and file.student_id:
            log_access(
                request=request,
                item=SENSITIVE_ITEM,
                students=[file.student],
                action=AccessLog.Action.API_READ,
            )
        return Response(data)

    def create(self, request, *args, **kwargs):
        values = validated(FileOpenSerializer, request)
        person = selectors.pipeline.person_by_number(values["student_no"])
        student = person if isinstance(person, Student) else None
        staff = None if student else person
        branch = None
        if values.get("branch"):
            branch = next(
                (b for b in selectors.branches_for(user=request.user) if b.pk == values["branch"]), None
            )
            if branch is None:
                raise ServiceError("没有该党支部，或您不能管理该党支部", field="branch")
        file = services.file_open(
            actor=request.user,
            student=student,
            staff=staff,
            applied_on=_date(values["applied_on"], "applied_on", "申请日期"),
            branch=branch,
            rule_version=values.get("rule_version"),
        )
        file = selectors.file_get(user=request.user, number=file.number)
        view = selectors.file_view(file, holidays=selectors.pipeline.college_holidays())
        return Response(FileSerializer(view).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="记录一个步骤（step、date 及该步骤所需内容）", request=None, responses=FileSerializer
    )
    @action(detail=True, methods=["post"], url_path="steps")
    def steps(self, request, student_no=None):
        body = request.data
        code = body.get("step")
        if not isinstance(code, str) or code not in StepCode.values:
            raise ServiceError(f"step 须为以下之一：{'、'.join(StepCode.values)}", field="step")
        on = _date(body.get("date"), "date", "日期")
        note = body.get("note") or ""
        if not isinstance(note, str):
            raise ServiceError("说明须为文字", field="note")
        data = {k: v for k, v in body.items() if k not in ("step", "date", "note")}
        data.pop("_from_meeting", None)
        file = selectors.file_get(user=request.user, number=student_no)
        services.step_record(actor=request.user, file=file, code=code, on=on, data=data, note=note)
        file = selectors.file_get(user=request.user, number=student_no)
        view = selectors.file_view(file, holidays=selectors.pipeline.college_holidays())
        return Response(FileSerializer(view).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="支部党员大会（按范围）"),
    retrieve=extend_schema(summary="支部党员大会及每名表决对象的结果"),
)
class MeetingViewSet(ScopedReadViewSet):
    serializer_class = MeetingSerializer
    selector = selectors.meeting_list


def register(router) -> None:
    router.register("party/files", FileViewSet, basename="party-file")
    router.register("party/assemblies", MeetingViewSet, basename="party-assembly")
    from . import api_assess

    api_assess.register(router)  # assessments, awards, meetings (party-assess)
