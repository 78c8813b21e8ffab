"""Who may do what with assessments, awards and branch work meetings (issue 13 items 2, 3,
4b). Services refuse by these, templates draw buttons by them, navigation shows items by
them. The party grid's posts are read once per request and kept on the user like the scope."""

from __future__ import annotations

import dataclasses

from campusgrid.core.scoping import scope_for


@dataclasses.dataclass(frozen=True)
class PartyPosts:
    """The user's current party-grid posts, by place."""

    secretary_branch_ids: frozenset[int] = frozenset()
    small_grid_ids: frozenset[int] = frozenset()
    activist_room_ids: frozenset[int] = frozenset()


def party_posts(user) -> PartyPosts:
    """The pipeline policy's one read of the user's party posts (policy.roles), by place."""
    from . import policy

    held = policy.roles(user)
    return PartyPosts(held.branch_ids, held.small_grid_ids, held.activist_room_ids)


# --- assessments ----------------------------------------------------------------------------------


def assesses_activists(user) -> bool:
    """A small-grid party member: assesses the activists of their grid (phone page)."""
    return bool(party_posts(user).small_grid_ids)


def assesses_applicants(user) -> bool:
    """An activist: assesses the applicants of their room (phone page)."""
    return bool(party_posts(user).activist_room_ids)


def may_assess_activist(user, *, small_grid_id: int | None) -> bool:
    return small_grid_id is not None and small_grid_id in party_posts(user).small_grid_ids


def may_assess_applicant(user, *, room_id: int | None) -> bool:
    return room_id is not None and room_id in party_posts(user).activist_room_ids


def may_see_score(user, student, *, assessor_id: int | None = None) -> bool:
    """Assessment scores are sensitive (SPEC §4): level 3+ over the student (or a grant), the
    student themselves, and the one who gave the score."""
    from campusgrid.people.sensitive import may_see_sensitive

    if assessor_id is not None and assessor_id == getattr(user, "pk", None):
        return True
    return may_see_sensitive(user, student)


def may_open_sheet(user, student) -> bool:
    """An activist's assessment sheet (once the student is in reach): staff, the party grid's
    secretaries and party members, and the activist themselves — not a dorm head or a
    classmate who happens to reach the student."""
    scope = scope_for(user)
    posts = party_posts(user)
    return (
        scope.is_staff_member
        or scope.is_office
        or bool(posts.secretary_branch_ids or posts.small_grid_ids)
        or (student.user_id is not None and student.user_id == getattr(user, "pk", None))
    )


# --- the branch's desk ------------------------------------------------------------------------------


def is_secretary_of(user, branch) -> bool:
    return branch is not None and branch.pk in party_posts(user).secretary_branch_ids


def leads_branch_college(user, branch) -> bool:
    return branch is not None and scope_for(user).leads_college(branch.college_id)


def may_see_desk(user, branch=None) -> bool:
    """The secretary's pages (who has not assessed whom, awards, meetings): the branch's
    secretary, the college's leaders and the office."""
    if branch is None:
        scope = scope_for(user)
        return bool(party_posts(user).secretary_branch_ids) or scope.leads_college() or scope.is_office
    return is_secretary_of(user, branch) or leads_branch_college(user, branch) or scope_for(user).is_office


def may_propose_award(user, branch) -> bool:
    """推荐: the branch secretary, within the quota."""
    return is_secretary_of(user, branch)


def may_decide_award(user, branch) -> bool:
    """The branch committee's decision, recorded by its secretary (with the committee's date)."""
    return is_secretary_of(user, branch)


def may_publish_awards(user, branch) -> bool:
    """公布 and the quota: the college (leaders) or the office."""
    return leads_branch_college(user, branch)


def may_record_meeting(user, branch) -> bool:
    """Recording a work meeting and raising its 舆情 items as reports: the branch secretary."""
    return is_secretary_of(user, branch)


def nav_assess(user, scope) -> bool:
    return assesses_activists(user) or assesses_applicants(user)


def nav_desk(user, scope) -> bool:
    """The desk's pages in the menu: only when a branch is on the user's desk (a leader of a
    college without student branches has none to open)."""
    if not may_see_desk(user):
        return False
    cached = getattr(user, "_campusgrid_party_assess_desk", None)
    if cached is None:
        from .selectors.awards import desk_branches

        cached = desk_branches(user=user).exists()
        user._campusgrid_party_assess_desk = cached
    return cached
