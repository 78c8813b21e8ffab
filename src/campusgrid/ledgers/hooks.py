"""What the ledgers app plugs into the rest: navigation, home panels (render functions in
panels.py), sections, `tick` jobs, demo steps. One register(), called from the app's ready()."""

from __future__ import annotations

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

from . import policy
from .panels import (
    _night_absent,
    _night_checked,
    _overdue_returns,
    dossier_leave_section,
    dossier_night_section,
    dossier_room_section,
    ledger_todo_panel,
    night_mine_panel,
    night_progress_panel,
    room_section,
    student_panel,
)


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


def _absent_link():
    from . import selectors

    night = selectors.night_to_show().isoformat()
    return "ledgers:night-list", {"status": "absent", "date_from": night, "date_to": night}


def register():
    from campusgrid.core.fingerprint import watch

    from .panels import night_inputs, student_inputs, todo_inputs

    watch(*todo_inputs(), *night_inputs(), *student_inputs())
    from campusgrid.grid.policy import may_check_room

    register_opener("ledgers:night-check", may_check_room)
    register_college_column(CollegeColumn("night", "今晚查寝", _night_checked, order=10, kind="rate"))
    register_college_column(
        CollegeColumn("absent", "未归", _night_absent, order=11, kind="alert", link=_absent_link)
    )
    register_college_column(
        CollegeColumn("overdue-returns", "逾期未返", _overdue_returns, order=30, kind="alert")
    )
    register_nav(
        NavItem(
            "今晚查寝", "ledgers:night", "moon-stars", order=5, visible=policy.may_see_night, group="ledger"
        )
    )
    register_nav(
        NavItem(
            "请假",
            "ledgers:leave-list",
            "calendar-check",
            order=6,
            visible=policy.may_use_leave,
            group="ledger",
        )
    )
    register_nav(
        NavItem(
            "离校返校",
            "ledgers:holiday-list",
            "train-front",
            order=7,
            visible=policy.may_use_holiday,
            group="ledger",
        )
    )
    register_nav(
        NavItem(
            "安全检查",
            "ledgers:inspection-list",
            "shield-check",
            order=8,
            visible=policy.may_inspect_anywhere,
            group="ledger",
        )
    )
    register_nav(
        NavItem(
            "查寝台账",
            "ledgers:night-list",
            "journal-check",
            order=31,
            visible=policy.may_see_night,
            group="ledger",
        )
    )
    register_nav(
        NavItem(
            "隐患台账",
            "ledgers:finding-list",
            "exclamation-octagon",
            order=32,
            visible=policy.may_inspect_anywhere,
            group="ledger",
        )
    )
    register_nav(
        NavItem(
            "寝室评比", "ledgers:ratings", "award", order=33, visible=policy.may_see_ratings, group="ledger"
        )
    )
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
