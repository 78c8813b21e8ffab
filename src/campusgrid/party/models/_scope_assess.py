"""Scope conditions shared by the assessment, award and meeting models: who holds the
branch secretary's post of a branch (the party grid's posts are `grid`'s; the scope
carries rooms, not branches, so the branch is found through the current posts)."""

from __future__ import annotations

from django.db.models import Q

from campusgrid.core import clock
from campusgrid.core.scoping import MATCH_NOTHING, _or


def secretary_branches(scope):
    """The branches whose secretary the scope's person is today (a subquery of ids)."""
    from campusgrid.grid.models import Post, PostKind

    holder = Q()
    if scope.self_student_id:
        holder |= Q(student_id=scope.self_student_id)
    if scope.staff_id:
        holder |= Q(staff_id=scope.staff_id)
    if not holder:
        return None
    return (
        Post.objects.current(clock.today()).filter(holder, kind=PostKind.BRANCH_SECRETARY).values("branch_id")
    )


def branch_area_q(scope, path: str, action: str) -> Q:
    """Branch records (`path` leads to the branch): its college's staff (leaders view; they
    change too), the office, its secretary; when viewing, the party posts of its rooms
    (small-grid members and activists attend its meetings)."""
    if scope.everything and (action == "view" or scope.manage_everything):
        return ~MATCH_NOTHING
    colleges = scope.college_ids if action == "view" else scope.manage_college_ids
    parts = []
    if colleges:
        parts.append(Q(**{f"{path}college_id__in": colleges}))
    branches = secretary_branches(scope)
    if branches is not None:
        parts.append(Q(**{f"{path}id__in": branches}))
    if action == "view" and scope.party_room_ids:
        from campusgrid.grid.models import PartyRoom

        parts.append(
            Q(
                **{
                    f"{path}id__in": PartyRoom.objects.filter(room_id__in=scope.party_room_ids).values(
                        "branch_id"
                    )
                }
            )
        )
    return _or(parts)
