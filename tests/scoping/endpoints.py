"""The scoping contract as data (issue 10; NetBox's inherited view tests).

Each app declares its endpoints in `tests/<app>/contract.py` as `ENDPOINTS`: a list of
`Endpoint` (a scoped page or API route: who sees it, who is answered 404, who is refused
a change) or `Exempt` (public or personal, with the reason). One generic module,
`tests/scoping/test_endpoints.py`, asserts every entry; `tests/scoping/test_contract.py`
fails for a URL name without one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable


def _no_args(world, records):
    return []


@dataclasses.dataclass(frozen=True)
class Endpoint:
    name: str  # URL name ("ledgers:leave-detail", "leave-detail")
    args: Callable = _no_args  # (world, records) -> reverse() args
    method: str = "GET"
    # GET: answered 200, and what they get names only students in their scope (a list,
    # a page, an xlsx export: `query={"format": "xlsx"}`).
    sees: frozenset[str] = frozenset()
    ok: int = 200  # what `sees` get (302 for a page that sends each person to their own)
    # Answered 404: out of scope is indistinguishable from missing.
    hidden: frozenset[str] = frozenset()
    # POST: refused (403 or 404) and nothing written (no audit event, no access-log row).
    refused: frozenset[str] = frozenset()
    records: str = ""  # the records the args name: "ledgers" | "dossiers" | "reports" | "notifications"
    query: dict = dataclasses.field(default_factory=dict)
    data: Callable | None = None  # POST body: (world, records) -> dict
    # Pages that rightly name students outside the viewer's own scope say why here.
    names_others: str = ""

    @property
    def id(self) -> str:
        suffix = "-xlsx" if self.query.get("format") == "xlsx" else ""
        return f"{self.name}[{self.method}{suffix}]"


@dataclasses.dataclass(frozen=True)
class Exempt:
    """A URL outside the scoping contract: public, or showing the user only their own."""

    name: str
    reason: str


def personas(*names: str) -> frozenset[str]:
    return frozenset(names)


# The cast's groups (tests/world.py).
COLLEGE_B = personas("leader_b", "counselor_b", "dorm_head_b", "student_b")
STUDENTS_A = personas("dorm_head", "monitor", "activist", "small_grid_leader", "branch_secretary", "student")
STAFF_A = personas("counselor", "class_teacher", "leader")
LEVEL_3_A = personas("counselor", "leader", "office")  # manage 张三 (A1002, 化工2401)
EVERYONE = STUDENTS_A | STAFF_A | COLLEGE_B | personas("office")
