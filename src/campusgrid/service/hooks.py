"""What the service app plugs into the rest: navigation, home panels (render functions in
panels.py), student-page sections, `tick` jobs, demo steps. One register(), called from
the app's ready()."""

from __future__ import annotations

from campusgrid.core.registry import (
    DemoStep,
    NavItem,
    Panel,
    PersonalDataPart,
    Section,
    TickJob,
    register_demo_step,
    register_nav,
    register_panel,
    register_personal_data,
    register_section,
    register_tick_job,
)

from . import policy


def _attendee(user, scope) -> bool:
    return policy.may_attend(user)


def nav_visible(rule):
    """A menu rule of the service app: the answers the rules need beyond the scope are read for
    all of them at once (selectors.navigation), then `rule` asks its policy as before."""

    def visible(user, scope) -> bool:
        from .selectors.navigation import prefetch_nav_facts

        prefetch_nav_facts(user, scope)
        return rule(user, scope)

    return visible


@nav_visible
def _sessions(user, scope) -> bool:
    return policy.may_see_sessions(user, scope)


def _teams(user, scope) -> bool:
    return policy.may_see_teams(user, scope)


def _training(user, scope) -> bool:
    return policy.may_see_training(user, scope)


def _tick_training(now) -> int:
    from .services import training_remind

    return training_remind(now)


def _demo(demo) -> None:
    from . import demo_sessions

    demo_sessions.build(demo)


def _collect_sessions(student) -> list[dict]:
    """A student's own attendance and hours (PIPL download)."""
    from .selectors.sessions import personal_data

    return personal_data(student=student)


def register() -> None:
    from campusgrid.core.fingerprint import watch

    from . import panels
    from .selectors.navigation import nav_inputs

    watch(*panels.my_sessions_inputs(), *nav_inputs())

    # --- sessions, attendance, hours, teams, training (svc-core) ---
    register_nav(
        NavItem(
            "我的活动", "service:my-sessions", "qr-code-scan", order=12, visible=_attendee, group="service"
        )
    )
    register_nav(
        NavItem(
            "活动与培训",
            "service:session-list",
            "calendar-event",
            order=40,
            visible=_sessions,
            group="service",
            inputs=nav_inputs,
        )
    )
    register_nav(
        NavItem(
            "志愿服务队",
            "service:team-list",
            "people",
            order=41,
            visible=_teams,
            group="service",
            inputs=nav_inputs,
        )
    )
    register_nav(
        NavItem(
            "培训台账",
            "service:training",
            "mortarboard",
            order=42,
            visible=_training,
            group="service",
            inputs=nav_inputs,
        )
    )
    register_panel(
        Panel("service-my-sessions", "service/panel_my_sessions.html", panels.my_sessions_panel, order=4)
    )
    register_section(
        "post",
        Section(
            "service-training", "service/section_post_training.html", panels.post_training_section, order=20
        ),
    )
    register_personal_data(
        PersonalDataPart("service.sessions", "活动考勤与时长", _collect_sessions, order=60)
    )
    register_tick_job(TickJob("service.training_remind", _tick_training, order=60))
    register_demo_step(DemoStep("志愿服务、教育活动与网格员培训", _demo, order=60))

    from . import hooks_more

    hooks_more.register()  # pairing, 舆情, visits

    from . import figures, metrics

    metrics.register()  # the appraisal's figures of training, 舆情 and hours
    figures.register()  # the semester report's service figures
    from campusgrid.core.registry import Chart, register_chart

    from . import charts

    register_chart(
        Chart("service-hours", "志愿时长（按班级）", "bar", charts.hours_by_class, charts.visible, order=80)
    )
