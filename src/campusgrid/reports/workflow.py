"""The report state machine as one table: (state, action) → next state, who may
do it, the guards that refuse it, and what the action needs. `services.report_act`
applies it; pages and the API ask `services.allowed_actions` which actions to
offer, and draw each action's inputs from its `needs`.

`who` is a tuple of named predicates (any one admits the person); `guards` must
all hold (each names the refusal). System rows (`system=True`) are taken only by
`core.actors.SYSTEM` — automatic escalation by `tick`, and the withdrawal and
reopening of a rule-made report whose cause was undone — and no human row admits
the system."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from campusgrid.core.actors import is_system

from .models import ACTIVE_STATES, State


@dataclasses.dataclass(frozen=True)
class Who:
    """Who is asking about which report: the facts the predicates read."""

    user: object
    report: object
    levels: frozenset[int]

    @property
    def top(self) -> int:
        return max(self.levels, default=0)

    @property
    def user_pk(self):
        return getattr(self.user, "pk", None)


Predicate = Callable[[Who], bool]


# --- who: named predicates --------------------------------------------------------------------


def system(w: Who) -> bool:
    return is_system(w.user)


def _human(predicate: Predicate) -> Predicate:
    def check(w: Who) -> bool:
        return not is_system(w.user) and w.user_pk is not None and predicate(w)

    check.__name__ = predicate.__name__
    check.__doc__ = predicate.__doc__
    return check


@_human
def reporter(w: Who) -> bool:
    """The person who filed the report."""
    return w.report.reporter_id == w.user_pk


@_human
def handler(w: Who) -> bool:
    """The person who accepted it."""
    return w.report.handler_id is not None and w.report.handler_id == w.user_pk


@_human
def above_level(w: Who) -> bool:
    """A grid worker higher than the report's level over its students."""
    return w.top > w.report.level


@_human
def holds_level(w: Who) -> bool:
    """A grid worker at (or above) the report's level; once transferred, only the
    named person (or someone higher)."""
    if w.report.assignee_id and w.report.assignee_id != w.user_pk:
        return w.top > w.report.level
    return w.top >= w.report.level


@_human
def college_on_urgent(w: Who) -> bool:
    """Level 4 may act on urgent reports that sit at level 3 (they were told at once)."""
    if w.report.assignee_id and w.report.assignee_id != w.user_pk:
        return False
    return bool(w.report.urgent) and w.report.level == 3 and 4 in w.levels


@_human
def manager(w: Who) -> bool:
    """Level 3 and above over the report (and at least its level)."""
    return w.top >= max(w.report.level, 3)


@_human
def reporter_of_returned(w: Who) -> bool:
    """The reporter may close a report returned to them instead of adding to it."""
    return w.report.state == State.RETURNED and w.report.reporter_id == w.user_pk


# --- guards: (predicate, refusal) -------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Guard:
    check: Predicate
    refusal: str


BELOW_UNIVERSITY = Guard(lambda w: w.report.level < 5, "已在最高层级（学校），不能再上报")


# --- needs: the inputs an action takes ---------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Need:
    """One input of an action: the form field, the API body field and the check."""

    name: str  # "note", "to_level", "assignee", "also_feedback"
    label: str
    required: bool = True
    kind: str = "text"  # "text" (textarea), "level" (select of higher levels), "person" (学号/工号), "flag"
    default: object = None
    help: str = ""


def note(label: str, required: bool = True) -> Need:
    return Need("note", label, required=required)


TO_LEVEL = Need("to_level", "上报至", required=False, kind="level", help="默认上一级")
ASSIGNEE = Need("assignee", "转办给（学号或工号）", kind="person", help="同级网格员的学号或工号")
ALSO_FEEDBACK = Need(
    "also_feedback",
    "同时作为反馈结果发送",
    required=False,
    kind="flag",
    default=True,
    help="勾选后处理情况同时反馈给上报人，上报人确认即可办结",
)


@dataclasses.dataclass(frozen=True)
class Transition:
    action: str
    label: str
    source: tuple[str, ...]
    target: str | None  # None: the state stays
    who: tuple[Predicate, ...]
    needs: tuple[Need, ...] = ()
    guards: tuple[Guard, ...] = ()
    style: str = "primary"
    system: bool = False

    def need(self, name: str) -> Need | None:
        return next((n for n in self.needs if n.name == name), None)

    @property
    def note_need(self) -> Need | None:
        return self.need("note")

    @property
    def note_required(self) -> bool:
        need = self.note_need
        return bool(need and need.required)

    @property
    def note_label(self) -> str:
        need = self.note_need
        return need.label if need else "说明"

    def admits(self, w: Who) -> bool:
        return any(predicate(w) for predicate in self.who)

    def refusal(self, w: Who) -> str | None:
        """Why a guard refuses (Chinese), or None."""
        for guard in self.guards:
            if not guard.check(w):
                return guard.refusal
        return None


TRANSITIONS = [
    Transition(
        action="accept",
        label="受理",
        source=(State.REPORTED,),
        target=State.ACCEPTED,
        who=(holds_level, college_on_urgent),
    ),
    Transition(
        action="handle",
        label="处理完成",
        source=(State.ACCEPTED,),
        target=State.HANDLED,
        who=(handler, above_level),
        needs=(note("处理情况"), ALSO_FEEDBACK),
        style="success",
    ),
    Transition(
        action="feedback",
        label="反馈结果",
        source=(State.HANDLED,),
        target=State.FED_BACK,
        who=(handler, above_level),
        needs=(note("反馈给上报人的内容"),),
        style="success",
    ),
    Transition(
        action="confirm",
        label="确认办结",
        source=(State.FED_BACK,),
        target=State.CLOSED,
        who=(reporter,),
        style="success",
    ),
    Transition(
        action="object",
        label="有异议",
        source=(State.FED_BACK,),
        target=State.ACCEPTED,
        who=(reporter,),
        needs=(note("异议内容"),),
        style="warning",
    ),
    Transition(
        action="escalate",
        label="上报上一级",
        source=(State.REPORTED, State.ACCEPTED),
        target=State.REPORTED,
        who=(holds_level, college_on_urgent),
        needs=(note("上报原因"), TO_LEVEL),
        guards=(BELOW_UNIVERSITY,),
        style="warning",
    ),
    Transition(
        action="return",
        label="退回补充",
        source=(State.REPORTED, State.ACCEPTED),
        target=State.RETURNED,
        who=(holds_level, college_on_urgent),
        needs=(note("需要补充的信息"),),
        style="secondary",
    ),
    Transition(
        action="resubmit",
        label="补充后重新上报",
        source=(State.RETURNED,),
        target=State.REPORTED,
        who=(reporter,),
        needs=(note("补充说明"),),
    ),
    Transition(
        action="transfer",
        label="同级转办",
        source=(State.REPORTED, State.ACCEPTED),
        target=State.REPORTED,
        who=(holds_level, college_on_urgent),
        needs=(note("转办说明"), ASSIGNEE),
        style="secondary",
    ),
    Transition(
        action="close",
        label="办结",
        source=(State.HANDLED, State.FED_BACK, State.RETURNED),
        target=State.CLOSED,
        who=(handler, manager, reporter_of_returned),
        needs=(note("办结说明", required=False),),
        style="dark",
    ),
    # --- system rows ---
    Transition(
        action="auto_escalate",
        label="超时自动升级",
        source=(State.REPORTED, State.ACCEPTED),
        target=State.REPORTED,  # when it moves up; at level 5 the state stays
        who=(system,),
        system=True,
    ),
    Transition(
        action="withdraw",
        label="撤销",
        source=tuple(ACTIVE_STATES),
        target=State.WITHDRAWN,
        who=(system,),
        needs=(note("撤销原因"),),
        system=True,
    ),
    Transition(
        action="reopen",
        label="恢复上报",
        source=(State.WITHDRAWN,),
        target=State.REPORTED,
        who=(system,),
        needs=(note("重新上报原因"),),
        system=True,
    ),
]
BY_ACTION = {t.action: t for t in TRANSITIONS}
HUMAN_TRANSITIONS = [t for t in TRANSITIONS if not t.system]
ACTION_LABELS = {t.action: t.label for t in TRANSITIONS} | {
    "create": "上报",
    "escalate_university": "报告学校",
}
