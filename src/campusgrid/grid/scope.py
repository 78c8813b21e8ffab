"""Compiling a user's grid posts into their Scope (SPEC §4), once per request."""

from __future__ import annotations

import dataclasses

from django.db.models import Q

from campusgrid.core import clock
from campusgrid.core.scoping import EVERYTHING, MATCH_NOTHING, NOTHING, VIEW, Scope, _or, student_q
from campusgrid.people.models import Student

from .models import AccessGrant, PartyRoom, Post, PostKind


def compile_scope(user) -> Scope:
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return dataclasses.replace(EVERYTHING, user_id=user.pk)
    student = getattr(user, "student", None)
    staff = getattr(user, "staff", None)
    if student is None and staff is None:
        return dataclasses.replace(NOTHING, user_id=user.pk)  # reaches nobody; their own notices only
    today = clock.today()
    # The posts with the beds of their rooms (a row per bed): a dorm head's or activist's beds
    # come with the posts instead of in a query of their own (issue 17: two queries of the
    # scope on every request of the evening peak were a tenth of its CPU).
    rows = list(
        Post.objects.held_by(user)
        .current(today)
        .order_by()  # read into sets: no ORDER BY
        .values_list(
            "kind", "room_id", "school_class_id", "college_id", "branch_id", "small_grid_id", "room__beds__id"
        )
    )
    posts = list(dict.fromkeys(row[:6] for row in rows))
    room_beds = {
        row[6] for row in rows if row[6] is not None and row[0] in (PostKind.DORM_HEAD, PostKind.ACTIVIST)
    }
    colleges, classes, rooms = set(), set(), set()
    manage_colleges, manage_classes, cadre_classes = set(), set(), set()
    branches, small_grids = set(), set()
    levels = set()
    everything = False
    for kind, room_id, class_id, college_id, branch_id, small_grid_id in posts:
        if kind == PostKind.DORM_HEAD:
            rooms.add(room_id)
            levels.add(1)
        elif kind in (PostKind.MONITOR, PostKind.LEAGUE_SECRETARY):
            classes.add(class_id)
            cadre_classes.add(class_id)
            levels.add(2)
        elif kind in (PostKind.COUNSELOR, PostKind.CLASS_TEACHER):
            classes.add(class_id)
            manage_classes.add(class_id)
            levels.add(3)
        elif kind == PostKind.LEADER:
            colleges.add(college_id)
            manage_colleges.add(college_id)
            levels.add(4)
        elif kind == PostKind.OFFICE:
            everything = True
            levels.add(5)
        elif kind == PostKind.BRANCH_SECRETARY:
            branches.add(branch_id)
        elif kind == PostKind.SMALL_GRID_LEADER:
            small_grids.add(small_grid_id)
    # An activist's micro-grid is one room; party posts reach rooms, not classes.
    activist_rooms = {room for kind, room, *_ in posts if kind == PostKind.ACTIVIST}
    party_rooms = set(activist_rooms)
    grid_rooms = set()
    if branches or small_grids:
        grid_rooms = set(
            PartyRoom.objects.filter(Q(branch_id__in=branches) | Q(small_grid_id__in=small_grids))
            .order_by()
            .values_list("room_id", flat=True)
        )
        party_rooms |= grid_rooms
    bed_ids = frozenset(room_beds)
    if grid_rooms - rooms - activist_rooms:  # rooms whose beds did not come with the posts
        from campusgrid.org.models import Bed

        # The party grid's rooms' beds (unordered: Bed's default ordering joins room and building).
        beds = Bed.objects.filter(room_id__in=grid_rooms - rooms - activist_rooms).order_by()
        bed_ids |= frozenset(beds.values_list("id", flat=True))
    is_staff_member = staff is not None and staff.active
    granted = frozenset()
    if is_staff_member:
        granted = frozenset(
            AccessGrant.objects.filter(user=user, until__gte=today)
            .order_by()
            .values_list("student_id", flat=True)
        )
    if not is_staff_member:
        # Students never hold level-3 rights, whatever their posts (SPEC §4).
        manage_colleges, manage_classes = set(), set()
    return Scope(
        everything=everything,
        college_ids=frozenset(colleges),
        class_ids=frozenset(classes),
        room_ids=frozenset(rooms),
        party_room_ids=frozenset(party_rooms),
        self_student_id=student.id if student is not None else None,
        manage_everything=everything and is_staff_member,
        manage_college_ids=frozenset(manage_colleges),
        manage_class_ids=frozenset(manage_classes),
        granted_student_ids=granted,
        is_staff_member=is_staff_member,
        staff_id=staff.id if staff is not None else None,
        levels=frozenset(levels),
        cadre_class_ids=frozenset(cadre_classes),
        bed_ids=bed_ids,
        user_id=user.pk,
        post_kinds=frozenset(kind for kind, *_ in posts),
        branch_ids=frozenset(branches),
        small_grid_ids=frozenset(small_grids),
        activist_room_ids=frozenset(activist_rooms),
    )


def rooms_of_scope(scope: Scope, path: str = "", action: str = VIEW) -> Q:
    """The scope rule of rooms (core's `room_q`): the user's own rooms (dorm head, party
    grid) when viewing, and rooms where a student in scope lives."""
    parts = []
    own_rooms = scope.room_ids | scope.party_room_ids if action == VIEW else frozenset()
    if own_rooms:
        parts.append(Q(**{f"{path}id__in": own_rooms}))
    through_students = student_q(scope, "", action)
    if through_students is not MATCH_NOTHING:
        students = Student.objects.filter(through_students, bed__isnull=False)
        parts.append(Q(**{f"{path}id__in": students.values("bed__room_id")}))
    return _or(parts)


# --- predicates that need the residents of a room ------------------------------------------------


def managed_room_ids(user) -> frozenset[int]:
    """The rooms where a student the user manages (level 3+) lives: `room_q(scope, CHANGE)`,
    read once per request and kept on the user like the scope itself."""
    from campusgrid.core.scoping import CHANGE, scope_for
    from campusgrid.org.models import Room

    cached = getattr(user, "_campusgrid_managed_rooms", None)
    if cached is not None:
        return cached
    scope = scope_for(user)
    if not scope.is_manager:
        ids = frozenset()
    else:
        # Unordered: Room's default ordering joins the building, which a set of ids does not need.
        ids = frozenset(Room.objects.visible_to(user, CHANGE).order_by().values_list("pk", flat=True))
    user._campusgrid_managed_rooms = ids
    return ids


def is_manager_of_room(user, room_id: int | None) -> bool:
    """Level 3+ over someone living in the room (the office over every room)."""
    from campusgrid.core.scoping import scope_for

    scope = scope_for(user)
    if scope.manage_everything:
        return True
    return room_id is not None and room_id in managed_room_ids(user)


def may_check_room(user, room_id: int | None) -> bool:
    """May open the night-check form of a room: its dorm head, or level 3+ over a resident
    (ledgers.selectors.room_for_check asks the same)."""
    from campusgrid.core.scoping import scope_for

    return scope_for(user).is_dorm_head_of(room_id) or is_manager_of_room(user, room_id)
