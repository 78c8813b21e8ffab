"""Who may do what with pairings, 舆情 reports and visits, in the vocabulary of the scope.
Services refuse by these; templates draw buttons by them; navigation shows items by them."""

from __future__ import annotations

from campusgrid.core.scoping import Scope, scope_for


def _scope(user, scope=None) -> Scope:
    return scope if scope is not None else scope_for(user)


# --- pairing -------------------------------------------------------------------------------------


def may_manage_pairings(user, scope: Scope | None = None) -> bool:
    """结对帮扶台账, marking difficulty, pairing, job posts: counselors, class teachers, leaders, office."""
    s = _scope(user, scope)
    return s.is_staff_member and s.is_manager


def may_manage_pairing(user, pairing) -> bool:
    return scope_for(user).is_manager_of(pairing.student)


def may_record_contact(user, pairing) -> bool:
    """The mentor, and level 3 and above over the student."""
    return pairing.mentor_id == getattr(user, "pk", None) or may_manage_pairing(user, pairing)


def may_see_my_pairing(user, scope: Scope | None = None) -> bool:
    from .selectors.pairing import has_pairing

    return has_pairing(user)


def may_see_job_posts(user, scope: Scope | None = None) -> bool:
    s = _scope(user, scope)
    return not s.is_empty


# --- 舆情 ------------------------------------------------------------------------------------------


def reporter_kinds() -> list[str]:
    from .models import OpinionSettings

    return OpinionSettings.get().kinds


def is_opinion_reporter(user, scope: Scope | None = None) -> bool:
    """Holds a post of a reporting kind today (网格党员、积极分子、班长、团支书、舍长 as configured)."""
    cached = getattr(user, "_campusgrid_opinion_reporter", None)
    if cached is not None:
        return cached
    held = _scope(user, scope).post_kinds  # the grid's one read of the user's posts
    result = bool(held) and bool(held & set(reporter_kinds()))
    user._campusgrid_opinion_reporter = result
    return result


def may_see_opinion_summary(user, scope: Scope | None = None) -> bool:
    """本周舆情汇总: counselors and above, and the branch secretaries (their branch's rooms)."""
    s = _scope(user, scope)
    return s.is_manager or bool(s.branch_ids)


def may_escalate_item(user, item) -> bool:
    """转为问题上报: level 3 and above over the reporter's class or college (or a named student)."""
    s = scope_for(user)
    if s.manage_everything:
        return True
    report = item.report
    if report.school_class_id in s.manage_class_ids or report.college_id in s.manage_college_ids:
        return True
    return any(s.is_manager_of(student) for student in item.students.all())


def may_set_special_period(user, scope: Scope | None = None) -> bool:
    """特殊时期 is set by the college: its leaders (and the office)."""
    return _scope(user, scope).leads_college()


# --- visits --------------------------------------------------------------------------------------


def may_visit(user, scope: Scope | None = None) -> bool:
    """走访: counselors, class teachers, leaders and the office (staff at level 3 and above)."""
    s = _scope(user, scope)
    return s.is_staff_member and s.is_manager
