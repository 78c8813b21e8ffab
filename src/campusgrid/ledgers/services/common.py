"""What the ledger services share: who may act where, who holds which post."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from campusgrid.core.excel import person_name
from campusgrid.core.scoping import scope_for
from campusgrid.grid.models import Post, PostKind
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
        .order_by("bed__number")
    )


def holders_by_class(class_ids: Iterable[int], kinds: Iterable[str]) -> dict[int, list]:
    """The users holding `kinds` posts over each class today: {class_id: [user, ...]}."""
    result = defaultdict(list)
    posts = (
        Post.objects.current()
        .filter(kind__in=list(kinds), school_class_id__in=list(set(class_ids)))
        .select_related("student__user", "staff__user")
    )
    for post in posts:
        holder = post.student or post.staff
        if holder is None or holder.user_id is None:
            continue
        if post.student is not None and not post.student.is_enrolled:
            continue
        if post.staff is not None and not post.staff.active:
            continue
        result[post.school_class_id].append(holder.user)
    return result


def dorm_head_users(room_ids: Iterable[int]) -> dict[int, list]:
    result = defaultdict(list)
    posts = (
        Post.objects.current()
        .filter(kind=PostKind.DORM_HEAD, room_id__in=list(set(room_ids)))
        .select_related("student__user")
    )
    for post in posts:
        if post.student is not None and post.student.user_id and post.student.is_enrolled:
            result[post.room_id].append(post.student.user)
    return result


def in_term(day) -> bool:
    """School nights: inside a semester and outside its holidays (no checks in the vacation)."""
    from campusgrid.org.models import Holiday

    if not Semester.objects.filter(start__lte=day, end__gte=day).exists():
        return False
    return not Holiday.objects.filter(start__lte=day, end__gte=day).exists()
