from django.urls import reverse

from campusgrid.core.registry import (
    DemoStep,
    NavItem,
    Panel,
    Section,
    TickJob,
    register_demo_step,
    register_nav,
    register_panel,
    register_section,
    register_tick_job,
)


def _todo_badge(user):
    from .selectors import todo_count

    return todo_count(user) or None


def _reach(user, scope):
    return not scope.is_empty


def todo_panel(request):
    from campusgrid.core import clock

    from .selectors import report_todo

    qs = report_todo(user=request.user)
    items = list(qs[:8])
    if not items and not request.user.reports_filed.exists():
        return {"items": [], "count": 0, "now": clock.now()}
    from .selectors import todo_count

    return {"items": items, "count": todo_count(request.user), "now": clock.now()}


def open_reports_panel(request):
    """Open and overdue reports by category, for level 3 and above."""
    from django.db.models import Count

    from campusgrid.core import clock
    from campusgrid.core.scoping import scope_for

    from .models import OPEN_STATES, Report, overdue_q

    scope = scope_for(request.user)
    if not (scope.manage_everything or scope.manage_college_ids or scope.manage_class_ids):
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


def student_reports_section(request, student):
    from .selectors import reports_about

    return {
        "reports": reports_about(user=request.user, student=student),
        "student": student,
        "new_url": reverse("reports:new") + f"?student={student.student_no}",
    }


def _escalate(now):
    from .services import escalate_overdue

    return escalate_overdue(now)


def register():
    register_nav(NavItem("上报问题", "reports:new", "megaphone", order=2, visible=_reach))
    register_nav(NavItem("待我处理", "reports:todo", "inbox", order=3, visible=_reach, badge=_todo_badge))
    register_nav(NavItem("我的上报", "reports:mine", "send", order=4, visible=_reach))
    register_nav(
        NavItem(
            "异常情况台账",
            "reports:list",
            "journal-text",
            order=30,
            visible=lambda u, s: s.top_level >= 2 or s.everything,
        )
    )
    register_panel(Panel("reports-todo", "reports/panel_todo.html", todo_panel, order=1))
    register_panel(Panel("reports-open", "reports/panel_open.html", open_reports_panel, order=20))
    register_section(
        "student", Section("reports", "reports/section_student.html", student_reports_section, order=30)
    )
    register_tick_job(TickJob("reports.escalate_overdue", _escalate, order=10))
    register_demo_step(DemoStep("问题上报", _demo, order=20))


def _demo(demo):
    from .demo import build

    build(demo)
