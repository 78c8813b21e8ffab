"""REST API of problem reports: scoped list and create, and one endpoint per
workflow action, all through the same services as the pages."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from campusgrid.core.api import ScopedViewSetMixin
from campusgrid.core.errors import ServiceError
from campusgrid.org.models import Room
from campusgrid.people.models import AccessLog, Student

from . import selectors, services
from .models import Category, ReportEvent, Severity
from .workflow import TRANSITIONS


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_name")

    class Meta:
        model = ReportEvent
        fields = ["at", "actor", "action", "from_state", "to_state", "from_level", "to_level", "note"]


class ReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    category = serializers.CharField(source="category.name")
    severity = serializers.CharField(source="get_severity_display")
    state = serializers.CharField()
    state_display = serializers.CharField(source="get_state_display")
    level = serializers.IntegerField()
    urgent = serializers.BooleanField()
    major_event = serializers.BooleanField()
    handler = serializers.SerializerMethodField()
    reporter = serializers.CharField(source="reporter_name")
    students = serializers.SerializerMethodField()
    room = serializers.SerializerMethodField()
    college = serializers.CharField(source="college.name")
    description = serializers.CharField()
    outcome = serializers.CharField()
    feedback = serializers.CharField()
    created_at = serializers.DateTimeField()
    accept_due = serializers.DateTimeField()
    handle_due = serializers.DateTimeField()
    closed_at = serializers.DateTimeField()
    version = serializers.IntegerField()
    timeline = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()

    def get_handler(self, obj) -> str | None:
        if not obj.handler_id:
            return None
        from campusgrid.core.excel import person_name

        return person_name(obj.handler)

    def get_students(self, obj) -> list[str]:
        return [s.student_no for s in obj.students.all()]

    def get_room(self, obj) -> str | None:
        return obj.room.label if obj.room_id else None

    def get_timeline(self, obj) -> list[dict]:
        if not self.context.get("with_timeline"):
            return []
        return EventSerializer(obj.events.all(), many=True).data

    def get_photos(self, obj) -> list[str]:
        if not self.context.get("with_timeline"):
            return []
        from django.urls import reverse

        return [reverse("reports:photo", args=[obj.pk, p.pk]) for p in obj.photos.all()]


class ReportCreateSerializer(serializers.Serializer):
    category = serializers.CharField(help_text="类别名称，如 安全隐患")
    severity = serializers.CharField(help_text="一般、较重、重大、紧急")
    students = serializers.ListField(
        child=serializers.CharField(), required=False, default=list, help_text="学号列表"
    )
    room = serializers.CharField(required=False, allow_blank=True, help_text="楼栋/寝室号")
    description = serializers.CharField()
    to_level = serializers.IntegerField(required=False, min_value=1, max_value=5)


class ActionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    to_level = serializers.IntegerField(required=False, min_value=1, max_value=5)
    assignee = serializers.CharField(required=False, help_text="transfer：同级网格员的学号或工号")
    version = serializers.IntegerField(required=False, help_text="读取时的版本号，防止覆盖他人的修改")


class ReportViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """问题上报：列表按范围限定；?box=todo 待我处理，?box=mine 我的上报。"""

    serializer_class = ReportSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    selector = selectors.report_list

    def get_selector(self):
        box = self.request.query_params.get("box")
        return {"todo": selectors.report_todo, "mine": selectors.report_mine}.get(box, selectors.report_list)

    def selector_kwargs(self, params):
        if params.get("box") in ("todo", "mine"):
            return {}
        filters = {
            key: params.get(key)
            for key in (
                "severity",
                "state",
                "level",
                "overdue",
                "school_class",
                "building",
                "student_no",
                "date_from",
                "date_to",
            )
            if params.get(key)
        }
        if params.get("severity"):
            filters["severity"] = Severity.from_label(params["severity"]) or params["severity"]
        if params.get("category"):
            category = Category.objects.filter(name=params["category"]).first()
            filters["category"] = category.pk if category else -1
        if params.get("class"):
            filters["school_class"] = params["class"]
        return {"filters": filters}

    @extend_schema(
        parameters=[
            OpenApiParameter("box", str, enum=["todo", "mine"]),
            OpenApiParameter("category", str),
            OpenApiParameter("severity", str),
            OpenApiParameter("state", str),
            OpenApiParameter("overdue", bool),
            OpenApiParameter("class", str),
            OpenApiParameter("building", str),
        ]
    )
    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        page = getattr(self.paginator, "page", None)
        selectors.log_sensitive(
            request, page.object_list if page is not None else [], AccessLog.Action.API_READ
        )
        return response

    def retrieve(self, request, pk=None):
        report = selectors.report_get(user=request.user, pk=pk)
        selectors.log_sensitive(request, [report], AccessLog.Action.API_READ)
        data = ReportSerializer(report, context={"with_timeline": True}).data
        data["actions"] = [t.action for t in services.allowed_actions(request.user, report)]
        return Response(data)

    @extend_schema(request=ReportCreateSerializer, responses={201: ReportSerializer}, summary="上报问题")
    def create(self, request):
        body = ReportCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        severity = Severity.from_label(data["severity"])
        if severity is None:
            raise ServiceError("严重程度应为：一般、较重、重大或紧急", field="severity")
        students = list(Student.objects.visible_to(request.user).filter(student_no__in=data["students"]))
        missing = set(data["students"]) - {s.student_no for s in students}
        if missing:
            raise ServiceError(f"在您的网格范围内找不到学号：{'、'.join(sorted(missing))}", field="students")
        room = None
        if data.get("room"):
            room = Room.objects.visible_to(request.user).by_label(data["room"]).first()
            if room is None:
                raise ServiceError(f"在您的网格范围内找不到寝室“{data['room']}”", field="room")
        report = services.report_create(
            actor=request.user,
            category=data["category"],
            severity=severity,
            description=data["description"],
            students=students,
            room=room,
            to_level=data.get("to_level"),
            photos=request.FILES.getlist("photos"),
        )
        return Response(
            ReportSerializer(report, context={"with_timeline": True}).data, status=status.HTTP_201_CREATED
        )

    def _act(self, request, pk, name):
        report = selectors.report_get(user=request.user, pk=pk)
        body = ActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        assignee = None
        if data.get("assignee"):
            assignee = selectors.user_by_number(data["assignee"])
            if assignee is None:
                raise ServiceError("找不到该学号或工号", field="assignee")
        report = services.report_act(
            actor=request.user,
            report=report,
            action=name,
            note=data.get("note", ""),
            to_level=data.get("to_level"),
            assignee=assignee,
            expected_version=data.get("version"),
        )
        return Response(ReportSerializer(report, context={"with_timeline": True}).data)


def _make_action(name, label):
    def handler(self, request, pk=None):
        return self._act(request, pk, name)

    # The name must be set before @action: DRF maps the HTTP method to it.
    handler.__name__ = f"action_{name}"
    refused = inline_serializer(f"Refused{name.title()}", {"detail": serializers.CharField()})
    handler = extend_schema(
        request=ActionSerializer, responses={200: ReportSerializer, 403: refused, 409: refused}, summary=label
    )(handler)
    return action(detail=True, methods=["post"], url_path=name, url_name=name)(handler)


for _t in TRANSITIONS:
    setattr(ReportViewSet, f"action_{_t.action}", _make_action(_t.action, _t.label))


def register(router):
    router.register("reports", ReportViewSet, basename="report")
