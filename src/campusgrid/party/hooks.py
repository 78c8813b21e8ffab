"""What the party app plugs into the rest: navigation, home panels (render functions in
panels.py), student-page sections, `tick` jobs, demo steps. One register(), called from
the app's ready()."""

from __future__ import annotations


def register() -> None:
    from campusgrid.core.fingerprint import watch

    from .selectors.pipeline import board_inputs

    watch(*board_inputs())
    from campusgrid.core.registry import (
        DemoStep,
        NavItem,
        Panel,
        TickJob,
        register_demo_step,
        register_nav,
        register_panel,
        register_tick_job,
    )

    from . import panels, policy

    register_nav(
        NavItem(
            "发展党员",
            "party:board",
            "flag",
            order=20,
            visible=lambda user, scope: policy.may_see_pipeline(user),
            group="party",
        )
    )
    register_panel(Panel("party-pipeline", "party/panel_pipeline.html", panels.pipeline_panel, order=12))
    register_tick_job(TickJob("party-pipeline-warnings", _tick, order=60))
    register_demo_step(DemoStep("发展党员（入党申请人至正式党员）", _demo, order=60))

    from . import hooks_assess

    hooks_assess.register()  # assessments, awards, work meetings
    from . import figures

    figures.register()  # the semester report's party figures
    from campusgrid.core.registry import Chart, register_chart

    from . import charts

    register_chart(
        Chart(
            "party-pipeline", "发展党员（按阶段）", "bar", charts.pipeline_by_stage, charts.visible, order=70
        )
    )


def _tick(now) -> int:
    from .services.pipeline import warnings_tick

    return warnings_tick(now)


def _demo(demo) -> None:
    from .demo_pipeline import build

    build(demo)
