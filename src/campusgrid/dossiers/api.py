"""REST API of the dossiers app: key students (by 学号), talk records, screening,
early-warning proposals, access grants and the access log.

Scoped by the same selectors as the pages: an out-of-scope dossier is a 404.
Every response that reveals a student's sensitive data writes one access-log row
per student (action "接口读取"); writes go through the services."""

from __future__ import annotations

import tempfile
from pathlib import Path

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from campusgrid.core.api import ClassFieldMixin, ObjectJSONParser, ScopedViewSetMixin
from campusgrid.core.errors import NotAllowed, ServiceError
from campusgrid.core.scoping import CHANGE
from campusgrid.core.uploads import import_upload_error
from campusgrid.people import sensitive
from campusgrid.people.models import AccessLog

from . import imports, selectors, services
from .models import KeyStudent, KeyStudentChange, ScreeningResult, TalkRecord, WarningProposal
from .policy import is_college_leader

API_READ = AccessLog.Action.API_READ


def _log(request, item: str, students) -> None:
    unique = list({s.pk: s for s in students}.values())
    if unique:
        sensitive.log_access(request=request, item=item, students=unique, action=API_READ)


class LoggedReadMixin:
    """List and retrieve that log the students they reveal (one row each)."""

    log_item = ""

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        _log(request, self.log_item, [row.student for row in rows])
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        _log(request, self.log_item, [obj.student])
        return Response(
            self.get_serializer(obj, context={**self.get_serializer_context(), "detail": True}).data
        )


class StudentFields(ClassFieldMixin, serializers.Serializer):
    student_no = serializers.CharField(source="student.student_no", read_only=True)
    name = serializers.CharField(source="student.name", read_only=True)
    class_name = serializers.CharField(source="student.school_class.name", default=None, read_only=True)
    college = serializers.CharField(source="student.college.name", read_only=True)


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


# --- talk records ----------------------------------------------------------------------------


class TalkRecordSerializer(StudentFields, serializers.ModelSerializer):
    class Meta:
        model = TalkRecord
        fields = [
            "id",
            "student_no",
            "name",
            "talked_on",
            "place",
            "participants",
            "summary",
            "next_step",
            "recorded_by_name",
            "created_at",
        ]


class TalkRecordWriteSerializer(serializers.Serializer):
    student_no = serializers.CharField()
    talked_on = serializers.DateField()
    place = serializers.CharField()
    participants = serializers.CharField(required=False, allow_blank=True, default="")
    summary = serializers.CharField()
    next_step = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_view(
    list=extend_schema(summary="谈心谈话记录", parameters=[OpenApiParameter("student_no", str)]),
    retrieve=extend_schema(summary="一条谈心谈话记录"),
)
class TalkRecordViewSet(
    ScopedViewSetMixin,
    LoggedReadMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = TalkRecordSerializer
    log_item = "talk_record"

    selector = selectors.talk_record_list

    def selector_kwargs(self, params):
        return {"student_no": params.get("student_no", "")}

    def get_object(self):
        return selectors.talk_record_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        request=TalkRecordWriteSerializer, responses={201: TalkRecordSerializer}, summary="记录谈心谈话"
    )
    def create(self, request):
        body = TalkRecordWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        student = selectors.dossier_student_get(
            user=request.user, student_no=data.pop("student_no"), action=CHANGE
        )
        record = services.talk_record_create(actor=request.user, student=student, **data)
        record = selectors.talk_record_get(user=request.user, pk=record.pk)
        return Response(TalkRecordSerializer(record).data, status=status.HTTP_201_CREATED)


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
        from .policy import is_manager

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


# --- early warning ---------------------------------------------------------------------------


class ProposalSerializer(StudentFields, serializers.ModelSerializer):
    rule = serializers.CharField(source="rule.key")
    rule_name = serializers.CharField(source="rule.name")
    state_display = serializers.CharField(source="get_state_display")
    suggested_level = serializers.CharField(source="get_suggested_level_display")
    decided_by = serializers.SerializerMethodField()

    class Meta:
        model = WarningProposal
        fields = [
            "id",
            "student_no",
            "name",
            "class_name",
            "rule",
            "rule_name",
            "explanation",
            "records",
            "suggested_level",
            "state",
            "state_display",
            "created_at",
            "decided_at",
            "decided_by",
            "decision_note",
        ]

    def get_decided_by(self, obj) -> str | None:
        if not obj.decided_by_id:
            return None
        from campusgrid.core.excel import person_name

        return person_name(obj.decided_by)


class DecisionSerializer(serializers.Serializer):
    reasons = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="采纳时的原因（默认按规则建议）"
    )
    risk_level = serializers.CharField(required=False, help_text="采纳时的风险等级（默认按建议）")
    note = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_view(
    list=extend_schema(
        summary="重点学生预警",
        parameters=[
            OpenApiParameter("state", str, enum=["open", "accepted", "dismissed", "superseded", "all"]),
            OpenApiParameter("rule", str),
        ],
    ),
    retrieve=extend_schema(summary="一条预警及其依据"),
)
class WarningViewSet(
    ScopedViewSetMixin,
    LoggedReadMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ProposalSerializer
    log_item = "warning"

    selector = selectors.proposal_list

    def selector_kwargs(self, params):
        return {"state": params.get("state") or "open", "rule": params.get("rule", "")}

    def get_object(self):
        return selectors.proposal_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        request=DecisionSerializer, responses={200: KeyStudentSerializer}, summary="采纳预警（列入重点学生）"
    )
    @action(detail=True, methods=["post"], url_path="accept", url_name="accept")
    def accept(self, request, pk=None):
        proposal = self.get_object()
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        key_file = services.proposal_accept(
            actor=request.user,
            proposal=proposal,
            reasons=data.get("reasons") or None,
            risk_level=data.get("risk_level") or None,
            note=data.get("note", ""),
        )
        key_file = selectors.key_student_get(user=request.user, student_no=key_file.student.student_no)
        return Response(KeyStudentSerializer(key_file, context={"detail": True}).data)

    @extend_schema(
        request=DecisionSerializer,
        responses={200: ProposalSerializer},
        summary="忽略预警（同样的记录不再提出）",
    )
    @action(detail=True, methods=["post"], url_path="dismiss", url_name="dismiss")
    def dismiss(self, request, pk=None):
        proposal = self.get_object()
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.proposal_dismiss(
            actor=request.user, proposal=proposal, note=body.validated_data.get("note", "")
        )
        return Response(ProposalSerializer(selectors.proposal_get(user=request.user, pk=pk)).data)


# --- grants and the access log ---------------------------------------------------------------


class GrantSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    staff_no = serializers.CharField(source="user.staff.staff_no", default=None)
    staff_name = serializers.CharField(source="user.staff.name", default=None)
    student_no = serializers.CharField(source="student.student_no")
    student_name = serializers.CharField(source="student.name")
    until = serializers.DateField()
    reason = serializers.CharField()
    granted_by = serializers.CharField(source="granted_by.staff.name", default=None)
    granted_at = serializers.DateTimeField()


class GrantWriteSerializer(serializers.Serializer):
    staff_no = serializers.CharField(help_text="被授权人工号")
    student_no = serializers.CharField()
    until = serializers.DateField()
    reason = serializers.CharField()


@extend_schema_view(list=extend_schema(summary="敏感信息授权（学院领导、学工部）"))
class AccessGrantViewSet(ScopedViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = GrantSerializer

    selector = selectors.grant_list

    def selector_kwargs(self, params):
        if not is_college_leader(self.request.user):
            raise NotAllowed("只有学院领导和学工部可以管理敏感信息授权")
        return {"current_only": params.get("all") != "1"}

    @extend_schema(
        request=GrantWriteSerializer, responses={201: GrantSerializer}, summary="授权查看某学生的敏感信息"
    )
    def create(self, request):
        if not is_college_leader(request.user):
            raise NotAllowed("只有学院领导和学工部可以授权")
        body = GrantWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        student = selectors.grantable_student(user=request.user, student_no=data["student_no"])
        if student is None:
            raise ServiceError("在您的管理范围内找不到该学号", field="student_no")
        grantee = selectors.staff_by_number(data["staff_no"])
        if grantee is None:
            raise ServiceError("找不到该工号", field="staff_no")
        grant = services.access_grant_create(
            actor=request.user, grantee=grantee, student=student, until=data["until"], reason=data["reason"]
        )
        return Response(GrantSerializer(selectors.grant_get(user=request.user, pk=grant.pk)).data, status=201)

    @extend_schema(request=None, responses={200: GrantSerializer}, summary="撤销授权")
    @action(detail=True, methods=["post"], url_path="revoke", url_name="revoke")
    def revoke(self, request, pk=None):
        grant = selectors.grant_get(user=request.user, pk=pk)
        services.access_grant_revoke(actor=request.user, grant=grant)
        return Response(GrantSerializer(selectors.grant_get(user=request.user, pk=pk)).data)


class AccessLogSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_name")
    actor_username = serializers.SerializerMethodField()
    action_display = serializers.CharField(source="get_action_display")

    class Meta:
        model = AccessLog
        fields = [
            "id",
            "at",
            "actor",
            "actor_username",
            "action",
            "action_display",
            "item",
            "student_no",
            "path",
            "ip",
            "purpose",
        ]
        read_only_fields = fields

    def get_actor_username(self, obj) -> str | None:
        return self.context.get("usernames", {}).get(obj.actor_id)


@extend_schema_view(
    list=extend_schema(
        summary="敏感信息访问日志（只读）",
        parameters=[
            OpenApiParameter("actor", str, description="访问人用户名（学号/工号）或姓名"),
            OpenApiParameter("student_no", str),
            OpenApiParameter("action", str, description="view/export/api_read 或 查看/导出/接口读取"),
            OpenApiParameter("item", str),
            OpenApiParameter("at", str, description="日期 YYYY-MM-DD"),
            OpenApiParameter("at_after", str, description="起始日期或时间（含）"),
            OpenApiParameter("at_before", str, description="截止日期或时间（含）"),
        ],
    )
)
class AccessLogViewSet(ScopedViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Read only: the log cannot be created, changed or deleted through the API."""

    serializer_class = AccessLogSerializer

    selector = selectors.access_log_list

    def selector_kwargs(self, params):
        if not is_college_leader(self.request.user):
            raise NotAllowed("只有学院领导和学工部可以查询访问日志")
        keys = ("actor", "student_no", "action", "item", "at", "at_after", "at_before")
        return {"filters": {k: params.get(k) for k in keys}}

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        usernames = selectors.usernames({row.actor_id for row in page if row.actor_id})
        data = AccessLogSerializer(page, many=True, context={"usernames": usernames}).data
        return self.get_paginated_response(data)


def register(router):
    router.register("key-students", KeyStudentViewSet, basename="key-student")
    router.register("talk-records", TalkRecordViewSet, basename="talk-record")
    router.register("screening-results", ScreeningResultViewSet, basename="screening-result")
    router.register("warnings", WarningViewSet, basename="warning")
    router.register("access-grants", AccessGrantViewSet, basename="access-grant")
    router.register("access-log", AccessLogViewSet, basename="access-log")
