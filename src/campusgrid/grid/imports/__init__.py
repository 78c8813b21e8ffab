"""Roster and staff imports (SPEC §14): all or nothing, every bad row named,
idempotent, updating by 学号/工号, never deleting people missing from a file.

Built for 50,000 rows: the whole file is checked against a handful of bulk
reads, then written with bulk inserts and updates in one transaction.

One module an import; import them from here."""

from .common import (  # noqa: F401
    _GRADE_RE,
    _NO_RE,
    _PHONE_LOOSE,
    _WECOM_RE,
    BATCH,
    ROSTER_COLUMNS,
    ROSTER_POST_KINDS,
    ROSTER_POSTS,
    STAFF_COLUMNS,
    STAFF_POST_KINDS,
    _check_wecom,
    _check_wecom_holders,
    _chunks,
    _floor_of,
    _new_password,
    _Reach,
    _wecom_change,
)
from .roster import _RosterPlan, import_roster  # noqa: F401
from .staff import import_staff  # noqa: F401
