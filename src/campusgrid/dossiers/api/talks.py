"""REST API of talk records (谈心谈话记录)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from campusgrid.core.api import ScopedViewSetMixin
from campusgrid.core.scoping import CHANGE

from .. import selectors, services
from ..models import TalkRecord
from .common import LoggedReadMixin, StudentFields

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
