"""The semester report as data: every section with its figures, computed from the registered
`ReportFigure`s (a slot whose app has not registered it: 未启用). The page, the PDF and the
.xlsx all draw this one structure, so they cannot disagree."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone

from campusgrid.core import clock
from campusgrid.core.registry import REPORT_FIGURES, FigureValue

from .common import clear_memo, period
from .figures import SECTIONS, SLOTS

DISABLED = "未启用"


def figure_plan() -> list[dict]:
    """Every figure the report carries, in order: the registered ones and the slots nobody
    registered yet (compute None)."""
    registered = {f.key: f for f in REPORT_FIGURES}
    plan = [
        {
            "key": f.key,
            "section": f.section,
            "label": f.label,
            "order": f.order,
            "source": f.source,
            "compute": f.compute,
        }
        for f in REPORT_FIGURES
    ]
    plan += [
        {
            "key": s.key,
            "section": s.section,
            "label": s.label,
            "order": s.order,
            "source": s.source,
            "compute": None,
        }
        for s in SLOTS
        if s.key not in registered
    ]
    sections = [key for key, _ in SECTIONS]
    plan.sort(
        key=lambda f: (sections.index(f["section"]) if f["section"] in sections else 99, f["order"], f["key"])
    )
    return plan


def display(figure: dict) -> str:
    """A figure's value as printed: 未启用, — (nothing to measure) or the number and unit."""
    if not figure["enabled"]:
        return DISABLED
    value, unit = figure["value"], figure["unit"]
    if value is None:
        return "—"
    if isinstance(value, float):
        value = f"{value:.1f}" if unit == "%" else f"{value:g}"
    return f"{value}%" if unit == "%" else f"{value} {unit}".strip()


def absolute(url: str) -> str:
    return f"{settings.CAMPUSGRID_SITE_URL.rstrip('/')}{url}" if url.startswith("/") else url


def build(*, college, semester, progress: Callable | None = None) -> dict:
    """The report of `college` (None: the university) for `semester`; `progress(done, total,
    label)` is told before each figure."""
    clear_memo()
    plan = figure_plan()
    sections = {key: {"key": key, "title": title, "figures": []} for key, title in SECTIONS}
    for index, item in enumerate(plan):
        if progress is not None:
            progress(index, len(plan), item["label"])
        figure = {
            "key": item["key"],
            "label": item["label"],
            "source": item["source"],
            "enabled": item["compute"] is not None,
            "value": None,
            "unit": "",
            "url": "",
            "detail": "",
            "rows": [],
            "columns": [],
            "chart": "",
        }
        if item["compute"] is not None:
            result: FigureValue = item["compute"](college, semester)
            figure.update(
                {k: v for k, v in dataclasses.asdict(result).items() if k != "columns" and k != "rows"}
            )
            figure["rows"] = list(result.rows or [])
            figure["columns"] = [list(c) for c in (result.columns or [])]
        else:
            figure["detail"] = f"{item['source']}模块尚未启用，暂无数据"
        figure["display"] = display(figure)
        section = sections.setdefault(
            item["section"], {"key": item["section"], "title": item["section"], "figures": []}
        )
        section["figures"].append(figure)
    clear_memo()
    if progress is not None:
        progress(len(plan), len(plan), "完成")
    p = period(semester)
    now = timezone.localtime(clock.now())
    scope_name = college.name if college is not None else "全校"
    return {
        "title": f"{scope_name}{semester.name}学生网格化管理工作报告",
        "college": college.name if college is not None else "",
        "scope_name": scope_name,
        "semester": semester.name,
        "start": p.start.isoformat(),
        "end": p.end.isoformat(),
        "on": p.on.isoformat(),
        "generated_at": now.strftime("%Y-%m-%d %H:%M"),
        "sections": [s for s in sections.values() if s["figures"]],
    }


def figures_by_key(data: dict) -> dict[str, dict]:
    return {f["key"]: f for s in data["sections"] for f in s["figures"]}
