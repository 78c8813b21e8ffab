"""The report state machine as one table: (state, action) → next state, who may
do it, and what the action needs. `services.report_act` applies it; pages and
the API ask `allowed_actions` which buttons to show."""

from __future__ import annotations

import dataclasses

from .models import State

# Who: "holder" — a grid worker at (or above) the report's current level for its
# students; "handler" — the person who accepted it; "reporter" — who filed it;
# "manager" — the handler or a level-3+ holder over the report.


@dataclasses.dataclass(frozen=True)
class Transition:
    action: str
    label: str
    source: tuple[str, ...]
    target: str | None  # None: the state stays (escalate/transfer keep "reported")
    who: str
    note_required: bool = False
    note_label: str = "说明"
    style: str = "primary"


TRANSITIONS = [
    Transition("accept", "受理", (State.REPORTED,), State.ACCEPTED, "holder", style="primary"),
    Transition(
        "handle", "处理完成", (State.ACCEPTED,), State.HANDLED, "handler", True, "处理情况", "success"
    ),
    Transition(
        "feedback",
        "反馈结果",
        (State.HANDLED,),
        State.FED_BACK,
        "handler",
        True,
        "反馈给上报人的内容",
        "success",
    ),
    Transition("confirm", "确认办结", (State.FED_BACK,), State.CLOSED, "reporter", style="success"),
    Transition(
        "object", "有异议", (State.FED_BACK,), State.ACCEPTED, "reporter", True, "异议内容", "warning"
    ),
    Transition(
        "escalate",
        "上报上一级",
        (State.REPORTED, State.ACCEPTED),
        State.REPORTED,
        "holder",
        True,
        "上报原因",
        "warning",
    ),
    Transition(
        "return",
        "退回补充",
        (State.REPORTED, State.ACCEPTED),
        State.RETURNED,
        "holder",
        True,
        "需要补充的信息",
        "secondary",
    ),
    Transition("resubmit", "补充后重新上报", (State.RETURNED,), State.REPORTED, "reporter", True, "补充说明"),
    Transition(
        "transfer",
        "同级转办",
        (State.REPORTED, State.ACCEPTED),
        State.REPORTED,
        "holder",
        True,
        "转办说明",
        "secondary",
    ),
    Transition(
        "close",
        "办结",
        (State.HANDLED, State.FED_BACK, State.RETURNED),
        State.CLOSED,
        "manager",
        False,
        "办结说明",
        "dark",
    ),
]
BY_ACTION = {t.action: t for t in TRANSITIONS}
ACTION_LABELS = {t.action: t.label for t in TRANSITIONS} | {
    "create": "上报",
    "auto_escalate": "超时自动升级",
    "escalate_university": "报告学校",
}
