"""The 学院 filter of lists that span colleges: a select named `college`, the parameter that
grid.middleware turns into the scope narrowed to that college (so the list, its counts and
its export all follow)."""

from django import template

from campusgrid.core.scoping import scope_for

register = template.Library()


@register.inclusion_tag("grid/_college_filter.html", takes_context=True)
def college_filter(context, css="col-6 col-md-2"):
    from campusgrid.org.models import College

    request = context.get("request")
    user = getattr(request, "user", None)
    focused = getattr(request, "focus_college", None)
    scope = getattr(request, "scope_before_focus", None) or scope_for(user)
    if not scope.spans_colleges:
        return {"show": False}
    if scope.everything:
        colleges = College.objects.order_by("name").values_list("id", "name")
    else:
        colleges = College.objects.filter(pk__in=scope.college_ids).order_by("name").values_list("id", "name")
    return {"show": True, "colleges": list(colleges), "current": focused.pk if focused else None, "css": css}
