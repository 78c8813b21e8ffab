"""The menu of every page: the items the user may open, grouped (issue 15)."""

from __future__ import annotations

from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf, reverse

from .registry import NAV, NAV_GROUPS
from .scoping import scope_for

# Up to this many items the menu is one plain list (a student's phone menu: ten items or fewer are one tap each); above it the
# items are drawn under their groups.
FLAT_MENU_MAX = 10

# reverse() of an argument-less URL name gives the same path for the life of the process (for a
# given URLconf and script prefix): resolve each menu item once, not once per item per request.
_urls: dict[tuple, dict[str, str]] = {}  # (urlconf, script prefix) -> {url_name: path}


def _clear_urls(*, setting, **kwargs) -> None:
    if setting in ("ROOT_URLCONF", "FORCE_SCRIPT_NAME"):
        _urls.clear()


setting_changed.connect(_clear_urls)


def _visible_items(request, user) -> list[dict]:
    scope = scope_for(user)
    path = request.path
    urls = _urls.setdefault((get_urlconf(), get_script_prefix()), {})
    result = []
    for item in NAV:
        if not item.visible(user, scope):
            continue
        url = urls.get(item.url_name)
        if url is None:
            url = urls[item.url_name] = reverse(item.url_name)
        result.append(
            {
                "label": item.label,
                "url": url,
                "icon": item.icon,
                "group": item.group,
                "active": path.startswith(url) and (url != "/" or path == "/"),
                "badge": item.badge(user) if item.badge else None,
            }
        )
    # One current page: of /ledgers/night/ and /ledgers/night/records/, the longer match.
    current = max((len(item["url"]) for item in result if item["active"]), default=0)
    for item in result:
        item["active"] = item["active"] and len(item["url"]) == current
    return result


def menu_entries(request, user) -> list[dict]:
    """The menu's top-level entries: items, and groups `{"key", "label", "icon", "members", "open"}`.

    A group is drawn only with a visible item, and an item alone in its group is drawn plainly.
    A group is open when it holds the current page or an item with a badge (something waits)."""
    items = _visible_items(request, user)
    if len(items) <= FLAT_MENU_MAX:
        return items
    entries = [item for item in items if not item["group"]]
    for group in NAV_GROUPS:
        members = [item for item in items if item["group"] == group.key]
        if len(members) == 1:
            entries.append(members[0])
        elif members:
            entries.append(
                {
                    "key": group.key,
                    "label": group.label,
                    "icon": group.icon,
                    "members": members,
                    "open": any(item["active"] or item["badge"] for item in members),
                }
            )
    return entries


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def entries():
        return menu_entries(request, user)

    person = getattr(user, "student", None) or getattr(user, "staff", None)
    return {"nav_entries": entries, "current_person": person}
