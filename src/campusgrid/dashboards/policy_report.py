"""Who may generate and read semester reports: a college's leaders (level 4) for their
college, the university office for any college and for the university."""

from __future__ import annotations

from campusgrid.core.scoping import scope_for


def may_open_reports(user) -> bool:
    scope = scope_for(user)
    return scope.manage_everything or (bool(scope.manage_college_ids) and scope.level_at_least(4))


def may_report_on(user, college) -> bool:
    """`college` None: the whole university (the office only)."""
    scope = scope_for(user)
    if scope.manage_everything:
        return True
    return college is not None and scope.level_at_least(4) and college.pk in scope.manage_college_ids
