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


_inputs: dict[int, tuple] = {}  # len(NAV) -> menu_inputs(): items are only ever added, at start-up


def menu_inputs() -> tuple:
    """The models the menu's rules and badges read beyond the scope (NavItem.inputs), gathered
    once for the registered menu, not on every page."""
    found = _inputs.get(len(NAV))
    if found is None:
        models = {}
        for item in NAV:
            for model in item.inputs():
                models[model._meta.label] = model
        found = _inputs[len(NAV)] = tuple(models[label] for label in sorted(models))
    return found


def menu_facts(user, scope) -> list[tuple[str, int | None]]:
    """(url name, badge) of each item the user may open, in the menu's order: what the rules
    and the badges say, which is all of the menu that reads the database."""
    return [
        (item.url_name, item.badge(user) if item.badge else None) for item in NAV if item.visible(user, scope)
    ]


def _facts(user) -> list[tuple[str, int | None]]:
    """menu_facts kept for the user and scope until a table the rules read changes or the minute
    turns (core.fingerprint.kept), and on the user object for the rest of the request: the rules
    and badges were five queries and half the HTML floor of every page (issue 17)."""
    from .fingerprint import kept

    facts = getattr(user, "_campusgrid_menu", None)  # forget_scope() drops it with the scope
    if facts is None:
        scope = scope_for(user)
        facts = user._campusgrid_menu = kept(user, "menu", menu_inputs(), lambda: menu_facts(user, scope))
    return facts


def nav_badge(user, url_name: str) -> int | None:
    """The badge of a menu item as the menu draws it: the header's 未读通知 is the menu's 通知."""
    return dict(_facts(user)).get(url_name)


def _visible_items(request, user) -> list[dict]:
    path = request.path
    urls = _urls.setdefault((get_urlconf(), get_script_prefix()), {})
    facts = _facts(user)
    by_name = {item.url_name: item for item in NAV}
    result = []
    for url_name, badge in facts:
        item = by_name.get(url_name)
        if item is None:
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
                "badge": badge,
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
