"""What pairing, 舆情 and visits plug into the rest: navigation (only for those who may open
it), the home panels, the opener of an 舆情 item (the report page's link asks it), `tick` jobs
and the demo step. Called from hooks.register()."""

from __future__ import annotations

from campusgrid.core.registry import (
    DemoStep,
    NavItem,
    Panel,
    PersonalDataPart,
    TickJob,
    register_demo_step,
    register_nav,
    register_opener,
    register_panel,
    register_personal_data,
    register_tick_job,
)

from . import policy_more as policy
from .hooks import nav_visible
from .selectors.navigation import nav_inputs


@nav_visible
def _job_posts_visible(user, scope) -> bool:
    if policy.may_manage_pairings(user, scope):
        return True
    if getattr(user, "student", None) is None:
        return False
    cached = getattr(user, "_campusgrid_job_posts", None)
    if cached is None:
        from .selectors import job_posts_for_me

        cached = job_posts_for_me(user=user).exists()
        user._campusgrid_job_posts = cached
    return cached


def _may_open_item(user, item) -> bool:
    from .models import OpinionItem

    return item is not None and OpinionItem.objects.visible_to(user).filter(pk=item.pk).exists()


def _pairing_quiet(now):
    from .services import pairing_flag_quiet

    return pairing_flag_quiet(now)


def _opinion_missing(now):
    from .services import opinion_flag_missing

    return opinion_flag_missing(now)


def _demo(demo):
    from .demo_more import build

    build(demo)


def _collect_pairing(student):
    from .personal_data_more import collect_pairing

    return collect_pairing(student)


def _collect_opinion(student):
    from .personal_data_more import collect_opinion

    return collect_opinion(student)


def _opinion_panel(request):
    from .panels_more import opinion_panel

    return opinion_panel(request)


def _visit_panel(request):
    from .panels_more import visit_panel

    return visit_panel(request)


def register() -> None:
    from campusgrid.core.fingerprint import watch

    from .panels_more import opinion_panel_inputs

    watch(*opinion_panel_inputs())
    register_nav(
        NavItem(
            "舆情报送",
            "service:opinion-mine",
            "broadcast",
            order=5,
            visible=nav_visible(policy.is_opinion_reporter),
            group="report",
            inputs=nav_inputs,
        )
    )
    register_nav(
        NavItem(
            "我的结对",
            "service:pairing-mine",
            "people",
            order=6,
            visible=nav_visible(policy.may_see_my_pairing),
            group="service",
            inputs=nav_inputs,
        )
    )
    register_nav(
        NavItem(
            "招聘信息",
            "service:job-list",
            "briefcase",
            order=7,
            visible=_job_posts_visible,
            group="service",
            inputs=nav_inputs,
        )
    )
    register_nav(
        NavItem(
            "舆情汇总",
            "service:opinion-summary",
            "broadcast-pin",
            order=40,
            visible=policy.may_see_opinion_summary,
            group="report",
        )
    )
    register_nav(
        NavItem(
            "结对帮扶就业",
            "service:pairing-list",
            "person-workspace",
            order=41,
            visible=policy.may_manage_pairings,
            group="service",
        )
    )
    register_nav(
        NavItem(
            "走访台账", "service:visit-list", "door-open", order=42, visible=policy.may_visit, group="dossier"
        )
    )
    register_opener("service:opinion-item", _may_open_item)
    register_panel(Panel("service-opinion", "service/opinion_panel.html", _opinion_panel, order=5))
    register_panel(Panel("service-visits", "service/visit_panel.html", _visit_panel, order=45))
    register_tick_job(TickJob("service.pairing_quiet", _pairing_quiet, order=60))
    register_tick_job(TickJob("service.opinion_missing", _opinion_missing, order=61))
    register_personal_data(
        PersonalDataPart("service.pairing", "我的结对帮扶就业", _collect_pairing, order=60)
    )
    register_personal_data(
        PersonalDataPart("service.opinion", "我报送的舆情信息", _collect_opinion, order=61)
    )
    register_demo_step(DemoStep("结对帮扶、舆情与走访", _demo, order=70))
