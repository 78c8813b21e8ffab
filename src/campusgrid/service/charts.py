"""The service app's chart on the dashboards (issue 15 item 1, core.registry.Chart): the
semester's volunteer hours per class in the viewer's scope (per college for the office,
each opening that college's dashboard). Each bar sums the same rows the 志愿时长台账 lists
when filtered to the semester and the class (selectors.volunteer_credits), and carries
`rows`, the number of students that ledger page lists."""

from __future__ import annotations

from django.urls import reverse

from campusgrid.core.figures import list_url
from campusgrid.core.scoping import scope_for

from .selectors import sessions as selectors

CLASSES = 30  # the classes with the most hours


def _semester(user):
    """The current semester, else the latest one with volunteer hours the user sees."""
    from campusgrid.org.models import Semester

    current = Semester.current()
    if current is not None:
        return current
    latest = (
        selectors.volunteer_credits(user=user)
        .filter(semester__isnull=False)
        .order_by("-semester__start")
        .values("semester_id")
        .first()
    )
    return Semester.objects.filter(pk=latest["semester_id"]).first() if latest else None


def hours_by_class(request) -> dict:
    """志愿时长（按班级）: the semester's volunteer hours of each class's students."""
    user = request.user
    semester = _semester(user)
    if semester is None:
        return {"categories": [], "series": [], "empty": "还没有学期"}
    rows = selectors.volunteer_hours_by_class(user=user, semester=semester)
    if scope_for(user).spans_colleges:
        return _by_college(semester, rows)
    rows = rows[:CLASSES]
    data = [
        {
            "value": float(r["hours"] or 0),
            "rows": r["students"],
            "detail": f"{r['students']} 人",
            "url": list_url(
                request,
                "service:hours-ledger",
                {"semester": semester.pk, "school_class": r["student__school_class_id"]},
            ),
        }
        for r in rows
    ]
    return {
        "subtitle": semester.name,
        "categories": [r["student__school_class__name"] for r in rows],
        "series": [{"name": "志愿时长", "data": data}],
        "unit": "小时",
        **({} if rows else {"empty": "本学期还没有认定志愿时长"}),
    }


def _by_college(semester, rows) -> dict:
    from campusgrid.org.models import College

    totals: dict[int, dict] = {}
    for r in rows:
        t = totals.setdefault(r["student__college_id"], {"hours": 0, "students": 0})
        t["hours"] += float(r["hours"] or 0)
        t["students"] += r["students"]
    names = dict(College.objects.filter(pk__in=totals).values_list("id", "name"))
    ordered = sorted(totals, key=lambda pk: names.get(pk, ""))
    return {
        "subtitle": semester.name,
        "categories": [names.get(pk, "") for pk in ordered],
        "series": [
            {
                "name": "志愿时长",
                "data": [
                    {
                        "value": round(totals[pk]["hours"], 1),
                        "detail": f"{totals[pk]['students']} 人",
                        "url": reverse("dashboards:index") + f"?college={pk}",
                    }
                    for pk in ordered
                ],
            }
        ],
        "unit": "小时",
        **({} if ordered else {"empty": "本学期还没有认定志愿时长"}),
    }


def visible(user, scope) -> bool:
    from .policy import may_see_sessions

    return scope.is_manager and may_see_sessions(user, scope)
