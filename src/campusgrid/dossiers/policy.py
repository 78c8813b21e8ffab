"""Who may read, change and hand out the sensitive data of this app (SPEC §4).

Read: level 3 and above over the student (counselor, class teacher of the class,
leader of the college, the university office) and staff granted access to the
student explicitly (grid.AccessGrant, until its end date). Change: level 3 and
above only. Grant: level 4 and above (college leaders, the office). A student
reads none of it, not even their own file: the counselor's notes are working
records, and a student's posts never raise them to level 3 (grid.scope)."""

from __future__ import annotations

from campusgrid.core.scoping import scope_for


def may_see_dossier(user, student) -> bool:
    if user is None or not user.is_authenticated:
        return False
    scope = scope_for(user)
    return scope.is_manager_of(student) or student.id in scope.granted_student_ids


def may_manage_dossier(user, student) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return scope_for(user).is_manager_of(student)


def is_manager(user) -> bool:
    """Level 3 and above somewhere: may use the key-student pages at all."""
    return scope_for(user).is_manager


def may_use_dossiers(user) -> bool:
    """Managers, and staff holding at least one current grant."""
    return is_manager(user) or bool(scope_for(user).granted_student_ids)


def is_college_leader(user) -> bool:
    """Level 4 and above: may grant access and search the access log."""
    return scope_for(user).leads_college()


def may_grant(user, student) -> bool:
    return scope_for(user).leads_college(student.college_id)
