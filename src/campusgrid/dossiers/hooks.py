"""What the dossiers app plugs into the rest: navigation, home panels (render functions in
panels.py), sections, `tick` jobs, demo steps. One register(), called from the app's ready()."""

from campusgrid.core.registry import (
    DemoStep,
    NavItem,
    Panel,
    RetentionRule,
    Section,
    TickJob,
    register_demo_step,
    register_nav,
    register_panel,
    register_retention_rule,
    register_section,
    register_tick_job,
)

from .panels import key_students_panel, student_dossier_section
from .policy import is_college_leader, is_manager, may_use_dossiers


def _manager(user, scope) -> bool:
    return is_manager(user)


def _proposal_badge(user):
    from .selectors import open_proposal_count

    return open_proposal_count(user=user) or None


def _reminders(now):
    from .services import review_reminders

    return review_reminders(now)


def _warnings(now):
    from .warnings import run_rules

    return run_rules(now)


def _demo(demo):
    from .demo import build

    build(demo)


def _erase_dossiers(students, dry_run):
    from .retention import erase_dossiers

    return erase_dossiers(students, dry_run)


def register():
    from campusgrid.core.fingerprint import watch

    from .selectors import panel_inputs

    watch(*panel_inputs())
    register_nav(
        NavItem(
            "重点学生",
            "dossiers:list",
            "person-exclamation",
            order=40,
            visible=lambda u, s: may_use_dossiers(u),
            group="dossier",
        )
    )
    register_nav(
        NavItem(
            "重点学生预警",
            "dossiers:warnings",
            "bell",
            order=41,
            visible=_manager,
            badge=_proposal_badge,
            group="dossier",
            inputs=panel_inputs,
        )
    )
    register_nav(
        NavItem(
            "心理筛查",
            "dossiers:screening",
            "heart-pulse",
            order=42,
            visible=lambda u, s: may_use_dossiers(u),
            group="dossier",
        )
    )
    register_nav(
        NavItem(
            "敏感信息授权",
            "dossiers:grants",
            "key",
            order=91,
            visible=lambda u, s: is_college_leader(u),
            group="admin",
        )
    )
    register_nav(
        NavItem(
            "访问日志",
            "dossiers:access-log",
            "shield-lock",
            order=92,
            visible=lambda u, s: is_college_leader(u),
            group="admin",
        )
    )
    register_panel(Panel("key-students", "dossiers/panel.html", key_students_panel, order=15))
    register_section(
        "student", Section("dossier", "dossiers/section_student.html", student_dossier_section, order=5)
    )
    register_tick_job(TickJob("dossiers.review_reminders", _reminders, order=40))
    register_tick_job(TickJob("dossiers.early_warning", _warnings, order=41))
    register_demo_step(DemoStep("重点学生与心理筛查", _demo, order=60))
    register_retention_rule(
        RetentionRule("dossiers", "重点学生档案、谈心谈话、心理筛查", _erase_dossiers, order=20)
    )
