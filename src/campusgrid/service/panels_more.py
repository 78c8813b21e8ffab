"""What pairing, 舆情 and visits show on other pages: the grid worker's 本期舆情 panel on the
home page (render functions calling selectors only)."""

from __future__ import annotations

from django.urls import reverse

from . import policy_more as policy


def opinion_panel_inputs() -> tuple:
    """The tables the 本期舆情 panel reads: the college's special periods and the reports."""
    from .models import OpinionReport, SpecialPeriod

    return (SpecialPeriod, OpinionReport)


def opinion_panel(request):
    """本期舆情: filed or not, with the one-tap link, for those who must report. Whether they
    must is the menu's kept fact; this period's state is kept the same way (core.fingerprint)
    until a special period or a report changes, or the minute turns (a new day or week)."""
    from campusgrid.core.fingerprint import check_inputs, kept
    from campusgrid.core.scoping import scope_for

    from .selectors import my_period_state
    from .selectors.navigation import prefetch_nav_facts

    user = request.user
    prefetch_nav_facts(user, scope_for(user))  # the menu's kept facts answer is_opinion_reporter too
    if not policy.is_opinion_reporter(user):
        return None

    def compute() -> dict:
        state, querysets = my_period_state(user=user)
        check_inputs("service-opinion-panel", opinion_panel_inputs(), querysets)
        return state

    state = kept(user, "service-opinion-panel", opinion_panel_inputs(), compute)
    return {**state, "url": reverse("service:opinion-mine")}


def visit_panel(request):
    """走访进度 for counselors and class teachers: how many rooms of their classes are below the
    target (their own rows of the progress page, which the link opens)."""
    user = request.user
    if not policy.may_visit(user):
        return None
    from .selectors import my_visit_progress

    mine = my_visit_progress(user=user)
    if not mine:
        return None
    below = sum(len(r["rooms_below"]) for r in mine)
    total = sum(len(r["rooms"]) for r in mine)
    return {"below": below, "total": total, "url": reverse("service:visit-progress")}
