"""Who may do what with the grid (SPEC §4), in the vocabulary of the scope
(core.scoping.Scope predicates, grid.scope for rooms). Navigation, panels, views
and templates ask these; none spells out the scope's id sets itself."""

from __future__ import annotations

from campusgrid.core.scoping import Scope, scope_for


def _scope(user_or_scope) -> Scope:
    return user_or_scope if isinstance(user_or_scope, Scope) else scope_for(user_or_scope)


def may_see_roster(user, scope: Scope | None = None) -> bool:
    """学生名册: anyone whose reach is more than themselves (a plain student has one row: their own)."""
    return _scope(scope or user).is_grid_worker


def may_see_classes(user, scope: Scope | None = None) -> bool:
    """班级 list: class level (monitor) and above."""
    return _scope(scope or user).level_at_least(2)


def may_see_coverage(user, scope: Scope | None = None) -> bool:
    """网格覆盖: class level and above, and the party grid's posts (their rooms)."""
    s = _scope(scope or user)
    return s.level_at_least(2) or bool(s.party_room_ids)


def may_see_posts(user, scope: Scope | None = None) -> bool:
    """网格员 list: grid workers (a plain student's contacts are on their own page)."""
    return _scope(scope or user).is_grid_worker


def may_import(user, scope: Scope | None = None) -> bool:
    """Roster, staff and screening imports: level 3 and above."""
    return _scope(scope or user).is_manager


def may_manage_posts_of_room(user) -> bool:
    """The room page's 任命 links: level 3+ somewhere (the service checks the room itself)."""
    return _scope(user).is_manager


def may_open_class(user, school_class) -> bool:
    """The class page (people:class): as `SchoolClass.objects.visible_to(user)`. Takes a class,
    or a coverage rate row of a class (key = class id, college_id)."""
    if school_class is None:
        return False
    class_id = getattr(school_class, "pk", None)
    if class_id is None:
        class_id = int(school_class.key)
    return _scope(user).sees_class(class_id, school_class.college_id)


def may_open_student(user, student) -> bool:
    """The student's page (people:student), as `Student.objects.visible_to(user)`."""
    return student is not None and _scope(user).sees_student(student)


def may_check_room(user, room) -> bool:
    """The night-check form of a room (ledgers:night-check): its dorm head or level 3+ over a resident."""
    from .scope import may_check_room as rule

    return rule(user, getattr(room, "pk", room))
