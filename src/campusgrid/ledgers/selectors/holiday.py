"""Reads of the holiday registrations: windows with their counts, the class
roster by status, the ledger."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch

from campusgrid.core import clock
from campusgrid.core.scoping import get_visible_or_404, scope_for
from campusgrid.org.models import Holiday, SchoolClass
from campusgrid.people.models import Student, StudentStatus

from ..models import HOLIDAY_BADGE, HOLIDAY_STATUS, HolidayRegistration, HolidayWindow, holiday_status_q


def holiday_window_list(*, user):
    return (
        HolidayWindow.objects.visible_to(user)
        .select_related("holiday__semester", "school_class")
        .order_by("-holiday__start", "school_class__name")
    )


def window_counts(*, user, windows: list[HolidayWindow]) -> dict[int, dict]:
    """Per window, over the students the user may see: registered, staying, away,
    back, overdue, not registered. Two queries however many windows and students."""
    if not windows:
        return {}
    now = clock.now()
    enrolled = dict(
        Student.objects.visible_to(user)
        .filter(status=StudentStatus.ENROLLED, school_class_id__in={w.school_class_id for w in windows})
        .values("school_class_id")
        .annotate(n=Count("id"))
        .values_list("school_class_id", "n")
    )
    registrations = HolidayRegistration.objects.visible_to(user)
    rows = (
        registrations.filter(window__in=[w.pk for w in windows], student__status=StudentStatus.ENROLLED)
        .values("window_id")
        .annotate(registered=Count("id"), **registrations.status_counts(now))
    )
    found = {row["window_id"]: row for row in rows}
    empty = {"registered": 0} | dict.fromkeys(holiday_status_q(now), 0)
    result = {}
    for window in windows:
        row = found.get(window.pk, empty)
        total = enrolled.get(window.school_class_id, 0)
        result[window.pk] = {**row, "total": total, "unregistered": max(total - row["registered"], 0)}
    return result


def holiday_window_get(*, user, pk: int) -> HolidayWindow:
    qs = HolidayWindow.objects.select_related("holiday__semester", "school_class__college")
    return get_visible_or_404(qs, user, pk=pk)


def window_roster(*, user, window: HolidayWindow, status: str = "") -> list[dict]:
    """The class's students the user may see, each with their registration and status."""
    now = clock.now()
    registrations = HolidayRegistration.objects.filter(holiday_id=window.holiday_id)
    students = (
        Student.objects.visible_to(user)
        .filter(school_class_id=window.school_class_id, status=StudentStatus.ENROLLED)
        .select_related("bed__room__building")
        .prefetch_related(Prefetch("holiday_registrations", queryset=registrations, to_attr="regs"))
        .order_by("student_no")
    )
    rows = []
    for student in students:
        registration = student.regs[0] if student.regs else None
        if registration is not None:
            registration.holiday = window.holiday
        rows.append(_row(registration, now, student=student))
    if status:
        rows = [row for row in rows if row["status"] == status]
    return rows


def _row(registration, now, **extra) -> dict:
    key = registration.status(now) if registration else "unregistered"
    return {
        **extra,
        "registration": registration,
        "status": key,
        "label": HOLIDAY_STATUS[key],
        "badge": HOLIDAY_BADGE[key],
    }


def open_holidays(*, on: dt.date | None = None):
    """Holidays a counselor may open a registration for: from today to three months ahead."""
    on = on or clock.today()
    return Holiday.objects.filter(
        end__gte=on - dt.timedelta(days=7), start__lte=on + dt.timedelta(days=92)
    ).select_related("semester")


def classes_to_open(*, user):
    scope = scope_for(user)
    qs = SchoolClass.objects.visible_to(user, "change")
    if not scope.is_manager:
        return qs.none()
    return qs.order_by("name")


def my_windows(*, user) -> list[dict]:
    """A student's own registrations to do or done."""
    student = getattr(user, "student", None)
    if student is None or student.school_class_id is None:
        return []
    windows = list(
        HolidayWindow.objects.filter(school_class_id=student.school_class_id)
        .select_related("holiday")
        .order_by("-holiday__start")[:6]
    )
    mine = {
        r.window_id: r
        for r in HolidayRegistration.objects.filter(student=student, window__in=[w.pk for w in windows])
    }
    now = clock.now()
    rows = []
    for window in windows:
        registration = mine.get(window.pk)
        if registration is not None:
            registration.holiday = window.holiday
        rows.append(_row(registration, now, window=window))
    return rows


def holiday_registration_list(*, user, filters: dict | None = None):
    filters = filters or {}
    qs = HolidayRegistration.objects.visible_to(user)
    now = clock.now()
    if filters.get("holiday"):
        qs = qs.filter(holiday_id=filters["holiday"])
    if filters.get("window"):
        qs = qs.filter(window_id=filters["window"])
    if filters.get("school_class"):
        qs = qs.filter(student__school_class__name=filters["school_class"])
    status = filters.get("status")
    if status in holiday_status_q(now):
        qs = qs.in_status(status, now)
    return qs.select_related(
        "student__school_class", "student__bed__room__building", "holiday", "window__school_class"
    ).order_by("-holiday__start", "student__school_class__name", "student__student_no")


def holiday_registration_get(*, user, pk: int) -> HolidayRegistration:
    return get_visible_or_404(holiday_registration_list(user=user), user, pk=pk)


def student_holidays(*, user, student, limit: int = 6):
    return list(holiday_registration_list(user=user).filter(student=student)[:limit])


def registration_of(*, student, window: HolidayWindow) -> HolidayRegistration | None:
    """The student's registration for the window's holiday (the caller has checked reach)."""
    return HolidayRegistration.objects.filter(holiday_id=window.holiday_id, student=student).first()


def holiday_by_college(*, user, limit: int = 4) -> list[dict]:
    """The office's first view of 节假日离校返校: for the latest holidays with a registration
    open, one row per college (students of the classes opened, registered, staying, away,
    back, overdue). Three queries whatever the number of colleges and classes."""
    from campusgrid.org.models import College

    now = clock.now()
    holidays = list(
        Holiday.objects.filter(ledger_windows__in=HolidayWindow.objects.visible_to(user))
        .distinct()
        .select_related("semester")
        .order_by("-start")[:limit]
    )
    if not holidays:
        return []
    enrolled = (
        Student.objects.visible_to(user)
        .filter(status=StudentStatus.ENROLLED, school_class__holiday_windows__holiday__in=holidays)
        .values("school_class__holiday_windows__holiday_id", "college_id")
        .annotate(n=Count("id"))
    )
    totals = {(r["school_class__holiday_windows__holiday_id"], r["college_id"]): r["n"] for r in enrolled}
    counted = (
        HolidayRegistration.objects.visible_to(user)
        .filter(window__holiday__in=holidays, student__status=StudentStatus.ENROLLED)
        .values("window__holiday_id", "student__college_id")
        .annotate(registered=Count("id"), **HolidayRegistration.objects.status_counts(now))
    )
    found = {(r.pop("window__holiday_id"), r.pop("student__college_id")): r for r in counted}
    names = dict(College.objects.visible_to(user).values_list("id", "name"))
    result = []
    empty = {"registered": 0, **dict.fromkeys(holiday_status_q(now), 0)}
    for holiday in holidays:
        rows = []
        for college_id, name in sorted(names.items(), key=lambda item: item[1]):
            total = totals.get((holiday.pk, college_id))
            if total is None:
                continue  # no class of this college opened this holiday
            row = found.get((holiday.pk, college_id), empty)
            rows.append(
                {
                    "college_id": college_id,
                    "college": name,
                    "total": total,
                    "unregistered": max(total - row["registered"], 0),
                    **row,
                }
            )
        result.append({"holiday": holiday, "rows": rows})
    return result


def overdue_returns_by_college(*, user) -> dict[int, int]:
    """Holiday returns past their due time, per college (the office's overview)."""
    now = clock.now()
    return dict(
        HolidayRegistration.objects.visible_to(user)
        .overdue(now)
        .filter(student__status=StudentStatus.ENROLLED)
        .values("student__college_id")
        .annotate(n=Count("id"))
        .values_list("student__college_id", "n")
    )
