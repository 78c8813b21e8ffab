"""Who may see the dashboards: levels 3–5 (counselors and class teachers, college leaders,
the university office) — the grid levels whose charts span more than a class."""

from __future__ import annotations

from campusgrid.core.scoping import Scope, scope_for


def may_see_dashboards(user, scope: Scope | None = None) -> bool:
    return (scope or scope_for(user)).is_manager


def charts_for(user, scope: Scope | None = None) -> list:
    from campusgrid.core.registry import CHARTS

    scope = scope or scope_for(user)
    if not may_see_dashboards(user, scope):
        return []
    return [chart for chart in CHARTS if chart.visible(user, scope)]
