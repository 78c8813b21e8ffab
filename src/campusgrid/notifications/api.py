from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from campusgrid.core.api import ScopedViewSetMixin

from . import selectors, services
from .models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "title", "body", "url", "created_at", "read"]

    def get_read(self, obj) -> bool:
        return obj.read_at is not None


class NotificationViewSet(ScopedViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """我的站内通知（只含本人的）。"""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()  # for the schema; requests use get_queryset

    selector = selectors.notification_list

    def selector_kwargs(self, params):
        return {"unread_only": params.get("unread") == "1"}

    @extend_schema(parameters=[OpenApiParameter("unread", str, enum=["1"], description="1：只列未读")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=None,
        responses={
            200: inline_serializer(
                "MarkedRead", {"marked": serializers.IntegerField(help_text="标为已读的条数")}
            )
        },
        summary="全部标为已读",
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.mark_read(user=request.user)})


def register(router):
    router.register("notifications", NotificationViewSet, basename="notification")
