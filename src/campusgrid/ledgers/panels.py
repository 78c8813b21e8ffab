"""What the ledgers app shows on other apps' pages: home panels and detail-page sections
(render functions that call selectors). Registered by hooks.py."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from campusgrid.core.scoping import scope_for

from . import policy


def night_progress_panel(request):
    """Tonight's check for monitors, counselors, leaders and the office: rooms checked,
    per class, the absences and late returns (constant queries, aggregated in SQL)."""
    if not policy.may_see_night_progress(request.user) or scope_for(request.user).spans_colleges:
        return None  # the office's landing has one row per college instead (grid colleges panel)
    from . import selectors

    date = selectors.night_to_show()
    progress = selectors.night_progress(user=request.user, date=date, buildings=False)
    classes = sorted(
        progress["classes"],
        key=lambda c: (c["checked"] / c["total"] if c["total"] else 1, c["school_class__name"]),
    )
    return {
        "date": date,
        "label": "今晚" if date == selectors.tonight() else "昨晚",
        "progress": progress,
        "classes": classes[:10],
        "more_classes": max(len(classes) - 10, 0),
        "exceptions": list(selectors.night_exceptions(user=request.user, date=date)[:8]),
        "checked_rooms": list(selectors.checked_rooms(user=request.user, date=date)[:8]),
    }


def night_mine_panel(request):
    """A dorm head's tonight: their room(s), checked or not, one tap to the form."""
    scope = scope_for(request.user)
    if not scope.room_ids:
        return None
    from . import selectors
    from .models import LedgerSettings

    date = selectors.tonight()
    rooms = selectors.my_rooms_tonight(user=request.user, date=date)
    return {"date": date, "rooms": rooms, "settings": LedgerSettings.get()}


def ledger_todo_panel(request):
    """For level 3 and above: leave waiting for approval, overdue returns, hazards past deadline."""
    if not policy.may_see_manager_todo(request.user):
        return None
    from . import selectors

    return selectors.manager_todo(user=request.user)


def student_panel(request):
    """A student's holiday registrations to do and their current leave."""
    student = getattr(request.user, "student", None)
    if student is None:
        return None
    from . import selectors

    windows = [w for w in selectors.my_windows(user=request.user) if w["window"].holiday.end >= _recent()]
    leaves = list(selectors.leave_list(user=request.user).filter(student=student)[:3])
    if not windows and not leaves:
        return {"windows": [], "leaves": [], "empty": True}
    return {"windows": windows, "leaves": leaves, "empty": False}


def _recent() -> dt.date:
    from campusgrid.core import clock

    return clock.today() - dt.timedelta(days=14)


def _night_rows(user) -> dict:
    from . import selectors

    cached = getattr(user, "_campusgrid_night_by_college", None)
    if cached is None:
        cached = selectors.night_by_college(user=user, date=selectors.night_to_show())
        user._campusgrid_night_by_college = cached
    return cached


def _night_checked(user) -> dict:
    return {cid: (row["checked"], row["total"]) for cid, row in _night_rows(user).items()}


def _night_absent(user) -> dict:
    return {cid: row["absent"] for cid, row in _night_rows(user).items()}


def _overdue_returns(user) -> dict:
    """Leave not ended past its grace, and holiday returns past due, per college."""
    from django.db.models import Count

    from campusgrid.core import clock

    from . import selectors
    from .models import LeaveRequest, LedgerSettings

    now = clock.now()
    grace = dt.timedelta(minutes=LedgerSettings.get().leave_grace_minutes)
    result = dict(selectors.overdue_returns_by_college(user=user))
    leave = (
        LeaveRequest.objects.visible_to(user)
        .overdue(now, grace)
        .values("student__college_id")
        .annotate(n=Count("id"))
        .values_list("student__college_id", "n")
    )
    for college_id, n in leave:
        result[college_id] = result.get(college_id, 0) + n
    return result


def dossier_night_section(request, student):
    from campusgrid.core import clock

    from . import selectors

    nights = selectors.student_nights(user=request.user, student=student, days=90)
    since = clock.today() - dt.timedelta(days=30)
    absences_30 = sum(1 for e in nights if e.status == "absent" and e.date >= since)
    return {
        "student": student,
        "nights": nights,
        "absences_30": absences_30,
        "list_url": reverse("ledgers:night-list") + f"?student_no={student.student_no}&status=all",
    }


def dossier_leave_section(request, student):
    from . import selectors

    return {
        "student": student,
        "leaves": selectors.student_leaves(user=request.user, student=student),
        "holidays": selectors.student_holidays(user=request.user, student=student),
    }


def dossier_room_section(request, student):
    from . import selectors

    room = student.bed.room if student.bed_id else None
    if room is None:
        return {"room": None, "findings": [], "ratings": [], "inspections": []}
    return {
        "room": room,
        "findings": selectors.room_findings(user=request.user, room=room),
        "ratings": selectors.room_ratings(user=request.user, room=room),
        "inspections": selectors.room_inspections(user=request.user, room=room),
    }


def room_section(request, room):
    from . import selectors

    return {
        "room": room,
        "checks": selectors.room_night_checks(user=request.user, room=room),
        "findings": selectors.room_findings(user=request.user, room=room, limit=5),
        "ratings": selectors.room_ratings(user=request.user, room=room, limit=2),
    }
