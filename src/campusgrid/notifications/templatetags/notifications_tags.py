from django import template

from ..services import unread_count_cached

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """未读通知 for the header badge (the same count as the menu's, counted once per request)."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    return unread_count_cached(user)
