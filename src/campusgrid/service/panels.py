"""What the service app shows on other pages: the attendee's home panel (next sessions,
sign in, hours) and the training record on a grid post's page. Render functions that call
selectors only."""

from __future__ import annotations

from campusgrid.core import clock

from . import policy, selectors


def my_sessions_panel(request):
    """学生/教职工 home: sessions ahead or running now (with 签到), and my hours."""
    user = request.user
    if not policy.may_attend(user):
        return None
    now = clock.now()
    upcoming = list(selectors.my_sessions(user=user).filter(ends_at__gte=now).order_by("starts_at")[:3])
    hours = selectors.hours_of(
        student=getattr(user, "student", None),
        staff=None if getattr(user, "student", None) else getattr(user, "staff", None),
    )
    if not upcoming and not any(hours["totals"].values()):
        return None
    return {"upcoming": upcoming, "totals": hours["totals"], "now": now}


def post_training_section(request, post):
    """培训记录 on the appointment page (grid's post page): the requirements of the post's kind
    and the trainings its holder attended."""
    context = selectors.post_training(post=post)
    if not context["requirements"] and not context["attended"]:
        return None
    return context
