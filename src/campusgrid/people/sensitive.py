"""Who may see a student's sensitive personal data, how it shows when they may not,
and the log of every look.

One policy (SPEC §4): level 3 and above in scope (counselor, class teacher,
leader, university office) and people granted access explicitly; a student
sees only their own. `SENSITIVE_FIELDS` is the one declaration of the fields
masked field by field (whole records — dossiers, talk records, screening — are
left out by their querysets instead); `shown()` masks them for pages, exports
and the API alike, with one text (`HIDDEN`) for what cannot be partly shown.
This lives in `people` (not `core`): it is about students, and every app that
shows students builds on `people`.
"""

from __future__ import annotations

from collections.abc import Iterable

from campusgrid.core.names import person_name
from campusgrid.core.scoping import scope_for
from campusgrid.core.validators import mask_id_number, mask_phone

from .models import AccessLog

ID_NUMBER = "id_number"  # 110***********1234
PHONE = "phone"  # 138****5678
WHOLLY = "wholly"  # replaced by HIDDEN

HIDDEN = "（无权查看）"

# (app_label.Model, field) -> how it is masked. The student whose data it is: the row
# itself for Student, its `student` otherwise.
SENSITIVE_FIELDS: dict[tuple[str, str], str] = {
    ("people.Student", "id_number"): ID_NUMBER,
    ("people.Student", "phone"): PHONE,
    ("people.Student", "parent_phone"): PHONE,
    ("ledgers.LeaveRequest", "reason"): WHOLLY,
    ("ledgers.LeaveRequest", "contact"): PHONE,
    ("ledgers.HolidayRegistration", "emergency_phone"): PHONE,
}


def mask(value, how: str) -> str:
    if how == ID_NUMBER:
        return mask_id_number(value or "")
    if how == PHONE:
        return mask_phone(value or "")
    return HIDDEN if value else ""


def shown(user, obj, field: str, *, student=None) -> str:
    """`obj.field` as `user` may see it: the value, or its mask (one rule, one text)."""
    how = SENSITIVE_FIELDS[(obj._meta.label, field)]
    if student is None:
        student = obj if obj._meta.label == "people.Student" else obj.student
    value = getattr(obj, field) or ""
    return value if may_see_sensitive(user, student) else mask(value, how)


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
    return shown(user, student, "id_number")


def shown_phone(user, student, value: str) -> str:
    return value if may_see_contact(user, student) else mask(value, PHONE)


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
    """Write one access-log row per student whose sensitive `item` was revealed; a
    student revealed twice by one response (a list of rows about the same student)
    is logged once."""
    actor = actor or (request.user if request is not None else None)
    students = list({student.pk: student for student in students}.values())
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
