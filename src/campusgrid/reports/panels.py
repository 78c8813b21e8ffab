"""What the reports app shows on other apps' pages: home panels and detail-page sections
(render functions that call selectors). Registered by hooks.py."""

from django.urls import reverse

from campusgrid.core.scoping import scope_for

from . import policy


def todo_panel(request):
    from campusgrid.core import clock

    from .selectors import report_todo

    if not policy.may_see_todo(request.user):
        return None
    qs = report_todo(user=request.user)
    items = list(qs[:8])
    if not items:
        if scope_for(request.user).is_plain_student:
            return None  # nothing to confirm: no empty red 0 on a student's landing
        return {"items": [], "count": 0, "now": clock.now()}
    from .selectors import todo_count

    return {"items": items, "count": todo_count(request.user), "now": clock.now()}


def open_reports_panel(request):
    """Open and overdue reports by category, for level 3 and above."""
    from django.db.models import Count

    from campusgrid.core import clock

    from .models import OPEN_STATES, Report, overdue_q

    if not policy.may_see_open_reports(request.user):
        return None
    now = clock.now()
    visible = Report.objects.visible_to(request.user).filter(state__in=OPEN_STATES)
    rows = list(
        Report.objects.filter(pk__in=visible.values("pk"))
        .values("category__name")
        .annotate(
            open=Count("id"),
            overdue=Count("id", filter=overdue_q(now)),
        )
        .order_by("-open")
    )
    return {"rows": rows, "total": sum(r["open"] for r in rows), "overdue": sum(r["overdue"] for r in rows)}


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
