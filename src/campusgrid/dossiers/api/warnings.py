"""REST API of early-warning proposals (预警)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from campusgrid.core.api import ScopedViewSetMixin

from .. import selectors, services
from ..models import WarningProposal
from .common import LoggedReadMixin, StudentFields
from .key_students import KeyStudentSerializer

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
