"""What the ledgers contribute to other pages: navigation, home-dashboard panels,
the sections of the key-student dossier and the room page, `tick` jobs and the
demo step. Registered from LedgersConfig.ready()."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from campusgrid.core.registry import (
    DemoStep,
    NavItem,
    Panel,
    Section,
    TickJob,
    register_demo_step,
    register_nav,
    register_panel,
    register_section,
    register_tick_job,
)
from campusgrid.core.scoping import scope_for


def _manager(scope) -> bool:
    return scope.manage_everything or bool(scope.manage_college_ids or scope.manage_class_ids)


def _night_visible(user, scope) -> bool:
    return bool(scope.room_ids) or scope.top_level >= 2 or scope.everything


def _reach(user, scope) -> bool:
    return not scope.is_empty


def _worker(user, scope) -> bool:
    return scope.top_level >= 1 or scope.everything


# --- panels -------------------------------------------------------------------------------------


def night_progress_panel(request):
    """Tonight's check for monitors, counselors, leaders and the office: rooms checked,
    per class, the absences and late returns (constant queries, aggregated in SQL)."""
    scope = scope_for(request.user)
    if not (scope.top_level >= 2 or scope.everything):
        return None
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
    scope = scope_for(request.user)
    if not _manager(scope):
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


# --- sections -----------------------------------------------------------------------------------


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


# --- tick jobs ----------------------------------------------------------------------------------


def _night_flag(now):
    from .services import night_flag_unchecked

    return night_flag_unchecked(now)


def _leave_overdue(now):
    from .services import leave_flag_overdue

    return leave_flag_overdue(now)


def _holiday_overdue(now):
    from .services import holiday_flag_overdue

    return holiday_flag_overdue(now)


def _finding_overdue(now):
    from .services import finding_escalate_overdue

    return finding_escalate_overdue(now)


def _ratings(now):
    from .services import rate_ended_semesters

    return rate_ended_semesters(now)


def _demo(demo):
    from .demo import build

    build(demo)


def register():
    register_nav(NavItem("今晚查寝", "ledgers:night", "moon-stars", order=5, visible=_night_visible))
    register_nav(NavItem("请假", "ledgers:leave-list", "calendar-check", order=6, visible=_reach))
    register_nav(NavItem("离校返校", "ledgers:holiday-list", "train-front", order=7, visible=_reach))
    register_nav(NavItem("安全检查", "ledgers:inspection-list", "shield-check", order=8, visible=_worker))
    register_nav(NavItem("查寝台账", "ledgers:night-list", "journal-check", order=31, visible=_night_visible))
    register_nav(
        NavItem("隐患台账", "ledgers:finding-list", "exclamation-octagon", order=32, visible=_worker)
    )
    register_nav(NavItem("寝室评比", "ledgers:ratings", "award", order=33, visible=_reach))
    register_panel(Panel("ledgers-night-mine", "ledgers/panel_night_mine.html", night_mine_panel, order=0))
    register_panel(Panel("ledgers-student", "ledgers/panel_student.html", student_panel, order=3))
    register_panel(
        Panel("ledgers-night-progress", "ledgers/panel_night_progress.html", night_progress_panel, order=2)
    )
    register_panel(Panel("ledgers-todo", "ledgers/panel_todo.html", ledger_todo_panel, order=15))
    register_section(
        "dossier",
        Section("ledgers-night", "ledgers/section_dossier_night.html", dossier_night_section, order=40),
    )
    register_section(
        "dossier",
        Section("ledgers-leave", "ledgers/section_dossier_leave.html", dossier_leave_section, order=41),
    )
    register_section(
        "dossier",
        Section("ledgers-room", "ledgers/section_dossier_room.html", dossier_room_section, order=42),
    )
    register_section("room", Section("ledgers-room", "ledgers/section_room.html", room_section, order=30))
    # The history per student, on the student's page too (not only in a key student's dossier).
    register_section(
        "student",
        Section("ledgers-night", "ledgers/section_dossier_night.html", dossier_night_section, order=40),
    )
    register_section(
        "student",
        Section("ledgers-leave", "ledgers/section_dossier_leave.html", dossier_leave_section, order=41),
    )
    register_tick_job(TickJob("ledgers.night_flag_unchecked", _night_flag, order=20))
    register_tick_job(TickJob("ledgers.leave_overdue", _leave_overdue, order=21))
    register_tick_job(TickJob("ledgers.holiday_overdue", _holiday_overdue, order=22))
    register_tick_job(TickJob("ledgers.finding_overdue", _finding_overdue, order=23))
    register_tick_job(TickJob("ledgers.rate_semesters", _ratings, order=24))
    register_demo_step(DemoStep("台账（查寝、请假、离校返校、安全检查、寝室评比）", _demo, order=30))
