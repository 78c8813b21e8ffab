"""Who may see a student's sensitive personal data, and the log of every look.

One policy (SPEC §4): level 3 and above in scope (counselor, class teacher,
leader, university office) and people granted access explicitly; a student
sees only their own. Masking and logging go through here.
"""

from __future__ import annotations

from collections.abc import Iterable

from .models import AccessLog
from .names import person_name
from .scoping import scope_for
from .validators import mask_id_number, mask_phone


def may_see_sensitive(user, student) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if student.user_id is not None and student.user_id == user.id:
        return True
    scope = scope_for(user)
    return scope.manages(college_id=student.college_id, class_id=student.school_class_id) or (
        student.id in scope.granted_student_ids
    )


def may_see_contact(user, student) -> bool:
    """Phone numbers follow the same rule: students see nobody's but their own."""
    return may_see_sensitive(user, student)


def shown_id_number(user, student) -> str:
    value = student.id_number or ""
    return value if may_see_sensitive(user, student) else mask_id_number(value)


def shown_phone(user, student, value: str) -> str:
    return value if may_see_contact(user, student) else mask_phone(value)


def client_ip(request) -> str | None:
    if request is None:
        return None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return (forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR")) or None


def log_access(
    *,
    request=None,
    actor=None,
    item: str,
    students: Iterable,
    action: str = AccessLog.Action.VIEW,
    purpose: str = "",
) -> int:
    """Write one access-log row per student whose sensitive `item` was revealed."""
    actor = actor or (request.user if request is not None else None)
    rows = [
        AccessLog(
            actor=actor,
            actor_name=person_name(actor),
            action=action,
            item=item,
            student=student,
            student_no=student.student_no,
            path=(request.get_full_path()[:255] if request is not None else ""),
            ip=client_ip(request),
            purpose=purpose[:255],
        )
        for student in students
    ]
    AccessLog.objects.bulk_create(rows)
    return len(rows)
