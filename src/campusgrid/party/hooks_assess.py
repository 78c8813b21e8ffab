"""What assessments, awards and meetings plug into the rest: navigation, home panels, the
student page's and dossier's awards section, the quarterly meeting flag, the demo step.
One register(), called from hooks.register()."""

from __future__ import annotations

from campusgrid.core.registry import (
    AssessmentSource,
    DemoStep,
    NavItem,
    Panel,
    PersonalDataPart,
    RetentionRule,
    Section,
    TickJob,
    register_assessment_source,
    register_demo_step,
    register_nav,
    register_panel,
    register_personal_data,
    register_retention_rule,
    register_section,
    register_tick_job,
)

from . import panels_assess as panels
from . import policy_assess as policy
from . import sources_assess as sources


def _flag_quarters(now):
    from .services.meetings import meeting_flag_quarters

    return meeting_flag_quarters(now)


def _demo(demo):
    from .demo_assess import build

    build(demo)


def _collect_assessments(student):
    from .personal_data_assess import collect_assessments

    return collect_assessments(student)


def _collect_awards(student):
    from .personal_data_assess import collect_awards

    return collect_awards(student)


def _erase_assessments(students, dry_run):
    from .personal_data_assess import erase_assessments

    return erase_assessments(students, dry_run)


def _desk_inputs() -> tuple:
    """What `policy.nav_desk` reads beyond the scope (selectors.awards.desk_branches)."""
    from campusgrid.grid.models import PartyBranch, PartyRoom
    from campusgrid.org.models import Bed, Room
    from campusgrid.people.models import Student

    return (PartyBranch, PartyRoom, Room, Bed, Student)


def register() -> None:
    register_nav(
        NavItem(
            "我的评议",
            "party:assess-mine",
            "clipboard-check",
            order=12,
            visible=policy.nav_assess,
            group="party",
        )
    )
    register_nav(
        NavItem(
            "评议进度",
            "party:assess-progress",
            "list-check",
            order=40,
            visible=policy.nav_desk,
            group="party",
            inputs=_desk_inputs,
        )
    )
    register_nav(
        NavItem(
            "学期评优",
            "party:award-list",
            "trophy",
            order=41,
            visible=policy.nav_desk,
            group="party",
            inputs=_desk_inputs,
        )
    )
    register_nav(
        NavItem(
            "工作例会",
            "party:meeting-list",
            "people",
            order=42,
            visible=policy.nav_desk,
            group="party",
            inputs=_desk_inputs,
        )
    )
    register_panel(Panel("party-assess", "party/assess_panel.html", panels.assess_panel, order=4))
    register_panel(Panel("party-desk", "party/assess_desk_panel.html", panels.desk_panel, order=5))
    for page in ("student", "dossier"):
        register_section(
            page, Section("party-awards", "party/award_section.html", panels.awards_section, order=60)
        )
    register_assessment_source(
        AssessmentSource(
            "service-hours",
            "志愿服务与学时",
            sources.service_hours_lines,
            sources.service_hours_points,
            order=10,
        )
    )
    register_personal_data(PersonalDataPart("party.assessments", "党建评议", _collect_assessments, order=60))
    register_personal_data(PersonalDataPart("party.awards", "党建评优", _collect_awards, order=61))
    register_retention_rule(RetentionRule("party.assessments", "党建评议", _erase_assessments, order=60))
    register_tick_job(TickJob("party.meeting_quarter_flag", _flag_quarters, order=60))
    register_demo_step(DemoStep("党建评议、学期评优与工作例会", _demo, order=80))
