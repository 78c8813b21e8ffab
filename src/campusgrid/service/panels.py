"""What the service app shows on other pages: the attendee's home panel (next sessions,
sign in, hours) and the training record on a grid post's page. Render functions that call
selectors only."""

from __future__ import annotations

from campusgrid.core import clock

from . import policy, selectors


def my_sessions_inputs() -> tuple:
    """The tables my_sessions_panel reads (their change counters key the kept values): the
    sessions and their audiences, the person's sign-ups, attendance and hours, and the
    places and posts that put them in an audience."""
    from campusgrid.grid.models import PartyBranch, PartyRoom, Post
    from campusgrid.org.models import Bed, Room, SchoolClass, Semester
    from campusgrid.people.models import Student

    from .models import Attendance, HoursCredit, Session, Signup

    return (
        Session,
        Session.audience_classes.through,
        Session.audience_rooms.through,
        Signup,
        Attendance,
        HoursCredit,
        Student,
        Bed,
        Room,
        SchoolClass,
        PartyRoom,
        PartyBranch,
        Post,
        Semester,
    )


def my_sessions_panel(request):
    """学生/教职工 home: sessions ahead or running now (with 签到), and my hours. The sessions'
    titles, times and places and the hours' totals are kept until a table they read changes
    or the minute turns (core.fingerprint.kept)."""
    from campusgrid.core.fingerprint import check_inputs, kept

    user = request.user
    if not policy.may_attend(user):
        return None
    now = clock.now()

    def compute() -> dict:
        sessions = selectors.my_sessions(user=user).filter(ends_at__gte=now).order_by("starts_at")
        student = getattr(user, "student", None)
        hours = selectors.hours_of(student=student, staff=None if student else getattr(user, "staff", None))
        check_inputs("service-my-sessions", my_sessions_inputs(), [sessions])
        upcoming = list(sessions.values("pk", "title", "starts_at", "place")[:3])
        return {"upcoming": upcoming, "totals": hours["totals"]}

    values = kept(user, "service-my-sessions", my_sessions_inputs(), compute)
    if not values["upcoming"] and not any(values["totals"].values()):
        return None
    return {**values, "now": now}


def post_training_section(request, post):
    """培训记录 on the appointment page (grid's post page): the requirements of the post's kind
    and the trainings its holder attended."""
    context = selectors.post_training(post=post)
    if not context["requirements"] and not context["attended"]:
        return None
    return context
