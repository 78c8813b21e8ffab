"""Reads of notifications: a user's own, by the one scoping mechanism."""

from campusgrid.core.scoping import get_visible_or_404

from .models import Notification


def notification_list(*, user, unread_only: bool = False):
    qs = Notification.objects.visible_to(user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs


def notification_get(*, user, pk):
    return get_visible_or_404(Notification.objects.all(), user, pk=pk)
