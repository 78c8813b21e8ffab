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


def _people_filters(college, semester) -> dict:
    first, last = _days(semester)
    return {"college_id": college.pk if college is not None else None, "date_from": first, "date_to": last}


def _activities(college, semester):
    """The volunteer sessions of the college held in the semester (up to today) — the rows of
    the session list filtered by kind 志愿服务 and these dates."""
    from .selectors.volunteers import volunteer_sessions

    return volunteer_sessions(**_people_filters(college, semester))


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
    activities — present, late or made up — or were credited volunteer hours for them: the
    rows of the 志愿者名单 (selectors.volunteers.volunteer_people), which the figure opens.
    Its row 认定志愿时长的学生 counts the students of the 志愿时长台账 for the same
    activities (selectors.volunteer_credits, the ledger's own rows)."""
    from campusgrid.core.viewer import Viewer

    from .selectors.sessions import volunteer_credits
    from .selectors.volunteers import volunteer_people

    viewer = Viewer(college)
    people = list(volunteer_people(user=viewer, **_people_filters(college, semester)))
    students = sum(1 for p in people if p["student_id"])
    staff = len(people) - students
    first, last = _days(semester)
    dates = {"date_from": first.isoformat(), "date_to": last.isoformat()}
    ledger = volunteer_credits(user=viewer, date_from=first, date_to=last)
    with_hours = ledger.values("student_id").distinct().count()
    hours = ledger.aggregate(total=Sum("hours"))["total"] or 0
    ledger_url = _url("service:hours-ledger", college, **dates)
    return FigureValue(
        len(people),
        "人",
        _url("service:volunteer-list", college, **dates),
        f"学生 {students} 人（认定志愿时长 {with_hours} 人，共 {hours:g} 小时），教职工 {staff} 人",
        [{"label": "认定志愿时长的学生", "value": with_hours, "url": ledger_url}],
        [],
        "",
    )


def students_served(college, semester) -> FigureValue:
    """服务学生人数: the students the semester's volunteer activities served — those recorded
    by 学号 (each once, however many activities served them: the rows of the 服务学生名单,
    selectors.volunteers.served_students, which the figure opens) plus the counts recorded
    for people not on the register (人次, from the activities that recorded them)."""
    from campusgrid.core.viewer import Viewer

    from .selectors.volunteers import served_students, served_unregistered

    viewer, filters = Viewer(college), _people_filters(college, semester)
    registered = served_students(user=viewer, **filters).count()
    unregistered = served_unregistered(user=viewer, **filters)
    counted = unregistered["total"]
    first, last = _days(semester)
    dates = {"date_from": first.isoformat(), "date_to": last.isoformat()}
    url = _url("service:served-list", college, **dates)
    return FigureValue(
        registered + counted,
        "人",
        url,
        f"按学号登记 {registered} 人（去重），另计未在册 {counted} 人次",
        [
            {"label": "按学号登记（去重）", "value": registered, "url": url},
            {
                "label": "未在册服务对象（人次）",
                "value": counted,
                "url": _url("service:session-list", college, kind="volunteer", unregistered="on", **dates),
            },
        ],
        [],
        "",
    )


FIGURES = [
    ReportFigure("service.students_served", "service", "服务学生人数", students_served, 10, "志愿服务"),
    ReportFigure("service.activities", "service", "开展服务活动次数", activities, 20, "志愿服务"),
    ReportFigure("service.volunteers", "people", "志愿者（党员志愿服务队）", volunteers, 40, "志愿服务"),
]


def register() -> None:
    for figure in FIGURES:
        register_report_figure(figure)
