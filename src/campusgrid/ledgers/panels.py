"""What the ledgers app shows on other apps' pages: home panels and detail-page sections
(render functions that call selectors). Registered by hooks.py."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from campusgrid.core.scoping import scope_for

from . import policy


def night_inputs() -> tuple:
    """The tables night_progress_panel's figures read (their change counters key the kept
    values): the checks and their lines, the students in their beds and classes."""
    from campusgrid.org.models import Bed, Building, Room, SchoolClass
    from campusgrid.people.models import Student

    from .models import NightCheck, NightCheckEntry

    return (NightCheck, NightCheckEntry, Student, Bed, Room, Building, SchoolClass)


def night_progress_panel(request):
    """Tonight's check for monitors, counselors, leaders and the office: rooms checked,
    per class, the absences and late returns (constant queries, aggregated in SQL). The
    aggregates over the reach (a college's 6,000 students) are kept until a table they read
    changes or the minute turns (core.fingerprint.kept): a check submitted shows on the next
    request. The exceptions and latest checks are kept as ids and read fresh by id (a request
    that computes the values has just read them)."""
    if not policy.may_see_night_progress(request.user) or scope_for(request.user).spans_colleges:
        return None  # the office's landing has one row per college instead (grid colleges panel)
    from campusgrid.core.fingerprint import kept

    from . import selectors

    user = request.user
    date = selectors.night_to_show()
    rows = {}  # the rows, when this request computed the values (no second read by id)

    def compute() -> dict:
        values, rows["exceptions"], rows["checks"] = _night_values(user, date)
        return values

    # the night is in the name: a changed opening time shows another night under the same minute
    values = kept(user, f"ledgers-night:{date.isoformat()}", night_inputs(), compute)
    if not rows:
        rows = {
            "exceptions": selectors.night_entries_by_ids(values["exception_ids"]),
            "checks": selectors.night_checks_by_ids(values["check_ids"]),
        }
    progress = values["progress"]
    classes = sorted(
        progress["classes"],
        key=lambda c: (c["checked"] / c["total"] if c["total"] else 1, c["school_class__name"]),
    )
    shown = [
        {
            **c,
            "absent_figure": _night_figure(
                request,
                date,
                "absent",
                values["absent_by_class"].get(c["school_class__name"], 0),
                school_class=c["school_class__name"],
            ),
        }
        for c in classes[:10]
    ]
    return {
        "date": date,
        "label": "今晚" if date == selectors.tonight() else "昨晚",
        "progress": progress,
        "figures": {key: _night_figure(request, date, key, n) for key, n in values["counts"].items()},
        "classes": shown,
        "more_classes": max(len(classes) - 10, 0),
        "exceptions": rows["exceptions"],
        "checked_rooms": rows["checks"],
    }


_NIGHT_LABELS = {"absent": "未归", "late": "晚归", "leave": "请假"}


def _night_figure(request, date, status, count, **params):
    from campusgrid.core.figures import figure

    day = date.isoformat()
    query = {"status": status, "date_from": day, "date_to": day, **params}
    return figure(request, _NIGHT_LABELS[status], count, "ledgers:night-list", query)


def _night_values(user, date) -> tuple[dict, list, list]:
    """What night_progress_panel keeps — plain values (counts, names, ids), never rows — and
    the rows of the exceptions and latest checks it names, read this once for this request.
    未归/晚归/请假 are counted over the 夜不归宿台账's own selector with the filters of the
    figures' links (one aggregate query, grouped by class), so each opens exactly its rows."""
    from django.db.models import Count, Q

    from campusgrid.core.fingerprint import check_inputs

    from . import selectors

    day = date.isoformat()
    entries = selectors.night_entry_list(
        user=user, filters={"status": "all", "date_from": day, "date_to": day}
    )
    exceptions = selectors.night_exceptions(user=user, date=date)
    checks = selectors.checked_rooms(user=user, date=date)
    check_inputs(
        "ledgers-night",
        night_inputs(),
        [selectors.night_progress_rows(user=user, date=date), entries, exceptions, checks],
    )
    rows = list(
        entries.order_by()
        .values("student__school_class__name")
        .annotate(**{key: Count("id", filter=Q(status=key)) for key in _NIGHT_LABELS})
    )
    exceptions, checks = list(exceptions[:8]), list(checks[:8])
    values = {
        "progress": selectors.night_progress(user=user, date=date, buildings=False),
        "counts": {key: sum(r[key] for r in rows) for key in _NIGHT_LABELS},
        "absent_by_class": {
            r["student__school_class__name"]: r["absent"] for r in rows if r["student__school_class__name"]
        },
        "exception_ids": [e.pk for e in exceptions],
        "check_ids": [c.pk for c in checks],
    }
    return values, exceptions, checks


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


def todo_inputs() -> tuple:
    """The tables ledger_todo_panel's lists read (their change counters key the kept counts)."""
    from campusgrid.org.models import Bed
    from campusgrid.people.models import Student

    from .models import Finding, HolidayRegistration, LeaveRequest, LedgerSettings

    # LedgerSettings: the grace period of "overdue" is read from it, not joined.
    return (LeaveRequest, HolidayRegistration, Finding, Student, Bed, LedgerSettings)


def ledger_todo_panel(request):
    """For level 3 and above: leave waiting for approval, overdue returns, hazards past deadline.
        Each figure counts the rows of the list it opens, through that list's selector and filters;
        the five counts go to the database together (one query), kept until a table they read changes
    or the minute turns (core.figures.count_kept)."""
    if not policy.may_see_manager_todo(request.user):
        return None
    from campusgrid.core.figures import count_kept, figure

    from . import selectors

    user = request.user
    overdue_leave = {"overdue": "on"}
    open_findings = {"state": "open"}
    overdue_findings = {"overdue": "on"}
    overdue_returns = {"status": "overdue"}
    n = count_kept(
        user,
        "ledgers-todo",
        todo_inputs(),
        lambda: {
            "to_decide": selectors.leaves_to_decide(user=user),
            "overdue_leave": selectors.leave_list(user=user, filters=overdue_leave),
            "overdue_returns": selectors.holiday_registration_list(user=user, filters=overdue_returns),
            "open_findings": selectors.finding_list(user=user, filters=open_findings),
            "overdue_findings": selectors.finding_list(user=user, filters=overdue_findings),
        },
    )
    return {
        "figures": [
            figure(request, "请假待审批", n["to_decide"], "ledgers:leave-list", {"box": "todo"}),
            figure(request, "请假到期未销假", n["overdue_leave"], "ledgers:leave-list", overdue_leave),
            figure(
                request,
                "节假日逾期未返校",
                n["overdue_returns"],
                "ledgers:holiday-ledger",
                {**overdue_returns, "format": "xlsx"},
            ),
            figure(request, "待整改隐患", n["open_findings"], "ledgers:finding-list", open_findings),
            figure(request, "逾期未整改", n["overdue_findings"], "ledgers:finding-list", overdue_findings),
        ],
        "alert": {"请假待审批", "节假日逾期未返校", "逾期未整改"},
    }


def student_inputs() -> tuple:
    """The tables student_panel reads (their change counters key the kept rows)."""
    from campusgrid.org.models import Bed, Holiday, SchoolClass
    from campusgrid.people.models import Student

    from .models import HolidayRegistration, HolidayWindow, LeaveRequest

    return (HolidayWindow, Holiday, HolidayRegistration, LeaveRequest, Student, Bed, SchoolClass)


def student_panel(request):
    """A student's holiday registrations to do and their current leave: what the rows show
    (plain values) is kept until a table they read changes or the minute turns."""
    student = getattr(request.user, "student", None)
    if student is None:
        return None
    from campusgrid.core.fingerprint import check_inputs, kept

    from . import selectors

    user = request.user

    def compute() -> dict:
        leaves = selectors.leave_list(user=user).filter(student=student)
        check_inputs("ledgers-student", student_inputs(), [leaves])
        windows = [w for w in selectors.my_windows(user=user) if w["window"].holiday.end >= _recent()]
        return {
            "windows": [
                {
                    "window": {"pk": w["window"].pk, "holiday": {"name": w["window"].holiday.name}},
                    **{key: w[key] for key in ("status", "label", "badge")},
                }
                for w in windows
            ],
            # the rows show the leave's own fields only: none of the list's joins
            "leaves": [
                {
                    "pk": leave.pk,
                    "kind": leave.get_kind_display(),
                    "start": leave.start,
                    "end": leave.end,
                    "state": leave.get_state_display(),
                }
                for leave in leaves.select_related(None)[:3]
            ],
        }

    values = kept(user, "ledgers-student", student_inputs(), compute)
    return {**values, "empty": not values["windows"] and not values["leaves"]}


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
