"""What the ledgers contribute to other pages: navigation, home-dashboard panels,
the sections of the key-student dossier and the room page, `tick` jobs and the
demo step. Registered from LedgersConfig.ready()."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from campusgrid.core.registry import (
    CollegeColumn,
    DemoStep,
    NavItem,
    Panel,
    PersonalDataPart,
    Section,
    TickJob,
    register_college_column,
    register_demo_step,
    register_nav,
    register_opener,
    register_panel,
    register_personal_data,
    register_section,
    register_tick_job,
)
from campusgrid.core.scoping import scope_for

from . import policy

# --- panels -------------------------------------------------------------------------------------


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


def _collect_leave(student):
    from .personal_data import collect_leave

    return collect_leave(student)


def _collect_holidays(student):
    from .personal_data import collect_holidays

    return collect_holidays(student)


def _collect_night(student):
    from .personal_data import collect_night

    return collect_night(student)


def register():
    from campusgrid.grid.policy import may_check_room

    register_opener("ledgers:night-check", may_check_room)
    register_college_column(CollegeColumn("night", "今晚查寝", _night_checked, order=10, kind="rate"))
    register_college_column(CollegeColumn("absent", "未归", _night_absent, order=11, kind="alert"))
    register_college_column(
        CollegeColumn("overdue-returns", "逾期未返", _overdue_returns, order=30, kind="alert")
    )
    register_nav(NavItem("今晚查寝", "ledgers:night", "moon-stars", order=5, visible=policy.may_see_night))
    register_nav(
        NavItem("请假", "ledgers:leave-list", "calendar-check", order=6, visible=policy.may_use_leave)
    )
    register_nav(
        NavItem("离校返校", "ledgers:holiday-list", "train-front", order=7, visible=policy.may_use_holiday)
    )
    register_nav(
        NavItem(
            "安全检查",
            "ledgers:inspection-list",
            "shield-check",
            order=8,
            visible=policy.may_inspect_anywhere,
        )
    )
    register_nav(
        NavItem("查寝台账", "ledgers:night-list", "journal-check", order=31, visible=policy.may_see_night)
    )
    register_nav(
        NavItem(
            "隐患台账",
            "ledgers:finding-list",
            "exclamation-octagon",
            order=32,
            visible=policy.may_inspect_anywhere,
        )
    )
    register_nav(NavItem("寝室评比", "ledgers:ratings", "award", order=33, visible=policy.may_see_ratings))
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
    register_personal_data(PersonalDataPart("ledgers.leave", "请假", _collect_leave, order=30))
    register_personal_data(PersonalDataPart("ledgers.holiday", "节假日离校返校", _collect_holidays, order=31))
    register_personal_data(PersonalDataPart("ledgers.night", "查寝记录", _collect_night, order=32))
