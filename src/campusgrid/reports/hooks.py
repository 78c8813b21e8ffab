"""What the reports app plugs into the rest: navigation, home panels (render functions in
panels.py), sections, `tick` jobs, demo steps. One register(), called from the app's ready()."""

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

from . import policy
from .panels import _open_reports, _overdue_reports, open_reports_panel, student_reports_section, todo_panel


def _todo_badge(user):
    from .selectors import todo_count

    return todo_count(user) or None


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
    from campusgrid.core.fingerprint import watch

    from .panels import panel_inputs
    from .selectors import list_inputs

    watch(*list_inputs())  # the home panels' and the list pages' kept figures
    register_nav(
        NavItem("上报问题", "reports:new", "megaphone", order=2, visible=policy.may_report, group="report")
    )
    register_nav(
        NavItem(
            "待我处理",
            "reports:todo",
            "inbox",
            order=3,
            visible=policy.may_see_todo,
            badge=_todo_badge,
            group="report",
            inputs=panel_inputs,
        )
    )
    register_nav(
        NavItem("我的上报", "reports:mine", "send", order=4, visible=policy.may_report, group="report")
    )
    register_nav(
        NavItem(
            "异常情况台账",
            "reports:list",
            "journal-text",
            order=30,
            visible=policy.may_see_ledger,
            group="report",
        )
    )
    register_opener("reports:detail", policy.may_open_report)
    register_college_column(
        CollegeColumn(
            "open-reports",
            "待处理上报",
            _open_reports,
            order=20,
            link=lambda: ("reports:list", {"open": "on"}),
        )
    )
    register_college_column(
        CollegeColumn(
            "overdue-reports",
            "超时上报",
            _overdue_reports,
            order=21,
            kind="alert",
            link=lambda: ("reports:list", {"open": "on", "overdue": "on"}),
        )
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
