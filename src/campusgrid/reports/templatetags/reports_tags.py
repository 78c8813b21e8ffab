from django import template

from campusgrid.reports.models import State
from campusgrid.reports.workflow import ACTION_LABELS

register = template.Library()


@register.filter
def action_label(action):
    return ACTION_LABELS.get(action, action)


@register.filter
def state_label(state):
    return dict(State.choices).get(state, state)


@register.filter
def asks_of(report, user):
    """`{{ r|asks_of:user }}`: 请确认 / 请补充 for the reporter's own rows."""
    return report.asks_of(user)
