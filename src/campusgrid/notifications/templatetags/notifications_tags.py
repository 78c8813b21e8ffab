from django import template

from campusgrid.core.context_processors import nav_badge

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """未读通知 for the header badge: the menu's 通知 badge (kept with the menu)."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    return nav_badge(user, "notifications:list") or 0
