"""Reads of reports: the scoped list with its filters, my reports, my to-do."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q

from campusgrid.core import clock
from campusgrid.core.errors import ServiceError
from campusgrid.core.scoping import as_subqueries, crosses_to_many, get_visible_or_404, scope_for
from campusgrid.people import sensitive
from campusgrid.people.models import AccessLog, Student

from .models import OPEN_STATES, Report, ReportEvent, State


def _students() -> Prefetch:
    return Prefetch("students", queryset=Student.objects.only("id", "student_no", "name", "school_class_id"))


def _rows(qs):
    """What a list row and the API show: no classes (the ledger's export and the detail add them)."""
    return qs.select_related(
        "category", "room__building", "college", "handler__student", "handler__staff", "reporter"
    ).prefetch_related(_students())


def page_rows(qs):
    """What the list pages draw of a report: its category, room and first students — not the
    handler's, the reporter's and the college's joins the API reads, nor the export's classes:
    on a dorm head's short list, planning eight joins cost more than reading the rows."""
    return (
        qs.select_related(None)
        .prefetch_related(None)
        .select_related("category", "room__building")
        .prefetch_related(_students())
    )


def _base(qs):
    return _rows(qs).prefetch_related("classes")


def report_list(*, user, params=None):
    """The scoped list, filtered by `filters.ReportFilter` from the page's or the
    API's query parameters (invalid parameters: the filterset says which)."""
    if params is None:
        return _scoped(user)
    return filtered(report_filter(user=user, params=params))


def _scoped(user):
    return _base(Report.objects.visible_to(user)).order_by("-created_at", "-id")


def report_filter(*, user, params):
    """The list's filterset: its form, its choices, its validation. Its reports are
    `filtered(filterset)`, which applies it to the user's scoped list; the filterset's own
    queryset is empty, so that a page whose rows are kept does not build the scoped list."""
    from .filters import ReportFilter

    return ReportFilter(params, queryset=Report.objects.none(), user=user)


def check_filter(filterset) -> None:
    """A ServiceError naming the first invalid parameter, if any."""
    if not filterset.is_valid():
        raise ServiceError(_first_error(filterset), field=next(iter(filterset.errors), None))


def filtered(filterset):
    """The user's scoped list, filtered by the (valid) filterset."""
    check_filter(filterset)
    return filterset.filter_queryset(_scoped(filterset.user))


def list_inputs() -> tuple:
    """The tables the list pages read, with their filters (classes, buildings, colleges, the
    escalation and handling events): the change counters their kept pages are keyed on."""
    from campusgrid.org.models import Building, College, Room, SchoolClass

    from .panels import panel_inputs

    return (*panel_inputs(), SchoolClass, Room, Building, College, ReportEvent)


def page_rows_by_ids(ids: list[int]):
    """The rows of a kept page (core.paging.KeptPaginator), read fresh by id with what a list
    row draws; the ids come from the user's scoped list."""
    return page_rows(Report.objects.filter(pk__in=ids))


def _first_error(filterset) -> str:
    for field, errors in filterset.errors.items():
        label = filterset.filters[field].label if field in filterset.filters else field
        return f"{label}：{errors[0]}"
    return "筛选条件有误"


def report_mine(*, user):
    return _rows(Report.objects.filter(reporter=user)).order_by("-created_at", "-id")


def todo_q(user) -> Q:
    """Waiting for me: reports at my level for students I answer for, reports
    transferred to me, urgent ones at level 3 for the college (level 4), the ones I
    accepted, and my own reports that wait for my confirmation or more information."""
    scope = scope_for(user)
    open_at_level = Q(state__in=OPEN_STATES, assignee__isnull=True)
    parts = [
        Q(state__in=OPEN_STATES, assignee=user),
        Q(handler=user, state__in=[State.ACCEPTED, State.HANDLED]),
        Q(reporter=user, state__in=[State.FED_BACK, State.RETURNED]),
    ]
    if scope.room_ids:
        parts.append(
            open_at_level
            & Q(level=1)
            & (Q(room_id__in=scope.room_ids) | Q(students__bed__room_id__in=scope.room_ids))
        )
    if scope.cadre_class_ids:
        parts.append(open_at_level & Q(level=2, classes__id__in=scope.cadre_class_ids))
    if scope.manage_class_ids:
        parts.append(open_at_level & Q(level=3, classes__id__in=scope.manage_class_ids))
    if scope.manage_college_ids:
        parts.append(open_at_level & Q(level=4, college_id__in=scope.manage_college_ids))
        parts.append(Q(state=State.REPORTED, urgent=True, level=3, college_id__in=scope.manage_college_ids))
    if scope.manage_everything:
        parts.append(open_at_level & Q(level=5))
    condition = parts[0]
    for part in parts[1:]:
        condition |= part
    return condition


def report_todo(*, user):
    return _rows(Report.objects.visible_to(user).filter(as_subqueries(Report, todo_q(user)))).order_by(
        "accept_due", "-id"
    )


def reports_by_ids(ids: list[int]) -> list[Report]:
    """These reports, in this order, with what a home-panel row shows — the category and the
    room, no students or classes (the ids come from a scoped list: the kept 待我处理)."""
    found = {r.pk: r for r in Report.objects.filter(pk__in=ids).select_related("category", "room__building")}
    return [found[pk] for pk in ids if pk in found]


def todo_count(user) -> int:
    """Asked by the navigation badge and the home panel: counted once per request.

    The reports of `todo_q`, with only its branches that cross a to-many relation (students,
    classes) as `pk IN (…)` subqueries: the others (assignee, handler, reporter, the college's
    level) are plain conditions on the report row. The same reports as `as_subqueries` over
    every branch, in SQL that takes a third less CPU to build on every page."""
    cached = getattr(user, "_campusgrid_todo_count", None)
    if cached is None:
        direct, crossing = [], []
        for child in todo_q(user).children:
            branch = child if isinstance(child, Q) else Q(child)
            (crossing if crosses_to_many(Report, branch) else direct).append(branch)
        parts = direct + [Q(pk__in=Report.objects.filter(branch).values("pk")) for branch in crossing]
        condition = parts[0]
        for part in parts[1:]:
            condition |= part
        cached = Report.objects.filter(condition).count()
        user._campusgrid_todo_count = cached
    return cached


def report_get(*, user, pk: int) -> Report:
    return get_visible_or_404(_base(Report.objects.all()), user, pk=pk)


def timeline(report: Report):
    return list(ReportEvent.objects.filter(report=report).select_related("actor"))


def reports_about(*, user, student: Student, limit: int = 20):
    return list(
        report_list(user=user).filter(pk__in=Report.objects.filter(students=student).values("pk"))[:limit]
    )


def since(days: int) -> dt.datetime:
    return clock.now() - dt.timedelta(days=days)


def log_sensitive(request, reports, action=AccessLog.Action.VIEW) -> None:
    """Reports of sensitive categories (心理健康, 违纪, 生活困难) are their students'
    sensitive data: one access-log row per student revealed (SPEC §4)."""
    students = {s.pk: s for r in reports if r.category.sensitive for s in r.students.all()}
    if students:
        sensitive.log_access(request=request, item="report", students=list(students.values()), action=action)
