from django.urls import reverse

from campusgrid.core.registry import (
    CollegeColumn,
    DemoStep,
    NavItem,
    Panel,
    PersonalDataPart,
    RetentionRule,
    Section,
    TickJob,
    register_college_column,
    register_demo_step,
    register_nav,
    register_opener,
    register_panel,
    register_personal_data,
    register_retention_rule,
    register_section,
    register_tick_job,
)
from campusgrid.core.scoping import scope_for

from . import policy


def _todo_badge(user):
    from .selectors import todo_count

    return todo_count(user) or None


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


def _escalate(now):
    from .services import escalate_overdue

    return escalate_overdue(now)


def _erase_reports(students, dry_run):
    from .retention import erase_sensitive_reports

    return erase_sensitive_reports(students, dry_run)


def _collect_filed(student):
    from .personal_data import collect_filed

    return collect_filed(student)


def register():
    register_nav(NavItem("上报问题", "reports:new", "megaphone", order=2, visible=policy.may_report))
    register_nav(
        NavItem("待我处理", "reports:todo", "inbox", order=3, visible=policy.may_see_todo, badge=_todo_badge)
    )
    register_nav(NavItem("我的上报", "reports:mine", "send", order=4, visible=policy.may_report))
    register_nav(
        NavItem("异常情况台账", "reports:list", "journal-text", order=30, visible=policy.may_see_ledger)
    )
    register_opener("reports:detail", policy.may_open_report)
    register_college_column(CollegeColumn("open-reports", "待处理上报", _open_reports, order=20))
    register_college_column(
        CollegeColumn("overdue-reports", "超时上报", _overdue_reports, order=21, kind="alert")
    )
    register_panel(Panel("reports-todo", "reports/panel_todo.html", todo_panel, order=1))
    register_panel(Panel("reports-open", "reports/panel_open.html", open_reports_panel, order=20))
    register_section(
        "student", Section("reports", "reports/section_student.html", student_reports_section, order=30)
    )
    register_tick_job(TickJob("reports.escalate_overdue", _escalate, order=10))
    register_demo_step(DemoStep("问题上报", _demo, order=20))
    register_retention_rule(RetentionRule("reports.sensitive", "敏感类别上报", _erase_reports, order=30))
    register_personal_data(PersonalDataPart("reports.reports", "我上报的问题", _collect_filed, order=40))


def _demo(demo):
    from .demo import build

    build(demo)
