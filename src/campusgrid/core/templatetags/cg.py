"""Template helpers: dates in Chinese conventions, section rendering (masking by the
sensitive-data rule: `people`'s `sensitive_tags`)."""

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


@register.filter
def cn_datetime(value):
    if not value:
        return ""
    value = timezone.localtime(value)
    return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"


@register.filter
def cn_date(value):
    if not value:
        return ""
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
