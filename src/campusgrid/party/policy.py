"""Who may do what in the party pipeline, in the vocabulary of the scope and the party
posts. Services refuse by it, templates draw buttons by it, navigation shows items by it."""

from __future__ import annotations

import dataclasses

from campusgrid.core.scoping import scope_for

from .models.pipeline import ORGANISER_ROLE, StepCode

S = StepCode

# Steps decided by the college's committee (基层党委): recorded by its 组织员 or a leader.
COMMITTEE_STEPS = frozenset({S.PRE_REVIEW, S.PROBATIONARY, S.EXTEND_PROBATION, S.FULL})


@dataclasses.dataclass(frozen=True)
class PartyRoles:
    branch_ids: frozenset[int] = frozenset()  # 支部书记
    small_grid_ids: frozenset[int] = frozenset()  # 网格党员
    activist_room_ids: frozenset[int] = frozenset()  # 微网格负责人
    organiser_college_ids: frozenset[int] = frozenset()  # 组织员


def roles(user) -> PartyRoles:
    """The user's party posts and the 组织员 role, read once per request (kept on the user)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return PartyRoles()
    cached = getattr(user, "_campusgrid_party_roles", None)
    if cached is not None:
        return cached
    scope = scope_for(user)  # the grid's one read of the user's posts
    staff = getattr(user, "staff", None)
    organiser = frozenset(
        [staff.college_id]
        if staff is not None and staff.active and staff.college_id and ORGANISER_ROLE in staff.role_list
        else []
    )
    result = PartyRoles(scope.branch_ids, scope.small_grid_ids, scope.activist_room_ids, organiser)
    user._campusgrid_party_roles = result
    return result


def is_committee(user, college_id: int | None) -> bool:
    """The college's committee side: its 组织员, its leaders, the university office."""
    scope = scope_for(user)
    return (
        scope.manage_everything
        or college_id in roles(user).organiser_college_ids
        or scope.leads_college(college_id)
    )


def may_see_pipeline(user) -> bool:
    """发展党员 in the menu: secretaries, small-grid members, activists, the 组织员, counselors,
    class teachers, leaders and the office."""
    scope = scope_for(user)
    r = roles(user)
    return bool(
        scope.is_manager
        or scope.college_ids
        or r.branch_ids
        or r.small_grid_ids
        or r.activist_room_ids
        or r.organiser_college_ids
    )


def may_manage_branch(user, branch) -> bool:
    """Open files and hold meetings for the branch: its secretary, the 组织员, leaders."""
    return branch.pk in roles(user).branch_ids or is_committee(user, branch.college_id)


def may_record(user, file, code: str) -> bool:
    """Record step `code` on `file` (already fetched as visible)."""
    if code in COMMITTEE_STEPS:
        return is_committee(user, file.college_id)
    return file.branch_id in roles(user).branch_ids or is_committee(user, file.college_id)


def may_see_political_review(user, file) -> bool:
    """政审 materials are sensitive: level 3+ over the student, explicit grants, the 组织员."""
    from campusgrid.people.sensitive import may_see_sensitive

    if file.college_id in roles(user).organiser_college_ids:
        return True
    if file.student_id:
        return may_see_sensitive(user, file.student)
    return scope_for(user).leads_college(file.college_id)
