"""What the reports app shows on other apps' pages: home panels and detail-page sections
(render functions that call selectors). Registered by hooks.py."""

from django.urls import reverse

from campusgrid.core.scoping import scope_for

from . import policy


def panel_inputs() -> tuple:
    """The tables the home panels' report lists read (their change counters key the kept
    figures): the reports, their students and classes, and the posts that route them."""
    from campusgrid.grid.models import Post
    from campusgrid.org.models import Bed
    from campusgrid.people.models import Student

    from .models import Category, Report

    return (Report, Report.students.through, Report.classes.through, Category, Student, Bed, Post)


def todo_panel(request):
    """The first eight of 待我处理 and their count: which reports they are is kept until a table
    they read changes or the minute turns (core.fingerprint.kept); the eight are then read
    fresh by id, so their states and badges are this request's."""
    from campusgrid.core import clock
    from campusgrid.core.figures import figure
    from campusgrid.core.fingerprint import check_inputs, kept

    from .selectors import report_todo, reports_by_ids

    if not policy.may_see_todo(request.user):
        return None
    user = request.user

    def head() -> tuple[list[int], int]:
        qs = report_todo(user=user)
        check_inputs("reports-todo", panel_inputs(), [qs])
        ids = list(qs.values_list("pk", flat=True)[:8])
        return ids, len(ids) if len(ids) < 8 else qs.count()

    ids, count = kept(user, "reports-todo", panel_inputs(), head)
    if not ids and scope_for(user).is_plain_student:
        return None  # nothing to confirm: no empty red 0 on a student's landing
    return {
        "items": reports_by_ids(ids),
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
    from campusgrid.core.fingerprint import check_inputs, kept

    from .models import overdue_q
    from .selectors import report_list

    if not policy.may_see_open_reports(request.user):
        return None
    user = request.user

    def compute() -> list[dict]:
        qs = report_list(user=user, params={"open": "on"})
        check_inputs("reports-open", panel_inputs(), [qs])
        return list(
            qs.order_by()
            .values("category_id", "category__name")
            .annotate(open=Count("id"), overdue=Count("id", filter=overdue_q(clock.now())))
            .order_by("-open", "category__name")
        )

    grouped = kept(user, "reports-open", panel_inputs(), compute)
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
