"""What the semester records plug into the rest: navigation, the class page's honours, the
appointment page's appraisals, the metrics from reports/ledgers/dossiers, the vacancy
suggestions' exclusion of workers appraised 不合格, and the demo step."""

from __future__ import annotations

from django.core.signals import request_started

from campusgrid.core.registry import (
    DemoStep,
    NavItem,
    Section,
    SuggestionExclusion,
    register_demo_step,
    register_nav,
    register_section,
    register_suggestion_exclusion,
)

from . import policy_appraisal as policy


def honours_class_section(request, school_class):
    from .appraisal import honours

    rows = honours.honours_of_class(school_class=school_class)
    if not rows:
        return None
    return {"honours": rows, "may_see_ranking": policy.may_see_honours(request.user)}


def appointment_section(request, context):
    """At (re-)appointment: the latest published appraisal of the current holders and of the
    suggested candidates (two queries whatever their number)."""
    from .appraisal import selectors

    people = []
    for post in context.get("current", []):
        if post.student_id:
            people.append((post.student, "现任"))
    for candidate in context.get("candidates", []):
        people.append((candidate, f"推荐（{candidate.reason}）"))
    if not people or not policy.may_manage_appraisals(request.user):
        return None
    latest = selectors.latest_published({s.pk for s, _ in people})
    rows = [{"name": s.name, "role": role, "appraisal": latest.get(s.pk)} for s, role in people]
    return {"rows": rows, "excluded": True}


def _failed(kind):
    from .appraisal.selectors import failed_student_ids

    return failed_student_ids(kind)


def _demo(demo):
    from .appraisal.demo import run

    run(demo)


def _forget(**kwargs):
    from .models import appraisal, honours

    appraisal.forget_settings()
    honours.forget_settings()


def register() -> None:
    from .appraisal import metrics

    metrics.register()
    register_nav(
        NavItem(
            "网格员考核",
            "dashboards:appraisals",
            "clipboard-check",
            order=60,
            visible=lambda user, scope: policy.may_manage_appraisals(user),
            group="board",
        )
    )
    register_nav(
        NavItem(
            "我的考核",
            "dashboards:appraisal-mine",
            "clipboard-check",
            order=61,
            visible=lambda user, scope: policy.may_see_own(user),
            group="board",
        )
    )
    register_nav(
        NavItem(
            "班级评优",
            "dashboards:honours",
            "trophy",
            order=62,
            visible=lambda user, scope: policy.may_see_honours(user),
            group="board",
        )
    )
    register_section(
        "class",
        Section(
            "dashboards-honours", "dashboards/honours_section_class.html", honours_class_section, order=5
        ),
    )
    register_section(
        "appointment",
        Section(
            "dashboards-appraisals",
            "dashboards/appraisal_section_appointment.html",
            appointment_section,
            order=10,
        ),
    )
    register_suggestion_exclusion(SuggestionExclusion("dashboards.appraisal-failed", "考核不合格", _failed))
    register_demo_step(DemoStep("网格员考核与班级评优", _demo, order=80))
    request_started.connect(_forget, dispatch_uid="dashboards.appraisal.forget_settings")
