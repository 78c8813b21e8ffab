"""What the reports app shows on other apps' pages: home panels and detail-page sections
(render functions that call selectors). Registered by hooks.py."""

from django.urls import reverse

from campusgrid.core.scoping import scope_for

from . import policy


def todo_panel(request):
    from campusgrid.core import clock
    from campusgrid.core.figures import figure

    from .selectors import report_todo

    if not policy.may_see_todo(request.user):
        return None
    qs = report_todo(user=request.user)
    items = list(qs[:8])
    if not items:
        if scope_for(request.user).is_plain_student:
            return None  # nothing to confirm: no empty red 0 on a student's landing
        count = 0
    else:
        count = len(items) if len(items) < 8 else qs.count()
    return {
        "items": items,
        "count": figure(request, "待我处理", count, "reports:todo"),
        "now": clock.now(),
    }


def open_reports_panel(request):
    """Open and overdue reports by category, for level 3 and above: one grouped count over
    the ledger's own selector and filters (?open=on, ?overdue=on, ?category=), each figure
    opening exactly its rows."""
    from django.db.models import Count

    from campusgrid.core import clock
    from campusgrid.core.figures import figure

    from .models import overdue_q
    from .selectors import report_list

    if not policy.may_see_open_reports(request.user):
        return None
    now = clock.now()
    grouped = (
        report_list(user=request.user, params={"open": "on"})
        .order_by()
        .values("category_id", "category__name")
        .annotate(open=Count("id"), overdue=Count("id", filter=overdue_q(now)))
        .order_by("-open", "category__name")
    )
    rows = []
    for row in grouped:
        category = {"category": row["category_id"]}
        rows.append(
            {
                "category__name": row["category__name"],
                "open": figure(
                    request,
                    f"{row['category__name']}未办结",
                    row["open"],
                    "reports:list",
                    {"open": "on", **category},
                ),
                "overdue": figure(
                    request,
                    f"{row['category__name']}超时",
                    row["overdue"],
                    "reports:list",
                    {"open": "on", "overdue": "on", **category},
                ),
            }
        )
    total = sum(r["open"].count for r in rows)
    overdue = sum(r["overdue"].count for r in rows)
    return {
        "rows": rows,
        "total": figure(request, "未办结", total, "reports:list", {"open": "on"}),
        "overdue": figure(request, "超时", overdue, "reports:list", {"open": "on", "overdue": "on"}),
    }


def _reports_by_college(user) -> dict:
    cached = getattr(user, "_campusgrid_reports_by_college", None)
    if cached is None:
        from django.db.models import Count, Q

        from campusgrid.core import clock

        from .models import OPEN_STATES, Report, State

        now = clock.now()
        overdue = Q(state=State.REPORTED, accept_due__lt=now) | Q(handle_due__lt=now)
        cached = {
            row["college_id"]: row
            for row in Report.objects.visible_to(user)
            .filter(state__in=OPEN_STATES)
            .values("college_id")
            .annotate(open=Count("id"), overdue=Count("id", filter=overdue))
        }
        user._campusgrid_reports_by_college = cached
    return cached


def _open_reports(user) -> dict:
    return {cid: row["open"] for cid, row in _reports_by_college(user).items()}


def _overdue_reports(user) -> dict:
    return {cid: row["overdue"] for cid, row in _reports_by_college(user).items()}


def student_reports_section(request, student):
    from .selectors import reports_about

    return {
        "reports": reports_about(user=request.user, student=student),
        "student": student,
        "new_url": reverse("reports:new") + f"?student={student.student_no}",
    }
