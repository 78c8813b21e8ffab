"""Who sees which report pages, menu items and panels, in the vocabulary of the scope.
Who may act on a report is the workflow table's (`reports/workflow.py`), not this."""

from __future__ import annotations

from campusgrid.core.scoping import Scope, scope_for


def _scope(user, scope=None) -> Scope:
    return scope if scope is not None else scope_for(user)


def may_report(user, scope: Scope | None = None) -> bool:
    """上报问题 / 我的上报: anyone with a reach (a student about themselves or their room)."""
    return not _scope(user, scope).is_empty


def may_see_todo(user, scope: Scope | None = None) -> bool:
    """待我处理: grid workers; a plain student only once they have filed a report (to confirm
    its feedback)."""
    s = _scope(user, scope)
    if s.is_empty:
        return False
    return not s.is_plain_student or user.reports_filed.exists()


def may_see_ledger(user, scope: Scope | None = None) -> bool:
    """异常情况台账: class level and above."""
    return _scope(user, scope).level_at_least(2)


def visible_report_ids(user) -> frozenset[int] | None:
    """The ids of the reports the user may open (None: all of them), read once per request
    when a page first asks whether to draw a report link."""
    if _scope(user).everything:
        return None
    cached = getattr(user, "_campusgrid_report_ids", None)
    if cached is None:
        from .models import Report

        cached = frozenset(Report.objects.visible_to(user).values_list("pk", flat=True))
        user._campusgrid_report_ids = cached
    return cached


def may_open_report(user, report) -> bool:
    """reports:detail, as `report_get` (Report.objects.visible_to): e.g. a student sees the
    reports they filed, not the night-absence report about themselves."""
    report_id = getattr(report, "pk", report)
    if report_id is None:
        return False
    ids = visible_report_ids(user)
    return ids is None or int(report_id) in ids


def may_see_open_reports(user, scope: Scope | None = None) -> bool:
    """The open-reports panel by category: level 3 and above."""
    return _scope(user, scope).is_manager
