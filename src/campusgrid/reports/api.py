"""REST API of problem reports: scoped list and create, and one endpoint per
workflow action, all through the same services as the pages."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from campusgrid.core.api import (
    ObjectJSONParser,
    query_choice,
    validated,
)
from campusgrid.core.errors import ServiceError
from campusgrid.core.viewsets import ScopedReadViewSet
from campusgrid.grid import selectors as grid_selectors
from campusgrid.people import selectors as people_selectors
from campusgrid.people.models import AccessLog

from . import selectors, services
from .models import ReportEvent, Severity, State
from .workflow import BY_ACTION, HUMAN_TRANSITIONS


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
    accept_due = serializers.DateTimeField(allow_null=True)
    handle_due = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
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


class ReportViewSet(ScopedReadViewSet):
    """问题上报：列表按范围限定；?box=todo 待我处理，?box=mine 我的上报。"""

    serializer_class = ReportSerializer
    parser_classes = [ObjectJSONParser, MultiPartParser, FormParser]

    selector = selectors.report_list

    def get_selector(self):
        box = query_choice(self.request, "box", ["todo", "mine"])
        return {"todo": selectors.report_todo, "mine": selectors.report_mine}.get(box, selectors.report_list)

    def selector_kwargs(self, params):
        # Out-of-range values answer 400 instead of silently matching nothing.
        query_choice(self.request, "state", State.values, label="状态 state")
        query_choice(self.request, "level", range(1, 6), label="层级 level")
        query_choice(self.request, "overdue", ["1", "true", "0", "false"], label="overdue")
        if params.get("severity") and Severity.from_label(params["severity"]) is None:
            query_choice(
                self.request,
                "severity",
                Severity.values,
                label="严重程度 severity（或 一般、较重、重大、紧急）",
            )
        if params.get("box") in ("todo", "mine"):
            return {}
        return {"params": params}

    @extend_schema(
        parameters=[
            OpenApiParameter("box", str, enum=["todo", "mine"]),
            OpenApiParameter("category", str),
            OpenApiParameter("severity", str, enum=[*Severity.labels, *Severity.values]),
            OpenApiParameter("state", str, enum=State.values),
            OpenApiParameter("level", int, enum=[1, 2, 3, 4, 5]),
            OpenApiParameter("overdue", str, enum=["1", "true", "0", "false"]),
            OpenApiParameter("class", str),
            OpenApiParameter("college", int),
            OpenApiParameter("building", str),
            OpenApiParameter("student_no", str),
            OpenApiParameter("date_from", str, description="YYYY-MM-DD"),
            OpenApiParameter("date_to", str, description="YYYY-MM-DD"),
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
        data = validated(ReportCreateSerializer, request)
        severity = Severity.from_label(data["severity"])
        if severity is None:
            raise ServiceError("严重程度应为：一般、较重、重大或紧急", field="severity")
        students = people_selectors.students_by_numbers(user=request.user, numbers=data["students"])
        room = None
        if data.get("room"):
            room = grid_selectors.room_by_label(user=request.user, label=data["room"])
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
        body = ACTION_SERIALIZERS[name](data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        needs = {n.name for n in BY_ACTION[name].needs}
        assignee = None
        if "assignee" in needs and data.get("assignee"):
            assignee = people_selectors.login_by_number(number=data["assignee"], field="assignee")
        report = services.report_act(
            actor=request.user,
            report=report,
            action=name,
            note=data.get("note", ""),
            to_level=data.get("to_level") if "to_level" in needs else None,
            assignee=assignee,
            also_feedback="also_feedback" in needs and data.get("also_feedback", False),
            expected_version=data.get("version"),
        )
        return Response(ReportSerializer(report, context={"with_timeline": True}).data)


def _action_serializer(transition):
    """The body of one action endpoint, from the workflow's `needs` (as the page's form)."""
    fields = {}
    for need in transition.needs:
        text = need.label + ("（必填）" if need.required else "") + (f"：{need.help}" if need.help else "")
        if need.kind == "level":
            fields[need.name] = serializers.IntegerField(
                required=False, min_value=1, max_value=5, help_text=text
            )
        elif need.kind == "flag":
            # The API keeps one step unless asked (the page's box is checked by default).
            fields[need.name] = serializers.BooleanField(required=False, default=False, help_text=text)
        else:
            # Checked by the service, so that a missing note answers in Chinese with its field.
            fields[need.name] = serializers.CharField(
                required=False, allow_blank=True, default="", help_text=text
            )
    fields["version"] = serializers.IntegerField(
        required=False, help_text="读取时的版本号，防止覆盖他人的修改"
    )
    return type(f"Action{transition.action.title()}Serializer", (serializers.Serializer,), fields)


ACTION_SERIALIZERS = {t.action: _action_serializer(t) for t in HUMAN_TRANSITIONS}


def _make_action(name, label):
    def handler(self, request, pk=None):
        return self._act(request, pk, name)

    # The name must be set before @action: DRF maps the HTTP method to it.
    handler.__name__ = f"action_{name}"
    refused = inline_serializer(f"Refused{name.title()}", {"detail": serializers.CharField()})
    handler = action(detail=True, methods=["post"], url_path=name, url_name=name)(handler)
    # After @action, so that the schema names this action's own body (from its `needs`).
    return extend_schema(
        request=ACTION_SERIALIZERS[name],
        responses={200: ReportSerializer, 403: refused, 409: refused},
        summary=label,
    )(handler)


for _t in HUMAN_TRANSITIONS:
    setattr(ReportViewSet, f"action_{_t.action}", _make_action(_t.action, _t.label))


def register(router):
    router.register("reports", ReportViewSet, basename="report")
