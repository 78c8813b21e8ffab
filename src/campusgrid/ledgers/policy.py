"""Who may do what in the ledgers (night checks, leave, holiday, inspections, ratings),
in the vocabulary of the scope. Services refuse by the finer rules of
`services.common` (per student / per room); these say which pages, menu items,
panels and buttons a person gets."""

from __future__ import annotations

from campusgrid.core.scoping import Scope, scope_for


def _scope(user, scope=None) -> Scope:
    return scope if scope is not None else scope_for(user)


def may_see_night(user, scope: Scope | None = None) -> bool:
    """今晚查寝 / 查寝台账: dorm heads, and class level and above."""
    s = _scope(user, scope)
    return bool(s.room_ids) or s.level_at_least(2)


def may_see_night_progress(user, scope: Scope | None = None) -> bool:
    return _scope(user, scope).level_at_least(2)


def may_use_leave(user, scope: Scope | None = None) -> bool:
    return not _scope(user, scope).is_empty


def may_decide_leave(user, scope: Scope | None = None) -> bool:
    """Approve or refuse leave: level 3 and above (the service checks the student)."""
    return _scope(user, scope).is_manager


def may_use_holiday(user, scope: Scope | None = None) -> bool:
    return not _scope(user, scope).is_empty


def may_open_holiday(user, scope: Scope | None = None) -> bool:
    """发起节假日登记: level 3 and above, for the classes they manage."""
    return _scope(user, scope).is_manager


def may_see_holiday_classes(user, scope: Scope | None = None) -> bool:
    """The per-class table and the 节假日离校返校台账 export: grid workers; a plain student has
    their own registrations only."""
    return _scope(user, scope).is_grid_worker


def may_inspect_anywhere(user, scope: Scope | None = None) -> bool:
    """安全检查 / 隐患台账: any grid level."""
    return _scope(user, scope).level_at_least(1)


def may_create_rounds(user, scope: Scope | None = None) -> bool:
    """检查批次: dorm heads (their rooms) and level 3 and above."""
    s = _scope(user, scope)
    return s.is_manager or bool(s.room_ids)


def may_compute_ratings(user, scope: Scope | None = None) -> bool:
    """Recompute a semester's 寝室评比: level 4 and above."""
    return _scope(user, scope).leads_college()


def may_see_ratings(user, scope: Scope | None = None) -> bool:
    return not _scope(user, scope).is_empty


def may_see_manager_todo(user, scope: Scope | None = None) -> bool:
    return _scope(user, scope).is_manager
