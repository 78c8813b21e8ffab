"""What the dashboards app plugs into the rest: navigation, home panels (render functions in
panels.py), student-page sections, `tick` jobs, demo steps. One register(), called from
the app's ready()."""

from __future__ import annotations

from campusgrid.core.registry import Chart, NavItem, Panel, register_chart, register_nav, register_panel

from . import charts, panels
from .policy import may_see_dashboards


def _manager(user, scope) -> bool:
    return scope.is_manager


def register() -> None:
    from . import hooks_appraisal

    hooks_appraisal.register()
    from . import hooks_report

    hooks_report.register()  # semester report
    register_nav(
        NavItem(
            "数据看板",
            "dashboards:index",
            "bar-chart-line",
            order=9,
            visible=lambda u, s: may_see_dashboards(u, s),
            group="board",
        )
    )
    register_panel(Panel("dashboards-charts", "dashboards/panel_charts.html", panels.charts_panel, order=12))
    # --- charts: each app's figures as ECharts (party and service register theirs the same way) ---
    for chart in (
        Chart("coverage-class", "网格覆盖率（按班级）", "bar", charts.coverage_by_class, _manager, order=10),
        Chart(
            "coverage-building",
            "网格覆盖率（按楼栋）",
            "bar",
            charts.coverage_by_building,
            _manager,
            order=11,
        ),
        Chart("night-progress", "今晚查寝进度", "gauge", charts.night_progress_gauges, _manager, order=20),
        Chart(
            "reports-category",
            "未办结上报（按类别）",
            "stacked",
            charts.reports_by_category,
            _manager,
            order=30,
        ),
        Chart("reports-trend", "本学期上报趋势（按周）", "line", charts.reports_trend, _manager, order=31),
        Chart("absences-week", "夜不归宿（按周）", "bar", charts.absences_per_week, _manager, order=40),
        Chart("holiday-outstanding", "节假日未返校", "bar", charts.holiday_outstanding, _manager, order=41),
        Chart("hazards", "安全隐患与整改", "bar", charts.hazards, _manager, order=50),
        Chart("illegal-rate", "违章电器率（按检查批次）", "line", charts.illegal_rate, _manager, order=51),
        Chart("ratings", "文明宿舍评比（星级分布）", "bar", charts.ratings_distribution, _manager, order=60),
    ):
        register_chart(chart)
