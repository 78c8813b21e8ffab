"""Template side of `people.sensitive`: sensitive fields shown or masked by the one rule."""

from django import template

from campusgrid.people import sensitive

register = template.Library()


@register.simple_tag(takes_context=True)
def phone_for(context, student, value):
    return sensitive.shown_phone(context["request"].user, student, value)


@register.simple_tag(takes_context=True)
def shown(context, obj, field):
    """{% shown leave "reason" %}: the field, or its mask for a viewer without the right."""
    return sensitive.shown(context["request"].user, obj, field)
