"""What the semester report plugs in: its figures of grid, ledgers, reports and dossiers
(party and service register theirs from their own hooks), the navigation entry and the
opener of its page. Called from hooks.register()."""

from __future__ import annotations

from campusgrid.core.registry import NavItem, register_nav, register_opener


def register() -> None:
    from . import policy_report
    from .report import figures

    figures.register()
    register_nav(
        NavItem(
            "学期工作报告",
            "dashboards:report",
            "file-earmark-bar-graph",
            order=85,
            visible=lambda user, scope: policy_report.may_open_reports(user),
            group="board",
        )
    )
    register_opener("dashboards:report", lambda user, obj=None: policy_report.may_open_reports(user))
