"""Reads of the volunteer activities' people: who took part (志愿者名单) and whom they served
(服务学生名单). The semester report's figures 志愿者 and 服务学生人数 count with these same
selectors over the college as its leader sees it (`core.viewer.Viewer`), and the list pages
they link to list these rows for the person who opens them — one definition, so the figure
and its list cannot disagree."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import CharField, Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from campusgrid.core.scoping import CHANGE, VIEW
from campusgrid.people.models import Staff, Student

from ..models import ATTENDED, Attendance, HoursCredit, HoursKind, Session, SessionKind


def volunteer_sessions(
    *, college_id: int | None = None, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> QuerySet[Session]:
    """The volunteer activities (sessions of kind 志愿服务) of the college held between the
    dates — the report's activities, before anyone's scope: each list below scopes its rows."""
    qs = Session.objects.filter(kind=SessionKind.VOLUNTEER)
    if college_id:
        qs = qs.filter(college_id=college_id)
    if date_from:
        qs = qs.filter(starts_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(starts_at__date__lte=date_to)
    return qs


def _person(qs) -> QuerySet:
    # The person of a row (student or staff) with the number the list sorts by; both halves
    # of the union below have these columns in this order.
    return (
        qs.order_by()
        .values("student_id", "staff_id")
        .annotate(number=Coalesce("student__student_no", "staff__staff_no", output_field=CharField()))
    )


def _attended(user, sessions):
    return Attendance.objects.visible_to(user, VIEW).filter(
        session__in=sessions.values("pk"), status__in=ATTENDED
    )


def _credited(user, sessions):
    return HoursCredit.objects.visible_to(user, VIEW).filter(
        session__in=sessions.values("pk"), kind=HoursKind.VOLUNTEER
    )


def volunteer_people(*, user, college_id: int | None = None, date_from=None, date_to=None) -> QuerySet:
    """志愿者名单: every person (student or staff member) who took part in the volunteer
    activities — present, late or made up — or was credited volunteer hours for them, once
    each, as rows {student_id, staff_id, number} sorted by 学号/工号. Scoped by the rows the
    user may see (`Attendance`/`HoursCredit.visible_to`: a session's organiser and its
    college's leaders see all of its people; a counselor their own students; anyone
    themselves)."""
    sessions = volunteer_sessions(college_id=college_id, date_from=date_from, date_to=date_to)
    return (
        _person(_attended(user, sessions))
        .union(_person(_credited(user, sessions)))
        .order_by("number", "student_id", "staff_id")
    )


def volunteer_rows(
    *, user, people, college_id: int | None = None, date_from=None, date_to=None
) -> list[dict]:
    """One page of `volunteer_people` with each person, their activities taken part in and
    volunteer hours (of the same activities and scope): four queries whatever the page's size."""
    people = list(people)
    student_ids = [p["student_id"] for p in people if p["student_id"]]
    staff_ids = [p["staff_id"] for p in people if p["staff_id"]]
    students = Student.objects.filter(pk__in=student_ids).select_related("school_class", "college").in_bulk()
    staff = Staff.objects.filter(pk__in=staff_ids).select_related("college").in_bulk()
    sessions = volunteer_sessions(college_id=college_id, date_from=date_from, date_to=date_to)
    mine = Q(student_id__in=student_ids) | Q(staff_id__in=staff_ids)
    activities = {
        (r["student_id"], r["staff_id"]): r["n"]
        for r in _attended(user, sessions)
        .filter(mine)
        .order_by()
        .values("student_id", "staff_id")
        .annotate(n=Count("session", distinct=True))
    }
    hours = {
        (r["student_id"], r["staff_id"]): r["total"]
        for r in _credited(user, sessions)
        .filter(mine)
        .order_by()
        .values("student_id", "staff_id")
        .annotate(total=Sum("hours"))
    }
    rows = []
    for p in people:
        key = (p["student_id"], p["staff_id"])
        person = students.get(p["student_id"]) if p["student_id"] else staff.get(p["staff_id"])
        if person is None:
            continue
        is_student = bool(p["student_id"])
        rows.append(
            {
                "kind": "学生" if is_student else "教职工",
                "number": p["number"],
                "name": person.name,
                "class_name": person.school_class.name if is_student and person.school_class_id else "",
                "college": person.college.name if person.college_id else "",
                "activities": activities.get(key, 0),
                "hours": hours.get(key) or Decimal(0),
            }
        )
    return rows


def _served_links(user, sessions):
    """The (session, student) rows of 服务对象（在册） the user may see: all of those of the
    sessions they manage (the organiser, the college's leaders, the office — who see them on
    the session's page), and of the other sessions they see, the students in their scope."""
    through = Session.served_students.through
    managed = Session.objects.visible_to(user, CHANGE).values("pk")
    seen = Session.objects.visible_to(user, VIEW).values("pk")
    mine = Student.objects.visible_to(user).values("pk")
    return through.objects.filter(session__in=sessions.values("pk")).filter(
        Q(session__in=managed) | Q(session__in=seen, student__in=mine)
    )


def served_students(
    *, user, college_id: int | None = None, date_from=None, date_to=None
) -> QuerySet[Student]:
    """服务学生名单: the students the volunteer activities served, recorded by 学号, once each
    however many activities served them, by 学号."""
    sessions = volunteer_sessions(college_id=college_id, date_from=date_from, date_to=date_to)
    links = _served_links(user, sessions)
    return (
        Student.objects.filter(pk__in=links.values("student_id"))
        .select_related("school_class", "college")
        .order_by("student_no", "pk")
    )


def served_times(*, user, students, college_id: int | None = None, date_from=None, date_to=None) -> dict:
    """For one page of `served_students`: how many of the activities served each (one query)."""
    sessions = volunteer_sessions(college_id=college_id, date_from=date_from, date_to=date_to)
    return dict(
        _served_links(user, sessions)
        .filter(student_id__in=[s.pk for s in students])
        .order_by()
        .values("student_id")
        .annotate(n=Count("session", distinct=True))
        .values_list("student_id", "n")
    )


def served_unregistered(*, user, college_id: int | None = None, date_from=None, date_to=None) -> dict:
    """The people served who are not on the register (服务对象人数（未在册）, a count each
    activity records): their total (人次) and the activities that recorded any, of the
    activities the user sees."""
    sessions = volunteer_sessions(college_id=college_id, date_from=date_from, date_to=date_to)
    figures = (
        Session.objects.visible_to(user, VIEW)
        .filter(pk__in=sessions.values("pk"), served_count__gt=0)
        .aggregate(total=Sum("served_count"), sessions=Count("pk"))
    )
    return {"total": figures["total"] or 0, "sessions": figures["sessions"]}
