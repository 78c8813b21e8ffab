"""REST API for students (SPEC §13, §14): scoped by the same selectors as the pages."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from campusgrid.core.api import ClassFieldMixin, ProbePagination, ScopedViewSetMixin
from campusgrid.core.validators import mask_id_number
from campusgrid.people import sensitive
from campusgrid.people.models import AccessLog

from . import selectors
from .filters import StudentFilter
from .models import Student


class StudentSerializer(ClassFieldMixin, serializers.ModelSerializer):
    """A student; ID and phone numbers are masked unless the caller has the right.

    Lists always mask the ID number (data minimisation); the detail shows it in
    full to those with the right, and that read is written to the access log."""

    class_ = serializers.CharField(source="school_class.name", default=None, read_only=True)
    room = serializers.SerializerMethodField()
    bed = serializers.IntegerField(source="bed.number", default=None, read_only=True)
    college = serializers.CharField(source="college.name", read_only=True)
    gender = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    political_status = serializers.CharField(source="get_political_status_display", read_only=True)
    id_number = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    parent_phone = serializers.SerializerMethodField()

    class Meta:
        model = Student
        fields = [
            "student_no",
            "name",
            "gender",
            "college",
            "class_",
            "room",
            "bed",
            "status",
            "status_display",
            "political_status",
            "id_number",
            "phone",
            "parent_phone",
            "ethnicity",
            "origin",
            "version",
        ]

    def get_room(self, obj) -> str | None:
        return obj.bed.room.label if obj.bed_id else None

    def get_id_number(self, obj) -> str:
        if self.context.get("full_id") and sensitive.may_see_sensitive(self.context["request"].user, obj):
            return obj.id_number
        return mask_id_number(obj.id_number)

    def get_phone(self, obj) -> str:
        return sensitive.shown_phone(self.context["request"].user, obj, obj.phone)

    def get_parent_phone(self, obj) -> str:
        return sensitive.shown_phone(self.context["request"].user, obj, obj.parent_phone)


@extend_schema_view(
    list=extend_schema(
        summary="学生列表（按网格职务限定范围）",
        description="按学号排列。count 仅在本页到达列表末尾时给出（之前的页为 null）；next 为下一页。",
    ),
    retrieve=extend_schema(summary="学生详情（按学号）"),
)
class StudentViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = StudentSerializer
    # The list is read a page at a time: no COUNT of the whole scoped list on every page.
    pagination_class = ProbePagination
    lookup_field = "student_no"
    lookup_value_regex = "[^/]+"

    selector = selectors.student_list

    def selector_kwargs(self, params):
        return {"with_id_number": True}

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        filterset = StudentFilter(self.request.query_params, queryset=queryset, user=self.request.user)
        return filterset.qs if filterset.is_valid() else queryset.none()

    def get_object(self):
        return selectors.student_get(user=self.request.user, student_no=self.kwargs["student_no"])

    def retrieve(self, request, *args, **kwargs):
        student = self.get_object()
        context = {**self.get_serializer_context(), "full_id": True}
        data = StudentSerializer(student, context=context).data
        if student.id_number and sensitive.may_see_sensitive(request.user, student):
            sensitive.log_access(
                request=request, item="id_number", students=[student], action=AccessLog.Action.API_READ
            )
        return Response(data)


def register(router):
    router.register("students", StudentViewSet, basename="student")
