"""The party app's chart on the dashboards (issue 15 item 1, core.registry.Chart): the
development pipeline by stage in the viewer's scope. Each bar counts the open files of a
stage through the board's own selectors (`file_list` → `open_files`) and opens the board
filtered to that stage (?stage=, the board's FileFilter), which lists exactly them."""

from __future__ import annotations

from campusgrid.core.figures import list_url

from .models.pipeline import Stage
from .selectors import pipeline as sel

# Short labels, so that all five fit under the bars of a dashboard card.
SHORT = {
    Stage.APPLICANT: "申请人",
    Stage.ACTIVIST: "积极分子",
    Stage.CANDIDATE: "发展对象",
    Stage.PROBATIONARY: "预备党员",
    Stage.FULL: "正式党员",
}


def pipeline_by_stage(request) -> dict:
    """发展党员（按阶段）: 入党申请人 … 中共党员, the open files of each stage."""
    counts = sel.stage_counts(sel.file_list(user=request.user))
    total = sum(counts.values())
    return {
        "subtitle": f"在培养档案 {total} 份" if total else "还没有发展党员档案",
        "categories": [SHORT[value] for value, _ in Stage.choices],
        "series": [
            {
                "name": "人数",
                "data": [
                    {
                        "value": counts.get(value, 0),
                        "detail": label,
                        "url": list_url(request, "party:board", {"stage": value}),
                    }
                    for value, label in Stage.choices
                ],
            }
        ],
    }


def visible(user, scope) -> bool:
    from .policy import may_see_pipeline

    return scope.is_manager and may_see_pipeline(user)
