from django.urls import reverse

from .registry import NAV
from .scoping import scope_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def items():
        scope = scope_for(user)
        result = []
        for item in NAV:
            if not item.visible(user, scope):
                continue
            url = reverse(item.url_name)
            result.append(
                {
                    "label": item.label,
                    "url": url,
                    "icon": item.icon,
                    "active": request.path.startswith(url) and (url != "/" or request.path == "/"),
                    "badge": item.badge(user) if item.badge else None,
                }
            )
        return result

    person = getattr(user, "student", None) or getattr(user, "staff", None)
    return {"nav_items": items, "current_person": person}
