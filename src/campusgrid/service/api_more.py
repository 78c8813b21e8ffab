"""REST API of pairings, job posts, 舆情 reports and items, and visits under /api/v1/service/…,
scoped exactly like the pages (the same selectors and services, core.api's scoped base)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from campusgrid.core.api import validated
from campusgrid.core.errors import NotAllowed, ServiceError
from campusgrid.core.scoping import CHANGE
from campusgrid.core.viewsets import ScopedReadViewSet
from campusgrid.org.models import Major, SchoolClass
from campusgrid.people import sensitive

from . import policy_more as policy
from . import selectors, services
from .models import Cadence, ContactWay, ItemKind, ItemSeverity, Outcome, Source, VisitKind

# --- serializers ---------------------------------------------------------------------------------


class StudentRef(serializers.Serializer):
    student_no = serializers.CharField()
    name = serializers.CharField()


class ContactSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    contacted_on = serializers.DateField()
    way = serializers.CharField()
    way_display = serializers.CharField(source="get_way_display")
    content = serializers.CharField()
    next_step = serializers.CharField()
    recorded_by = serializers.CharField(source="recorded_by_name")


class PairingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    student = StudentRef()
    class_name = serializers.CharField(source="student.school_class.name", default="")
    mentor = serializers.CharField(source="mentor_name")
    goal = serializers.CharField()
    started_on = serializers.DateField()
    last_contact_on = serializers.DateField()
    quiet = serializers.BooleanField(source="is_quiet")
    outcome = serializers.CharField()
    outcome_display = serializers.CharField(source="get_outcome_display")
    outcome_on = serializers.DateField(allow_null=True)
    outcome_note = serializers.CharField()
    version = serializers.IntegerField()

    def get_fields(self):
        fields = super().get_fields()
        fields["class"] = fields.pop("class_name")
        return fields


class PairingDetailSerializer(PairingSerializer):
    contacts = ContactSerializer(many=True, source="contacts.all")


class ContactIn(serializers.Serializer):
    contacted_on = serializers.DateField()
    way = serializers.ChoiceField(choices=ContactWay.values)
    content = serializers.CharField(max_length=2000)
    next_step = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class OutcomeIn(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.values)
    outcome_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False)


class JobPostSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    college = serializers.CharField(source="college.name")
    company = serializers.CharField()
    position = serializers.CharField()
    majors = serializers.SerializerMethodField()
    grade_year = serializers.IntegerField()
    deadline = serializers.DateField()
    link = serializers.CharField()
    note = serializers.CharField()

    def get_majors(self, obj) -> list[str]:
        return [m.name for m in obj.majors.all()]


class JobPostIn(serializers.Serializer):
    company = serializers.CharField(max_length=100)
    position = serializers.CharField(max_length=100)
    majors = serializers.ListField(child=serializers.CharField(max_length=100), min_length=1, max_length=50)
    deadline = serializers.DateField()
    link = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class OpinionReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reporter = serializers.CharField(source="reporter_name")
    cadence = serializers.CharField()
    period_start = serializers.DateField()
    period = serializers.CharField(source="period_label")
    nothing_to_report = serializers.BooleanField()
    items = serializers.IntegerField(source="item_count")
    submitted_at = serializers.DateTimeField()


class OpinionItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    report = serializers.IntegerField(source="report_id")
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
    source = serializers.CharField()
    platform = serializers.CharField()
    summary = serializers.CharField()
    severity = serializers.CharField()
    students = StudentRef(many=True, source="students.all")
    problem = serializers.IntegerField(source="problem_id", allow_null=True)
    created_at = serializers.DateTimeField()


class OpinionItemIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ItemKind.values)
    source = serializers.ChoiceField(choices=Source.values)
    platform = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    summary = serializers.CharField(max_length=2000)
    severity = serializers.ChoiceField(choices=ItemSeverity.values, default=ItemSeverity.NORMAL)
    students = serializers.ListField(
        child=serializers.CharField(max_length=32), required=False, default=list, max_length=50
    )


class NothingIn(serializers.Serializer):
    nothing_to_report = serializers.BooleanField(help_text="true：本期无异常（零报告）")


class VisitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    visited_on = serializers.DateField()
    college = serializers.CharField(source="college.name")
    rooms = serializers.SerializerMethodField()
    class_name = serializers.CharField(source="school_class.name", default=None)
    recorded_by = serializers.CharField(source="recorded_by_name")
    companions = serializers.CharField()
    seen = serializers.CharField()
    follow_ups = serializers.SerializerMethodField()

    def get_rooms(self, obj) -> list[str]:
        return [r.label for r in obj.rooms.all()]

    def get_follow_ups(self, obj) -> list[str]:
        return [f.text for f in obj.follow_ups.all()]

    def get_fields(self):
        fields = super().get_fields()
        fields["class"] = fields.pop("class_name")
        return fields


class VisitIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=VisitKind.values)
    visited_on = serializers.DateField()
    rooms = serializers.ListField(
        child=serializers.CharField(max_length=80), required=False, default=list, max_length=40
    )
    class_name = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    companions = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    seen = serializers.CharField(max_length=4000)
    follow_ups = serializers.ListField(
        child=serializers.CharField(max_length=255), required=False, default=list, max_length=20
    )


# --- viewsets ------------------------------------------------------------------------------------


class _Logged:
    """Lists and details of records naming students' problems write the access log."""

    sensitive_item = ""

    def students_of(self, obj) -> list:
        return []

    def _log(self, objects):
        user = self.request.user
        students = [s for o in objects for s in self.students_of(o) if s.user_id != user.pk]
        if students:
            sensitive.log_access(request=self.request, item=self.sensitive_item, students=students)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        self._log(rows)
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        self._log([obj])
        return Response(self.get_serializer(obj).data)


class PairingViewSet(_Logged, ScopedReadViewSet):
    """结对帮扶：?outcome=、?quiet=on、?student_no=。POST {id}/contacts/ 记录联系，{id}/outcome/ 登记去向。"""

    selector = selectors.pairing_list
    sensitive_item = "就业困难帮扶"

    def selector_kwargs(self, params):
        if self.action == "list":
            return {"filters": params}
        return {"with_contacts": True}

    def get_serializer_class(self):
        return PairingSerializer if self.action == "list" else PairingDetailSerializer

    def students_of(self, obj):
        return [obj.student]

    @extend_schema(request=ContactIn, responses={201: PairingDetailSerializer}, summary="记录联系")
    @action(detail=True, methods=["post"])
    def contacts(self, request, pk=None):
        pairing = selectors.pairing_get(user=request.user, pk=pk)
        data = validated(ContactIn, request)
        services.pairing_contact_add(actor=request.user, pairing=pairing, **data)
        pairing = selectors.pairing_get(user=request.user, pk=pk)
        return Response(PairingDetailSerializer(pairing).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=OutcomeIn, responses={200: PairingDetailSerializer}, summary="登记去向")
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        pairing = selectors.pairing_get(user=request.user, pk=pk)
        data = validated(OutcomeIn, request)
        services.pairing_outcome_set(
            actor=request.user,
            pairing=pairing,
            outcome=data["outcome"],
            outcome_on=data["outcome_on"],
            note=data["note"],
            expected_version=data.get("version"),
        )
        return Response(PairingDetailSerializer(selectors.pairing_get(user=request.user, pk=pk)).data)


class JobPostViewSet(ScopedReadViewSet):
    """招聘信息（未截止）。学生只看到本专业毕业年级的。POST 发布（majors 为专业名称）。"""

    serializer_class = JobPostSerializer
    selector = selectors.job_post_list

    @extend_schema(request=JobPostIn, responses={201: JobPostSerializer}, summary="发布招聘信息")
    def create(self, request):
        data = dict(validated(JobPostIn, request))
        if not policy.may_manage_pairings(request.user):
            raise NotAllowed("只有辅导员、学院领导或学工部可以发布招聘信息")
        classes = SchoolClass.objects.visible_to(request.user, CHANGE)
        names = data.pop("majors")
        majors = list(Major.objects.filter(classes__in=classes, name__in=names).distinct())
        unknown = sorted(set(names) - {m.name for m in majors})
        if unknown:
            raise ServiceError(f"不是您所带班级的专业：{'、'.join(unknown)}", field="majors")
        post = services.job_post_create(actor=request.user, college=majors[0].college, majors=majors, **data)
        post = selectors.job_post_list(user=request.user, open_only=False).get(pk=post.pk)
        return Response(JobPostSerializer(post).data, status=status.HTTP_201_CREATED)


class OpinionReportViewSet(ScopedReadViewSet):
    """舆情报告：?cadence=weekly|daily、?period_start=YYYY-MM-DD。POST {"nothing_to_report": true} 一键报送本期无异常。"""

    serializer_class = OpinionReportSerializer
    selector = selectors.opinion_report_list

    def selector_kwargs(self, params):
        from campusgrid.core.api import query_choice

        kwargs = {"cadence": query_choice(self.request, "cadence", Cadence.values, label="周期")}
        start = params.get("period_start")
        if start:
            import datetime as dt

            try:
                kwargs["start"] = dt.date.fromisoformat(start)
            except ValueError:
                raise serializers.ValidationError({"period_start": ["日期格式应为 YYYY-MM-DD。"]})
        return kwargs

    @extend_schema(
        request=NothingIn, responses={201: OpinionReportSerializer}, summary="本期无异常（零报告）"
    )
    def create(self, request):
        data = validated(NothingIn, request)
        if not data["nothing_to_report"]:
            raise ServiceError(
                "有情况请逐条报送舆情信息（POST /api/v1/service/opinion-items/）", field="nothing_to_report"
            )
        report = services.opinion_report_nothing(actor=request.user)
        report = selectors.opinion_report_list(user=request.user).get(pk=report.pk)
        return Response(OpinionReportSerializer(report).data, status=status.HTTP_201_CREATED)


class OpinionItemViewSet(_Logged, ScopedReadViewSet):
    """舆情信息（涉及学生的仅报送人和三级及以上可见）。POST 报送一条；POST {id}/escalate/ 转为问题上报。"""

    serializer_class = OpinionItemSerializer
    selector = selectors.opinion_item_list
    sensitive_item = "舆情信息（涉及学生）"

    def students_of(self, obj):
        return list(obj.students.all()) if obj.names_students else []

    @extend_schema(request=OpinionItemIn, responses={201: OpinionItemSerializer}, summary="报送舆情信息")
    def create(self, request):
        data = dict(validated(OpinionItemIn, request))
        item = services.opinion_item_add(actor=request.user, student_numbers=data.pop("students"), **data)
        item = selectors.opinion_item_get(user=request.user, pk=item.pk)
        return Response(OpinionItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={201: OpinionItemSerializer}, summary="转为问题上报（舆情）")
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        item = selectors.opinion_item_get(user=request.user, pk=pk)
        services.opinion_item_escalate(actor=request.user, item=item)
        item = selectors.opinion_item_get(user=request.user, pk=pk)
        return Response(OpinionItemSerializer(item).data, status=status.HTTP_201_CREATED)


class VisitViewSet(ScopedReadViewSet):
    """走访记录：?kind=dorm|classroom、?date_from=、?date_to=。POST 登记走访（rooms 为 楼栋/寝室号）。"""

    serializer_class = VisitSerializer
    selector = selectors.visit_list

    def selector_kwargs(self, params):
        return {"filters": params} if self.action == "list" else {}

    @extend_schema(request=VisitIn, responses={201: VisitSerializer}, summary="登记走访")
    def create(self, request):
        from campusgrid.grid.selectors import room_by_label

        data = validated(VisitIn, request)
        if not policy.may_visit(request.user):
            raise NotAllowed("只有辅导员、班主任、学院领导或学工部可以登记走访")
        rooms = [
            room_by_label(user=request.user, label=label, action=CHANGE, field="rooms")
            for label in data["rooms"]
        ]
        school_class = None
        if data["class_name"]:
            school_class = (
                SchoolClass.objects.visible_to(request.user, CHANGE).filter(name=data["class_name"]).first()
            )
            if school_class is None:
                raise ServiceError(f"在您所带的班级中找不到“{data['class_name']}”", field="class")
        visit = services.visit_record(
            actor=request.user,
            kind=data["kind"],
            visited_on=data["visited_on"],
            seen=data["seen"],
            rooms=rooms,
            school_class=school_class,
            companions=data["companions"],
            follow_ups=data["follow_ups"],
        )
        visit = selectors.visit_get(user=request.user, pk=visit.pk)
        return Response(VisitSerializer(visit).data, status=status.HTTP_201_CREATED)


def register(router) -> None:
    router.register("service/pairings", PairingViewSet, basename="service-pairing")
    router.register("service/job-posts", JobPostViewSet, basename="service-job-post")
    router.register("service/opinion-reports", OpinionReportViewSet, basename="service-opinion-report")
    router.register("service/opinion-items", OpinionItemViewSet, basename="service-opinion-item")
    router.register("service/visits", VisitViewSet, basename="service-visit")
