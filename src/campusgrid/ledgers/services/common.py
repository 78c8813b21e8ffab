"""What the ledger services share: who may act where, who holds which post."""

from __future__ import annotations

from collections.abc import Iterable

from campusgrid.core.excel import person_name
from campusgrid.core.scoping import scope_for
from campusgrid.grid.models import PostKind
from campusgrid.grid.selectors import holders_by, post_holders
from campusgrid.org.models import Room, Semester
from campusgrid.people.models import Student, StudentStatus

APPROVERS = [PostKind.COUNSELOR, PostKind.CLASS_TEACHER]
CLASS_CADRES = [PostKind.MONITOR, PostKind.LEAGUE_SECRETARY]


def name_of(user) -> str:
    return person_name(user) if user is not None else "系统"


def manages_student(user, student: Student) -> bool:
    """Level 3 and above over this student (counselor, class teacher, leader, office)."""
    return scope_for(user).is_manager_of(student)


def is_dorm_head_of(user, room_id: int | None) -> bool:
    return scope_for(user).is_dorm_head_of(room_id)


def manages_room(user, room: Room) -> bool:
    """Level 3 and above over someone living in the room."""
    from campusgrid.grid.scope import is_manager_of_room

    return is_manager_of_room(user, room.pk)


def may_inspect(user, room: Room) -> bool:
    """Inspections: counselors, leaders and the office over their rooms; a dorm head over their own."""
    return is_dorm_head_of(user, room.pk) or manages_room(user, room)


def residents(room: Room):
    """The enrolled students who sleep in the room, by bed."""
    return (
        Student.objects.filter(bed__room=room, status=StudentStatus.ENROLLED)
        .select_related("school_class", "user")
        .defer("id_number")  # encrypted; a check never shows it
        .order_by("bed__number")
    )


def holders_by_class(class_ids: Iterable[int], kinds: Iterable[str]) -> dict[int, list]:
    """The users holding `kinds` posts over each class today: {class_id: [user, ...]}."""
    return holders_by(post_holders(kinds=kinds, classes=set(class_ids)), "school_class_id")


def dorm_head_users(room_ids: Iterable[int]) -> dict[int, list]:
    return holders_by(post_holders(kinds=PostKind.DORM_HEAD, rooms=set(room_ids)), "room_id")


def in_term(day) -> bool:
    """School nights: inside a semester and outside its holidays (no checks in the vacation)."""
    from campusgrid.org.models import Holiday

    if not Semester.objects.filter(start__lte=day, end__gte=day).exists():
        return False
    return not Holiday.objects.filter(start__lte=day, end__gte=day).exists()
