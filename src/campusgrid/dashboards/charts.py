"""Chart data selectors of the dashboards (issue 15 item 1): each reads through the owning app's
scoped selectors with the viewing user, and every datum carries the URL of the list of exactly
its rows (core.figures.list_url, the same filters as the list page's), so a click on a bar
opens them. Registered as core.registry.Chart entries in hooks.py; party and service add
theirs from their own hooks the same way.

The university office without a college focus sees colleges side by side (one bar a college,
each opening that college's dashboard); with ?college= it sees the college as its leader does."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.urls import reverse

from campusgrid.core import clock
from campusgrid.core.figures import list_url
from campusgrid.core.scoping import scope_for

WEEKS = 12  # the weekly charts show the last twelve weeks


def _datum(value, url: str, **extra) -> dict:
    return {"value": value, "url": url, **extra}


def _spans(request) -> bool:
    return scope_for(request.user).spans_colleges


def _college_dashboard(college_id: int) -> str:
    return reverse("dashboards:index") + f"?college={college_id}"


def _pct(done: int, total: int) -> float:
    return round(done * 100 / total, 1) if total else 0.0


# --- coverage ------------------------------------------------------------------------------------


def _coverage(request):
    """The audit, kept while its inputs are unchanged (grid.coverage.compute_cached)."""
    from campusgrid.grid import coverage

    return coverage.compute_cached(request.user)


def coverage_by_class(request) -> dict:
    """覆盖率 per class (the lowest first), or per college for the office."""
    result = _coverage(request)
    if _spans(request):
        rates = sorted(result.by_college, key=lambda r: r.label)
        data = [_datum(_pct(r.covered, r.total), _college_dashboard(int(r.key))) for r in rates]
    else:
        rates = result.by_class[:40]
        data = [
            _datum(_pct(r.covered, r.total), list_url(request, "grid:coverage", {"class": r.label}))
            for r in rates
        ]
    return {
        "categories": [r.label for r in rates],
        "series": [{"name": "覆盖率", "data": data}],
        "unit": "%",
        "max": 100,
    }


def coverage_by_building(request) -> dict:
    result = _coverage(request)
    rates = result.by_building
    return {
        "categories": [r.label for r in rates],
        "series": [
            {
                "name": "覆盖率",
                "data": [
                    _datum(
                        _pct(r.covered, r.total), list_url(request, "grid:coverage", {"building": r.label})
                    )
                    for r in rates
                ],
            }
        ],
        "unit": "%",
        "max": 100,
    }


# --- reports -------------------------------------------------------------------------------------


def reports_by_category(request) -> dict:
    """Open reports by category, stacked: overdue and still within their deadlines."""
    from campusgrid.reports.models import overdue_q
    from campusgrid.reports.selectors import report_list

    now = clock.now()
    rows = list(
        report_list(user=request.user, params={"open": "on"})
        .order_by()
        .values("category_id", "category__name")
        .annotate(open=Count("id"), overdue=Count("id", filter=overdue_q(now)))
        .order_by("-open", "category__name")
    )

    def url(row, overdue):
        return list_url(
            request, "reports:list", {"open": "on", "category": row["category_id"], "overdue": overdue}
        )

    return {
        "categories": [r["category__name"] for r in rows],
        "series": [
            {
                "name": "未超时",
                "stack": "open",
                "data": [_datum(r["open"] - r["overdue"], url(r, "no")) for r in rows],
            },
            {"name": "已超时", "stack": "open", "data": [_datum(r["overdue"], url(r, "on")) for r in rows]},
        ],
    }


def _weeks(weeks: int = WEEKS) -> list[dt.date]:
    today = clock.today()
    monday = today - dt.timedelta(days=today.weekday())
    return [monday - dt.timedelta(weeks=i) for i in range(weeks - 1, -1, -1)]


def _semester_weeks() -> list[dt.date]:
    """The Mondays of the current semester up to this week (the last twelve weeks outside one)."""
    from campusgrid.org.models import Semester

    semester = Semester.current()
    if semester is None:
        return _weeks()
    today = clock.today()
    start = semester.start - dt.timedelta(days=semester.start.weekday())
    weeks = []
    while start <= min(today, semester.end):
        weeks.append(start)
        start += dt.timedelta(weeks=1)
    return weeks[-26:] or _weeks()


def _week_range(monday: dt.date) -> dict:
    return {"date_from": monday.isoformat(), "date_to": (monday + dt.timedelta(days=6)).isoformat()}


def reports_trend(request) -> dict:
    """Reports filed per week of the semester, and how many of them are still open."""
    from campusgrid.reports.models import OPEN_STATES
    from campusgrid.reports.selectors import report_list

    weeks = _semester_weeks()
    first = weeks[0]
    rows = {
        row["week"].date() if hasattr(row["week"], "date") else row["week"]: row
        for row in report_list(user=request.user, params={"date_from": first.isoformat()})
        .order_by()
        .annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(filed=Count("id"), open=Count("id", filter=Q(state__in=OPEN_STATES)))
    }
    filed, still_open = [], []
    for monday in weeks:
        row = rows.get(monday, {})
        span = _week_range(monday)
        filed.append(_datum(row.get("filed", 0), list_url(request, "reports:list", span)))
        still_open.append(
            _datum(row.get("open", 0), list_url(request, "reports:list", {**span, "open": "on"}))
        )
    return {
        "categories": [f"{m:%m-%d}" for m in weeks],
        "series": [{"name": "上报", "data": filed}, {"name": "其中未办结", "data": still_open}],
    }


# --- ledgers -------------------------------------------------------------------------------------


def night_progress_gauges(request) -> dict:
    """Tonight's check: rooms checked per building (students checked per college for the office)."""
    from campusgrid.ledgers import selectors

    date = selectors.night_to_show()
    day = date.isoformat()
    night = {"status": "all", "date_from": day, "date_to": day}
    if _spans(request):
        from campusgrid.org.models import College

        counts = selectors.night_by_college(user=request.user, date=date)
        names = dict(College.objects.visible_to(request.user).values_list("id", "name"))
        gauges = [
            _datum(_pct(c["checked"], c["total"]), _college_dashboard(cid), name=names.get(cid, ""))
            for cid, c in sorted(counts.items(), key=lambda item: names.get(item[0], ""))
        ]
    else:
        progress = selectors.night_progress(user=request.user, date=date, buildings=True)
        gauges = [
            _datum(
                _pct(b["checked"], b["rooms"]),
                list_url(request, "ledgers:night-list", {**night, "building": b["building__name"]}),
                name=b["building__name"],
                detail=f"{b['checked']}/{b['rooms']} 间",
            )
            for b in progress["buildings"]
        ]
    return {"series": [{"name": "已查", "data": gauges[:24]}], "unit": "%", "date": day}


def absences_per_week(request) -> dict:
    from campusgrid.ledgers import selectors

    weeks = _weeks()
    rows = {
        row["week"]: row["n"]
        for row in selectors.night_entry_list(
            user=request.user, filters={"status": "absent", "date_from": weeks[0]}
        )
        .order_by()
        .annotate(week=TruncWeek("date"))
        .values("week")
        .annotate(n=Count("id"))
    }
    rows = {(k.date() if hasattr(k, "date") else k): n for k, n in rows.items()}
    return {
        "categories": [f"{m:%m-%d}" for m in weeks],
        "series": [
            {
                "name": "夜不归宿",
                "data": [
                    _datum(
                        rows.get(m, 0),
                        list_url(request, "ledgers:night-list", {"status": "absent", **_week_range(m)}),
                    )
                    for m in weeks
                ],
            }
        ],
    }


def holiday_outstanding(request) -> dict | None:
    """The latest holiday's registrations not back yet: away, overdue, not left yet."""
    from campusgrid.ledgers import selectors
    from campusgrid.ledgers.models import HolidayStatus

    registrations = selectors.holiday_registration_list(user=request.user)
    latest = registrations.order_by("-holiday__start").values("holiday_id", "holiday__name").first()
    if latest is None:
        return {"categories": [], "series": [], "empty": "还没有节假日离校登记"}
    holiday = {"holiday": latest["holiday_id"]}
    counts = (
        selectors.holiday_registration_list(user=request.user, filters=holiday)
        .order_by()
        .aggregate(**registrations.status_counts(clock.now()))
    )
    shown = [HolidayStatus.OVERDUE, HolidayStatus.AWAY, HolidayStatus.PLANNED]
    return {
        "subtitle": latest["holiday__name"],
        "categories": [HolidayStatus(s).label for s in shown],
        "series": [
            {
                "name": "人数",
                "data": [
                    _datum(
                        counts[s],
                        list_url(
                            request, "ledgers:holiday-ledger", {**holiday, "status": s, "format": "xlsx"}
                        ),
                    )
                    for s in shown
                ],
            }
        ],
    }


def hazards(request) -> dict:
    """Hazards by state, with the rectification rate (rectified of all found) as the subtitle."""
    from campusgrid.ledgers import selectors
    from campusgrid.ledgers.models import FindingState

    counts = dict(
        selectors.finding_list(user=request.user)
        .order_by()
        .values("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    total = sum(counts.values())
    states = list(FindingState)
    done = sum(n for s, n in counts.items() if s != FindingState.OPEN)
    overdue = selectors.finding_list(user=request.user, filters={"overdue": "on"}).count()
    categories = [s.label for s in states] + ["逾期未整改"]
    data = [
        _datum(counts.get(s, 0), list_url(request, "ledgers:finding-list", {"state": s.value}))
        for s in states
    ]
    data.append(_datum(overdue, list_url(request, "ledgers:finding-list", {"overdue": "on"})))
    return {
        "subtitle": f"整改率 {_pct(done, total)}%（{done}/{total}）" if total else "还没有隐患记录",
        "categories": categories,
        "series": [{"name": "隐患", "data": data}],
    }


def illegal_rate(request) -> dict:
    """The illegal-appliance rate per safety inspection round (the inspections page's chart)."""
    from campusgrid.ledgers import selectors

    series = selectors.illegal_rate_series(user=request.user)
    ids = series.get("ids") or [None] * len(series["rates"])
    data = [
        _datum(
            rate,
            list_url(request, "ledgers:inspection-round", args=[pk])
            if pk
            else list_url(request, "ledgers:inspection-list"),
            detail=f"{series['titles'][i]}：{series['illegal'][i]}/{series['inspected'][i]} 间",
        )
        for i, (rate, pk) in enumerate(zip(series["rates"], ids, strict=False))
    ]
    change = series.get("change")
    return {
        "categories": series["dates"],
        "series": [{"name": "违章电器率", "data": data}],
        "unit": "%",
        "subtitle": f"首末批次变化 {change:+}%" if change is not None else "",
    }


def ratings_distribution(request) -> dict:
    """文明宿舍评比: rooms by stars in the latest rated semester."""
    from campusgrid.ledgers import selectors

    rated = (
        selectors.rating_list(user=request.user).order_by("-semester__start").values("semester_id").first()
    )
    semester = selectors.rating_semesters().filter(pk=rated["semester_id"]).first() if rated else None
    if semester is None:
        return {"categories": [], "series": [], "empty": "还没有评比结果"}
    counts = dict(
        selectors.rating_list(user=request.user, semester=semester)
        .order_by()
        .values("stars")
        .annotate(n=Count("id"))
        .values_list("stars", "n")
    )
    stars = sorted({*counts, 1, 2, 3, 4, 5})

    def url(s):
        return list_url(request, "ledgers:ratings", {"semester": semester.pk, "stars": s})

    return {
        "subtitle": semester.name,
        "categories": [f"{s}星" for s in stars],
        "series": [{"name": "寝室", "data": [_datum(counts.get(s, 0), url(s)) for s in stars]}],
    }
