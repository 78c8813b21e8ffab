"""The 学院 filter of lists that span colleges: a select named `college`, the parameter that
grid.middleware turns into the scope narrowed to that college (so the list, its counts and
its export all follow)."""

from django import template

from campusgrid.core.forms import picker_form, select_choices
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
    form = picker_form(
        college=("学院", select_choices("全部学院", list(colleges)), focused.pk if focused else None)
    )
    form.fields["college"].widget.attrs["id"] = "college-filter"
    return {"show": True, "field": form["college"], "css": css}


@register.simple_tag
def placement_status_field(student):
    """The 学籍状态 select of the student page's placement form, the current status selected."""
    from campusgrid.people.models import StudentStatus

    return picker_form(status=("学籍状态", StudentStatus.choices, student.status))["status"]
