"""Who may do what with sessions, hours, teams and training, in the vocabulary of the scope.
Services refuse by these, templates draw buttons by them, navigation shows items by them."""

from __future__ import annotations

from campusgrid.core.scoping import Scope, scope_for


def _scope(user, scope=None) -> Scope:
    return scope if scope is not None else scope_for(user)


def managed_college_ids(user) -> frozenset[int]:
    """Colleges where the user is level 3+: a leader's colleges and the colleges of a
    counselor's or class teacher's classes (cached on the user for the request)."""
    cached = getattr(user, "_campusgrid_service_colleges", None)
    if cached is not None:
        return cached
    scope = scope_for(user)
    ids = set(scope.manage_college_ids)
    if scope.manage_class_ids:
        from campusgrid.org.models import SchoolClass

        ids |= set(
            SchoolClass.objects.filter(id__in=scope.manage_class_ids).values_list("college_id", flat=True)
        )
    result = frozenset(ids)
    if user is not None and getattr(user, "is_authenticated", False):
        user._campusgrid_service_colleges = result
    return result


def _is_secretary_or_team_leader(user) -> bool:
    cached = getattr(user, "_campusgrid_service_organiser", None)
    if cached is not None:
        return cached
    from .models import VolunteerTeam

    student = getattr(user, "student", None)
    result = bool(
        scope_for(user).branch_ids  # the grid's one read of the user's posts
        or (student is not None and VolunteerTeam.objects.filter(leader=student, active=True).exists())
    )
    user._campusgrid_service_organiser = result
    return result


def may_create_session(user, scope: Scope | None = None) -> bool:
    """发布活动: level 3+ staff, branch secretaries and volunteer-team leaders."""
    s = _scope(user, scope)
    if s.is_office or s.is_manager:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return _is_secretary_or_team_leader(user)


def may_manage_session(user, session, scope: Scope | None = None) -> bool:
    """Show the code, tick attendance, credit hours: the organiser, the leaders of the
    session's college and the office (as `Attendance.scope_q(CHANGE)`): the sheet lists the
    whole audience, which may reach past one counselor's classes."""
    s = _scope(user, scope)
    if s.manage_everything:
        return True
    if user is not None and session.organiser_id == getattr(user, "pk", None):
        return True
    return session.college_id in s.manage_college_ids


def may_see_sessions(user, scope: Scope | None = None) -> bool:
    """活动列表 (desktop): organisers and grid workers of level 3+."""
    s = _scope(user, scope)
    return s.is_office or s.is_manager or may_create_session(user, s)


def may_attend(user) -> bool:
    """我的活动 / 签到 / 我的时长: anyone who is a student or staff member."""
    return getattr(user, "student", None) is not None or getattr(user, "staff", None) is not None


def may_see_training(user, scope: Scope | None = None) -> bool:
    """培训台账 (who is not trained): level 3+."""
    s = _scope(user, scope)
    return s.is_office or s.is_manager


def may_manage_teams(user, scope: Scope | None = None) -> bool:
    """Create teams and add members: level 3+ staff."""
    s = _scope(user, scope)
    return s.is_office or s.is_manager


def may_manage_team(user, team, scope: Scope | None = None) -> bool:
    s = _scope(user, scope)
    if s.manage_everything:
        return True
    return team.college_id in managed_college_ids(user)


def may_see_teams(user, scope: Scope | None = None) -> bool:
    """志愿服务队: anyone with a scope (the list shows what they reach)."""
    return not _scope(user, scope).is_empty
