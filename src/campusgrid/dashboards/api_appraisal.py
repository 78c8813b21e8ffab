"""REST API of the semester records under /api/v1/dashboards/…: the grid workers' appraisals
(list, detail, compute, score, publish, object, answer) and the class honours (list, ranking,
propose, decide) — the same selectors, services and scoping as the pages."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from campusgrid.core.api import (
    ClassFieldMixin,
    ObjectJSONParser,
    query_choice,
    validated,
)
from campusgrid.core.errors import NotAllowed, ServiceError
from campusgrid.core.viewsets import ScopedReadViewSet

from . import policy_appraisal as policy
from .appraisal import honours, selectors, services
from .models import AppraisalState, Grade, HonourKind, HonourState


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    enabled = serializers.BooleanField(help_text="false：该指标的来源尚未启用（未启用，不计分）")
    value = serializers.FloatField(allow_null=True)
    score = serializers.FloatField(allow_null=True, help_text="0–100；null 为不计分")
    detail = serializers.CharField()


class AppraisalSerializer(ClassFieldMixin, serializers.Serializer):
    id = serializers.IntegerField()
    semester = serializers.CharField(source="semester.name")
    student_no = serializers.CharField(source="student.student_no")
    name = serializers.CharField(source="student.name")
    class_name = serializers.CharField(source="school_class.name", default=None)
    college = serializers.CharField(source="college.name")
    post = serializers.CharField(source="kind")
    post_display = serializers.CharField(source="kind_label")
    place = serializers.CharField(source="place_label")
    figures = serializers.SerializerMethodField()
    computed_score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    counselor_score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    comment = serializers.CharField()
    total = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    grade = serializers.CharField()
    grade_display = serializers.CharField(source="get_grade_display")
    class_rank = serializers.IntegerField(allow_null=True)
    college_rank = serializers.IntegerField(allow_null=True)
    state = serializers.CharField()
    state_display = serializers.CharField(source="get_state_display")
    published_at = serializers.DateTimeField(allow_null=True)
    objection_until = serializers.DateTimeField(allow_null=True)
    objection_reason = serializers.CharField()
    objected_at = serializers.DateTimeField(allow_null=True)
    answer = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()

    @extend_schema_field(FigureSerializer(many=True))
    def get_figures(self, obj):
        rows = []
        for f in selectors.figures_of(obj):
            figure = f["figure"] or {}
            rows.append(
                {
                    "key": f["key"],
                    "label": f["label"],
                    "enabled": f["enabled"],
                    "value": figure.get("value"),
                    "score": figure.get("score"),
                    "detail": figure.get("detail", "未启用"),
                }
            )
        return rows


class RunIn(serializers.Serializer):
    semester = serializers.CharField(required=False, help_text="学期名称或 id，默认当前学期")
    class_ = serializers.CharField(required=False, help_text="班级名称；默认全部所带班级")

    def get_fields(self):
        fields = super().get_fields()
        fields["class"] = fields.pop("class_")
        return fields


class ScoreIn(serializers.Serializer):
    counselor_score = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    version = serializers.IntegerField(required=False)


class ObjectionIn(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class AnswerIn(serializers.Serializer):
    answer = serializers.CharField(max_length=2000)
    counselor_score = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False, allow_null=True
    )
    version = serializers.IntegerField(required=False)


class RunOut(serializers.Serializer):
    count = serializers.IntegerField()


def _run(request, service):
    """Compute or publish: the service over a semester and one class (or all the user's)."""
    data = validated(RunIn, request)
    semester = selectors.semester_choice(data.get("semester"))
    school_class = selectors.class_choice(user=request.user, value=data.get("class"))
    return Response({"count": service(actor=request.user, semester=semester, school_class=school_class)})


class AppraisalViewSet(ScopedReadViewSet):
    """网格员考核：?semester=（名称或 id）、?class=、?grade=、?state=。管理者看所带班级与学院，网格员只看本人已公示的考核。"""

    serializer_class = AppraisalSerializer
    parser_classes = [ObjectJSONParser]
    selector = selectors.appraisal_list

    def selector_kwargs(self, params):
        if self.action != "list":
            return {}
        semester = selectors.semester_choice(params.get("semester")) if params.get("semester") else None
        grade = query_choice(self.request, "grade", Grade.values, label="等级") or ""
        state = query_choice(self.request, "state", AppraisalState.values, label="状态") or ""
        return {
            "semester": semester,
            "school_class": selectors.class_choice(user=self.request.user, value=params.get("class")),
            "grade": grade,
            "state": state,
        }

    @extend_schema(
        parameters=[
            OpenApiParameter("semester", str),
            OpenApiParameter("class", str),
            OpenApiParameter("grade", str, enum=Grade.values),
            OpenApiParameter("state", str, enum=AppraisalState.values),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def _one(self, pk, action="view"):
        return selectors.appraisal_get(user=self.request.user, pk=pk, action=action)

    def _out(self, appraisal):
        return Response(
            AppraisalSerializer(selectors.appraisal_get(user=self.request.user, pk=appraisal.pk)).data
        )

    @extend_schema(request=RunIn, responses={200: RunOut}, summary="根据记录计算（或刷新）待公示的考核")
    @action(detail=False, methods=["post"], url_name="compute")
    def compute(self, request):
        return _run(request, services.appraisal_compute)

    @extend_schema(request=RunIn, responses={200: RunOut}, summary="公示已评分的考核")
    @action(detail=False, methods=["post"], url_name="publish")
    def publish(self, request):
        return _run(request, services.appraisal_publish)

    @extend_schema(request=ScoreIn, responses={200: AppraisalSerializer}, summary="辅导员评分与评语")
    @action(detail=True, methods=["post"], url_name="score")
    def score(self, request, pk=None):
        appraisal = self._one(pk, "change")
        data = validated(ScoreIn, request)
        services.appraisal_score(
            actor=request.user,
            appraisal=appraisal,
            score=data["counselor_score"],
            comment=data["comment"],
            expected_version=data.get("version"),
        )
        return self._out(appraisal)

    @extend_schema(
        request=ObjectionIn, responses={200: AppraisalSerializer}, summary="申诉（本人，公示后申诉期内一次）"
    )
    @action(detail=True, methods=["post"], url_path="object", url_name="object")
    def object_(self, request, pk=None):
        appraisal = self._one(pk)
        data = validated(ObjectionIn, request)
        services.appraisal_object(actor=request.user, appraisal=appraisal, reason=data["reason"])
        return self._out(appraisal)

    @extend_schema(
        request=AnswerIn, responses={200: AppraisalSerializer}, summary="答复申诉（可修改辅导员评分）"
    )
    @action(detail=True, methods=["post"], url_name="answer")
    def answer(self, request, pk=None):
        appraisal = self._one(pk, "change")
        data = validated(AnswerIn, request)
        services.appraisal_answer(
            actor=request.user,
            appraisal=appraisal,
            answer=data["answer"],
            score=data.get("counselor_score"),
            expected_version=data.get("version"),
        )
        return self._out(appraisal)


# --- class honours ---------------------------------------------------------------------------------


class ClassHonourSerializer(ClassFieldMixin, serializers.Serializer):
    id = serializers.IntegerField()
    semester = serializers.CharField(source="semester.name")
    class_name = serializers.CharField(source="school_class.name")
    college = serializers.CharField(source="college.name")
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
    state = serializers.CharField()
    state_display = serializers.CharField(source="get_state_display")
    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    rank = serializers.IntegerField(allow_null=True)
    criteria = serializers.JSONField()
    reason = serializers.CharField()
    proposed_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_note = serializers.CharField()
    version = serializers.IntegerField()


class ProposeIn(serializers.Serializer):
    semester = serializers.CharField(required=False, help_text="学期名称或 id，默认当前学期")
    class_ = serializers.CharField(help_text="班级名称")
    kind = serializers.ChoiceField(choices=HonourKind.values)
    reason = serializers.CharField(max_length=2000)

    def get_fields(self):
        fields = super().get_fields()
        fields["class"] = fields.pop("class_")
        return fields


class DecideIn(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    version = serializers.IntegerField(required=False)


class RankingRow(ClassFieldMixin, serializers.Serializer):
    class_name = serializers.CharField()
    rank = serializers.IntegerField(allow_null=True)
    score = serializers.FloatField(allow_null=True)
    figures = serializers.JSONField(help_text="每项标准：{value, score, detail}；null 为未启用")


class ClassHonourViewSet(ScopedReadViewSet):
    """班级荣誉（优良学风班、三杰班）：?semester=、?state=；POST 推荐（辅导员），POST {id}/decide/ 决定（学院领导）。"""

    serializer_class = ClassHonourSerializer
    parser_classes = [ObjectJSONParser]
    selector = honours.class_honour_list

    def selector_kwargs(self, params):
        if self.action != "list":
            return {}
        state = query_choice(self.request, "state", HonourState.values, label="状态") or ""
        semester = selectors.semester_choice(params.get("semester")) if params.get("semester") else None
        return {"semester": semester, "state": state}

    @extend_schema(
        parameters=[
            OpenApiParameter("semester", str),
            OpenApiParameter("state", str, enum=HonourState.values),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ProposeIn, responses={201: ClassHonourSerializer}, summary="推荐班级荣誉")
    def create(self, request):
        if not policy.may_see_honours(request.user):
            raise NotAllowed("只有辅导员、班主任或学院领导可以推荐班级荣誉")
        data = validated(ProposeIn, request)
        semester = selectors.semester_choice(data.get("semester"))
        school_class = selectors.class_choice(user=request.user, value=data["class"])
        honour = honours.class_honour_propose(
            actor=request.user,
            semester=semester,
            school_class=school_class,
            kind=data["kind"],
            reason=data["reason"],
        )
        honour = honours.class_honour_get(user=request.user, pk=honour.pk)
        return Response(ClassHonourSerializer(honour).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecideIn, responses={200: ClassHonourSerializer}, summary="学院决定")
    @action(detail=True, methods=["post"], url_name="decide")
    def decide(self, request, pk=None):
        honour = honours.class_honour_get(user=request.user, pk=pk)
        data = validated(DecideIn, request)
        honours.class_honour_decide(
            actor=request.user,
            honour=honour,
            approve=data["approve"],
            note=data["note"],
            expected_version=data.get("version"),
        )
        return Response(ClassHonourSerializer(honours.class_honour_get(user=request.user, pk=pk)).data)

    @extend_schema(
        parameters=[OpenApiParameter("semester", str), OpenApiParameter("college", str)],
        responses={200: RankingRow(many=True)},
        summary="班级评比排名",
    )
    @action(detail=False, methods=["get"], url_name="ranking", pagination_class=None)
    def ranking(self, request):
        from campusgrid.org.models import SchoolClass

        if not policy.may_see_honours(request.user):
            return Response([])
        semester = selectors.semester_choice(request.query_params.get("semester"))
        colleges = honours.ranking_colleges(user=request.user)
        name = (request.query_params.get("college") or "").strip()
        college = colleges.filter(name=name[:100]).first() if name else colleges.first()
        if college is None:
            raise ServiceError("在您的范围内找不到该学院", field="college")
        visible = set(
            SchoolClass.objects.visible_to(request.user).filter(college=college).values_list("pk", flat=True)
        )
        rows = honours.rank_classes(
            list(college.classes.select_related("college").order_by("name")), semester
        )
        return Response(
            [
                {
                    "class": r["school_class"].name,
                    "rank": r["rank"],
                    "score": r["score"],
                    "figures": r["figures"],
                }
                for r in rows
                if r["school_class"].pk in visible
            ]
        )


def register(router) -> None:
    router.register("dashboards/appraisals", AppraisalViewSet, basename="dashboards-appraisal")
    router.register("dashboards/class-honours", ClassHonourViewSet, basename="dashboards-class-honour")
