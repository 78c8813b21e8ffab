"""Reads of volunteer teams: their members, activities, participants, students served, hours."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from campusgrid.core.scoping import VIEW, get_visible_or_404

from ..models import ATTENDED, Attendance, HoursCredit, Session, SessionKind, TeamMember, VolunteerTeam


def _served_total():
    served = (
        Session.objects.filter(team=OuterRef("pk"), kind=SessionKind.VOLUNTEER)
        .values("team")
        .annotate(n=Sum("served_count"))
        .values("n")
    )
    known = (
        Session.served_students.through.objects.filter(session__team=OuterRef("pk"))
        .values("session__team")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        Coalesce(Subquery(served, output_field=IntegerField()), 0),
        Coalesce(Subquery(known, output_field=IntegerField()), 0),
    )


def team_list(*, user) -> QuerySet[VolunteerTeam]:
    """Teams in reach with their figures (seed 004: activities held, participants, students
    served), each an aggregate subquery so the list costs the same for 5 teams or 50."""
    served_counted, served_known = _served_total()
    members = (
        TeamMember.objects.filter(team=OuterRef("pk"), left_on__isnull=True)
        .values("team")
        .annotate(n=Count("id"))
        .values("n")
    )
    activities = (
        Session.objects.filter(team=OuterRef("pk")).values("team").annotate(n=Count("id")).values("n")
    )
    participants = (
        Attendance.objects.filter(session__team=OuterRef("pk"), status__in=ATTENDED)
        .values("session__team")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        VolunteerTeam.objects.visible_to(user, VIEW)
        .select_related("college", "branch", "leader")
        .annotate(
            member_count=Coalesce(Subquery(members, output_field=IntegerField()), 0),
            activity_count=Coalesce(Subquery(activities, output_field=IntegerField()), 0),
            participant_count=Coalesce(Subquery(participants, output_field=IntegerField()), 0),
            served_counted=served_counted,
            served_known=served_known,
        )
        .order_by("college__name", "name")
    )


def team_get(*, user, pk, action: str = VIEW) -> VolunteerTeam:
    return get_visible_or_404(team_list(user=user), user, action, pk=pk)


def team_members(*, team: VolunteerTeam, semester=None) -> list[dict]:
    """Current members with their volunteer hours in the semester and in total."""
    rows = list(
        TeamMember.objects.filter(team=team, left_on__isnull=True)
        .select_related("student__school_class")
        .order_by("student__school_class__name", "student__student_no")
    )
    ids = [m.student_id for m in rows]
    base = HoursCredit.objects.filter(student_id__in=ids, kind="volunteer")
    total = dict(base.values("student_id").annotate(t=Sum("hours")).values_list("student_id", "t"))
    term = {}
    if semester is not None:
        term = dict(
            base.filter(semester=semester)
            .values("student_id")
            .annotate(t=Sum("hours"))
            .values_list("student_id", "t")
        )
    return [
        {
            "member": m,
            "student": m.student,
            "semester_hours": term.get(m.student_id) or 0,
            "total_hours": total.get(m.student_id) or 0,
        }
        for m in rows
    ]


def team_sessions(*, user, team: VolunteerTeam) -> QuerySet[Session]:
    from .sessions import session_list

    return session_list(user=user).filter(team=team)


def team_totals(*, user) -> dict:
    """The figures of all teams in reach together (for the seed 004 sentence)."""
    teams = team_list(user=user)
    ids = list(teams.values_list("pk", flat=True))
    sessions = Session.objects.filter(team_id__in=ids)
    return {
        "teams": len(ids),
        "activities": sessions.count(),
        "participants": Attendance.objects.filter(session__in=sessions, status__in=ATTENDED).count(),
        "served": (sessions.aggregate(n=Sum("served_count"))["n"] or 0)
        + Session.served_students.through.objects.filter(session__in=sessions).count(),
    }


def default_college(*, user):
    """The college a team or session of this user belongs to when nothing else says: their own."""
    person = getattr(user, "staff", None) or getattr(user, "student", None)
    return getattr(person, "college", None)
