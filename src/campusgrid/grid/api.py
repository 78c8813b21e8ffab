"""REST API of the grids: posts, coverage, each student's chains."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from campusgrid.core.api import (
    ClassFieldMixin,
    query_choice,
    validated,
)
from campusgrid.core.errors import ServiceError
from campusgrid.core.viewsets import ScopedReadViewSet
from campusgrid.people import selectors as people_selectors

from . import coverage, selectors, services
from .models import POST_RULES, Post, PostKind


class PostSerializer(ClassFieldMixin, serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    student_no = serializers.CharField(source="student.student_no", default=None, read_only=True)
    staff_no = serializers.CharField(source="staff.staff_no", default=None, read_only=True)
    holder_name = serializers.CharField(read_only=True)
    place = serializers.CharField(source="place_label", read_only=True)
    room = serializers.SerializerMethodField()
    class_ = serializers.CharField(source="school_class.name", default=None, read_only=True)
    college = serializers.CharField(source="college.name", default=None, read_only=True)

    class Meta:
        model = Post
        fields = [
            "id",
            "kind",
            "kind_display",
            "student_no",
            "staff_no",
            "holder_name",
            "place",
            "room",
            "class_",
            "college",
            "start_date",
            "end_date",
            "end_reason",
        ]

    def get_room(self, obj) -> str | None:
        return obj.room.label if obj.room_id else None


class AppointSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PostKind.choices)
    holder = serializers.CharField(help_text="学号或工号")
    room = serializers.CharField(required=False, help_text="楼栋/寝室号")
    class_name = serializers.CharField(required=False, help_text="班级名称（字段名 class）")
    college = serializers.CharField(required=False)
    branch = serializers.IntegerField(required=False)
    small_grid = serializers.IntegerField(required=False)
    start_date = serializers.DateField(required=False)

    def to_internal_value(self, data):
        data = data.copy() if hasattr(data, "copy") else dict(data)
        if "class" in data and "class_name" not in data:
            data["class_name"] = data["class"]
        return super().to_internal_value(data)


class EndPostSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)


class PostViewSet(ScopedReadViewSet):
    """网格职务：列表按范围限定；POST 任命（单人职务自动结束现任者任期）；/end/ 结束任期。"""

    serializer_class = PostSerializer

    selector = selectors.post_list

    def selector_kwargs(self, params):
        query_choice(self.request, "kind", PostKind.values, label="职务类别 kind")  # 400 in Chinese
        return {"filters": params}

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=PostKind.values),
            OpenApiParameter("holder", str, description="学号或工号"),
            OpenApiParameter("history", str, enum=["1"], description="1：含已结束的任期"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=AppointSerializer, responses={201: PostSerializer}, summary="任命网格员")
    def create(self, request):
        data = validated(AppointSerializer, request)
        kind = data["kind"]
        rule = POST_RULES[kind]
        place = self._place(request.user, rule["place"], data)
        holder = selectors.holder_get(user=request.user, number=data["holder"], holder_kind=rule["holder"])
        post = services.post_appoint(
            actor=request.user, kind=kind, holder=holder, place=place, start=data.get("start_date")
        )
        return Response(PostSerializer(post).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=EndPostSerializer,
        responses={200: PostSerializer},
        summary="结束任期",
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        post = self.get_object()
        data = validated(EndPostSerializer, request)
        post = services.post_end(actor=request.user, post=post, reason=data["reason"])
        return Response(PostSerializer(post).data)

    @staticmethod
    def _place(user, field, data):
        keys = {"room": "room", "school_class": "class_name", "college": "college"}
        if field is None:
            return None  # the service refuses those who may not appoint the office
        return selectors.place_get(user=user, field=field, value=data.get(keys.get(field, field)))


class CoverageView(APIView):
    """网格覆盖审计（按调用者范围）：students_total, students_fully_covered, gaps。"""

    @extend_schema(
        summary="网格覆盖审计",
        parameters=[OpenApiParameter("kind", str, description="只返回某一类漏洞")],
        responses=inline_serializer(
            "Coverage",
            {
                "students_total": serializers.IntegerField(),
                "students_fully_covered": serializers.IntegerField(),
                "coverage_rate": serializers.FloatField(),
                "gaps": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request):
        data = coverage.compute_cached(request.user).as_json()
        kind = request.query_params.get("kind")
        if kind:
            data["gaps"] = [g for g in data["gaps"] if g["kind"] == kind]
        return Response(data)


class ChainView(APIView):
    """一名学生的两条网格链：舍长 → 班长/团支书 → 辅导员/班主任 → 学院领导；积极分子 → 网格党员 → 支部书记。"""

    @extend_schema(
        summary="学生的网格联系人",
        responses=inline_serializer(
            "Chain",
            {
                "student_no": serializers.CharField(),
                "management": serializers.ListField(child=serializers.DictField()),
                "party": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request, student_no):
        student = people_selectors.student_get(user=request.user, student_no=student_no)
        chains = selectors.chain_as_json(selectors.student_chains(student))
        return Response({"student_no": student.student_no, **chains})


class CandidatesView(APIView):
    """空缺职务的推荐人选（党员 → 入党积极分子 → 现任学生干部）。"""

    @extend_schema(
        summary="空缺职务推荐人选",
        responses=inline_serializer(
            "Candidate",
            {
                "student_no": serializers.CharField(),
                "name": serializers.CharField(),
                "reason": serializers.CharField(),
                "political_status": serializers.CharField(),
            },
            many=True,
        ),
        parameters=[
            OpenApiParameter("kind", str, required=True),
            OpenApiParameter("room", str),
            OpenApiParameter("class", str),
        ],
    )
    def get(self, request):
        kind = request.query_params.get("kind", "")
        if kind not in (PostKind.DORM_HEAD, PostKind.MONITOR, PostKind.LEAGUE_SECRETARY, PostKind.ACTIVIST):
            raise ServiceError("kind 须为 dorm_head、monitor、league_secretary 或 activist", field="kind")
        field = POST_RULES[kind]["place"]
        place = PostViewSet()._place(
            request.user,
            field,
            {
                "room": request.query_params.get("room", ""),
                "class_name": request.query_params.get("class", ""),
            },
        )
        result = selectors.vacancy_candidates(kind=kind, place=place)
        return Response(
            [
                {
                    "student_no": s.student_no,
                    "name": s.name,
                    "reason": s.reason,
                    "political_status": s.get_political_status_display(),
                }
                for s in result
            ]
        )


def register(router):
    router.register("posts", PostViewSet, basename="post")
