"""Template helpers: dates in Chinese conventions, section rendering (masking by the
sensitive-data rule: `people`'s `sensitive_tags`)."""

import datetime as dt

from django import template
from django.template.loader import get_template
from django.utils import timezone

register = template.Library()


@register.simple_tag(takes_context=True)
def render_block(context, block):
    """Render a registered section/panel: {"template", "context"}."""
    request = context.get("request")
    values = dict(block["context"])
    values.setdefault("request", request)
    values.setdefault("user", getattr(request, "user", None))
    return get_template(block["template"]).render(values, request)


def _local(value):
    """An aware datetime in the project's time zone (Asia/Shanghai); dates and naive
    values as they are. Every date filter converts here, once: formatting an aware
    value as stored (UTC) shows the day before for anything between 00:00 and 08:00."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def cn_datetime(value):
    if not value:
        return ""
    value = _local(value)
    if not isinstance(value, dt.datetime):
        return cn_date(value)
    return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"


@register.filter
def cn_date(value):
    if not value:
        return ""
    value = _local(value)
    return f"{value.year}年{value.month}月{value.day}日"


@register.filter
def percent(value, digits=1):
    if value is None:
        return "—"
    return f"{value * 100:.{int(digits)}f}%"


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


@register.filter
def mask_id(value):
    from campusgrid.core.validators import mask_id_number

    return mask_id_number(value or "")


@register.filter
def get_item(mapping, key):
    if mapping is None:
        return None
    return mapping.get(key)


@register.simple_tag(takes_context=True)
def can_open(context, url_name, obj=None):
    """`{% can_open "people:class" school_class as ok %}`: whether the viewer may open that page
    of `obj`, by the rule the view itself applies (core.registry.register_opener)."""
    from campusgrid.core.registry import may_open

    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return may_open(user, url_name, obj)


@register.inclusion_tag("core/form_errors.html")
def form_errors(form, title="提交未成功"):
    """The error summary at the top of a form (one include for every form page): each
    problem once, a field's linking to it. `static/campusgrid/forms.js` scrolls to it."""
    if form is None or not form.errors:
        return {"items": []}
    items = [{"message": message} for message in form.non_field_errors()]
    for field in form:
        for message in field.errors:
            if field.is_hidden:
                items.append({"message": message})
            else:
                items.append(
                    {
                        "message": message,
                        "label": field.label,
                        "id": field.id_for_label,
                        "name": field.html_name,
                    }
                )
    return {"items": items, "title": title}


@register.inclusion_tag("core/state_badge.html")
def state_badge(obj, field: str = "state"):
    """A state as a badge coloured by its enum's `badge_colours` (core/badges.py):
    {% state_badge report "state" %}."""
    from campusgrid.core.badges import colour_of

    model_field = obj._meta.get_field(field)
    value = getattr(obj, field)
    label = getattr(obj, f"get_{field}_display")()
    colour = colour_of(model_field.choices, value)
    return {"label": label, "value": value, "colour": colour, "field": field}
