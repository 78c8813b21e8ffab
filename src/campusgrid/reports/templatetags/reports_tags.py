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
