"""The party app's figures of the semester report (issue 15 item 4, SPEC §12), filling the
report's slots `party.developed` and `party.pipeline` (`core.registry.ReportFigure`;
unregistered they print 未启用). `party.awards` (优秀党员、先进个人) is left to the awards work.

A member is developed when the 党委 approves them as a probationary member: the file's step
`probationary` (党委审批（预备党员）) and its date. The college's files are those a leader of
the college sees (DevelopmentFile.college); the links open the 发展党员工作台 with the
college (and stage) in the query string."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count, Min
from django.urls import reverse

from campusgrid.core import clock
from campusgrid.core.registry import FigureValue, ReportFigure, register_report_figure

from .models.pipeline import DevelopmentFile, Stage


def _url(college, **params) -> str:
    query = {k: v for k, v in params.items() if v not in (None, "")}
    if college is not None:
        query["college"] = college.pk
    url = reverse("party:board")
    return f"{url}?{urlencode(query)}" if query else url


def _files(college):
    qs = DevelopmentFile.objects.all()
    return qs if college is None else qs.filter(college=college)


def developed(college, semester) -> FigureValue:
    """发展党员人数: the files that reached 预备党员 (approved by the 党委) in the semester up to
    today, and in the detail every one since the college's records start (the first
    application on file) — seed 004 reports its 194 over two years that way. Counted over
    the open files with the board's own 发展日期 filter (`developed_between`), so the link
    opens exactly them (a file closed since is no longer on the board, nor in the count)."""
    from .selectors.pipeline import developed_between, open_files

    last = min(semester.end, clock.today())
    files = open_files(_files(college))
    in_semester = developed_between(files, semester.start, last).count()
    since = developed_between(files, None, last).count()
    began = _files(college).aggregate(first=Min("applied_on"))["first"]
    detail = (
        f"自 {began:%Y年%m月} 有档案以来共发展 {since} 人（{_span(began, last)}）"
        if began is not None
        else "尚无发展党员档案"
    )
    url = _url(college, developed_from=semester.start.isoformat(), developed_to=last.isoformat())
    return FigureValue(in_semester, "人", url, detail)


def _span(began: dt.date, last: dt.date) -> str:
    months = (last.year - began.year) * 12 + last.month - began.month
    years, months = divmod(max(months, 0), 12)
    if years and months:
        return f"{years} 年 {months} 个月"
    return f"{years} 年" if years else f"{months} 个月"


def pipeline(college, semester) -> FigureValue:
    """发展阶段分布: the open files (not 终止) by stage now, one row a stage with its board link."""
    counts = dict(
        _files(college)
        .filter(closed_on__isnull=True)
        .order_by()
        .values("stage")
        .annotate(n=Count("id"))
        .values_list("stage", "n")
    )
    rows = [
        {"label": label, "value": counts.get(value, 0), "url": _url(college, stage=value)}
        for value, label in Stage.choices
    ]
    total = sum(counts.values())
    closed = _files(college).filter(closed_on__isnull=False).count()
    return FigureValue(
        total,
        "人",
        _url(college),
        f"在培养档案 {total} 份（截至报告生成时），终止培养 {closed} 份",
        rows,
        [],
        "bar",
    )


def awards(college, semester) -> FigureValue:
    """评优: the semester's published 学生公寓优秀党员 and 先进个人, one row an award; each row
    opens the award list filtered to it (the list is scoped: a leader sees their college)."""
    from .models.awards import Award, AwardKind, AwardState

    published = Award.objects.filter(semester=semester, state=AwardState.PUBLISHED)
    if college is not None:
        published = published.filter(branch__college=college)
    counts = dict(published.order_by().values("kind").annotate(n=Count("id")).values_list("kind", "n"))

    def url(**params) -> str:
        query = {"semester": semester.pk, "state": AwardState.PUBLISHED, **params}
        return f"{reverse('party:award-list')}?{urlencode(query)}"

    rows = [
        {"label": label, "value": counts.get(value, 0), "url": url(kind=value)}
        for value, label in AwardKind.choices
    ]
    total = sum(counts.values())
    return FigureValue(total, "人", url(), f"本学期公布的公寓评优 {total} 人", rows, [], "")


FIGURES = [
    ReportFigure("party.developed", "party", "发展党员人数", developed, 10, "党建"),
    ReportFigure("party.pipeline", "party", "发展阶段分布", pipeline, 20, "党建"),
    ReportFigure("party.awards", "awards", "学生公寓优秀党员、先进个人", awards, 30, "党建"),
]


def register() -> None:
    for figure in FIGURES:
        register_report_figure(figure)
