"""The service app's figures of the semester report (issue 15 item 4, SPEC §12), filling the
report's slots `service.volunteers`, `service.students_served` and `service.activities`
(`core.registry.ReportFigure`; unregistered they print 未启用).

Each counts the volunteer activities (sessions of kind 志愿服务) of the college — the
sessions a leader of the college sees — held in the semester up to today, and links to the
list of those rows with the same filters (`?college=` narrows the office's view to the
college, grid.middleware)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count, Sum
from django.urls import reverse

from campusgrid.core import clock
from campusgrid.core.registry import FigureValue, ReportFigure, register_report_figure


def _days(semester) -> tuple[dt.date, dt.date]:
    return semester.start, min(semester.end, clock.today())


def _url(name: str, college, **params) -> str:
    query = {k: v for k, v in params.items() if v not in (None, "")}
    if college is not None:
        query["college"] = college.pk
    url = reverse(name)
    return f"{url}?{urlencode(query)}" if query else url


def _activities(college, semester):
    """The volunteer sessions of the college held in the semester (up to today) — the rows of
    the session list filtered by kind 志愿服务 and these dates."""
    from .models import Session, SessionKind

    first, last = _days(semester)
    qs = Session.objects.filter(
        kind=SessionKind.VOLUNTEER, starts_at__date__gte=first, starts_at__date__lte=last
    )
    return qs if college is None else qs.filter(college=college)


def _session_url(college, semester) -> str:
    first, last = _days(semester)
    return _url(
        "service:session-list",
        college,
        kind="volunteer",
        date_from=first.isoformat(),
        date_to=last.isoformat(),
    )


def activities(college, semester) -> FigureValue:
    """开展服务活动次数: the volunteer sessions held."""
    sessions = _activities(college, semester)
    figures = sessions.aggregate(total=Count("id"), teams=Count("team", distinct=True))
    return FigureValue(
        figures["total"],
        "次",
        _session_url(college, semester),
        f"志愿服务活动 {figures['total']} 次，由 {figures['teams']} 支志愿服务队组织",
    )


def volunteers(college, semester) -> FigureValue:
    """志愿者: the people (students and staff) who took part in the semester's volunteer
    activities — present, late or made up — or were credited volunteer hours for them. Its
    row 认定志愿时长的学生 counts the students of the 志愿时长台账 for the activities held in
    the semester up to today (selectors.volunteer_credits, the ledger's own rows), which the
    figure opens; no list shows the attendees without hours or the staff."""
    from campusgrid.core.viewer import Viewer

    from .models import ATTENDED, Attendance, HoursCredit, HoursKind
    from .selectors.sessions import volunteer_credits

    sessions = _activities(college, semester).values("pk")
    attended = set(
        Attendance.objects.filter(session__in=sessions, status__in=ATTENDED).values_list(
            "student_id", "staff_id"
        )
    )
    credited = set(
        HoursCredit.objects.filter(session__in=sessions, kind=HoursKind.VOLUNTEER).values_list(
            "student_id", "staff_id"
        )
    )
    people = attended | credited
    students = sum(1 for s, _ in people if s)
    staff = len(people) - students
    first, last = _days(semester)
    dates = {"date_from": first.isoformat(), "date_to": last.isoformat()}
    ledger = volunteer_credits(user=Viewer(college), date_from=first, date_to=last)
    with_hours = ledger.values("student_id").distinct().count()
    hours = ledger.aggregate(total=Sum("hours"))["total"] or 0
    url = _url("service:hours-ledger", college, **dates)
    return FigureValue(
        len(people),
        "人",
        url,
        f"学生 {students} 人（认定志愿时长 {with_hours} 人，共 {hours:g} 小时），教职工 {staff} 人",
        [{"label": "认定志愿时长的学生", "value": with_hours, "url": url}],
        [],
        "",
    )


def students_served(college, semester) -> FigureValue:
    """服务学生人数: the students the semester's volunteer activities served — those recorded
    by 学号 (each once, however many activities served them) plus the counts recorded for
    people not on the register."""
    from .models import Session

    sessions = _activities(college, semester)
    registered = (
        Session.served_students.through.objects.filter(session__in=sessions.values("pk"))
        .values("student_id")
        .distinct()
        .count()
    )
    counted = sessions.aggregate(n=Sum("served_count"))["n"] or 0
    return FigureValue(
        registered + counted,
        "人",
        _session_url(college, semester),
        f"按学号登记 {registered} 人（去重），另计未在册 {counted} 人次",
    )


FIGURES = [
    ReportFigure("service.students_served", "service", "服务学生人数", students_served, 10, "志愿服务"),
    ReportFigure("service.activities", "service", "开展服务活动次数", activities, 20, "志愿服务"),
    ReportFigure("service.volunteers", "people", "志愿者（党员志愿服务队）", volunteers, 40, "志愿服务"),
]


def register() -> None:
    for figure in FIGURES:
        register_report_figure(figure)
