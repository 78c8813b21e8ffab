"""Reads that pages, API and exports share; scoping happens here."""

from __future__ import annotations

from django.db.models import Count, F, Q

from campusgrid.core.errors import ServiceError
from campusgrid.core.scoping import get_visible_or_404
from campusgrid.org.models import Room, SchoolClass

from .models import Staff, Student


def student_list(*, user, search: str = "", action: str = "view", with_id_number: bool = False):
    qs = (
        Student.objects.visible_to(user, action)
        .select_related("college", "school_class", "school_class__grade", "bed__room__building")
        .order_by("student_no")
    )
    if not with_id_number:
        qs = qs.defer("id_number")  # ciphertext: not decrypted for pages that never show it
    return qs.search(search) if search else qs


# What a roster row draws (people/student_list.html): the list reads these columns only, the
# class and the room as values beside the student on the page's rows (`roster_values`: one model
# a row, not four, and no joins in the list's count: issue 17).
ROSTER_COLUMNS = ("student_no", "name", "gender", "status", "political_status", "college_id", "bed_id")


def student_rows(*, user, search: str = ""):
    """The roster's rows: the same scope and order as `student_list`, only the drawn columns."""
    qs = Student.objects.visible_to(user, "view").only(*ROSTER_COLUMNS).order_by("student_no")
    return qs.search(search) if search else qs


def roster_values() -> dict:
    """The names a roster row shows beside the student's own columns (core.paging's `annotate`)."""
    return {
        "class_name": F("school_class__name"),
        "building_name": F("bed__room__building__name"),
        "room_number": F("bed__room__number"),
    }


def student_get(*, user, student_no: str, action: str = "view") -> Student:
    qs = Student.objects.select_related(
        "college", "school_class__major", "school_class__grade", "bed__room__building", "user"
    )
    return get_visible_or_404(qs, user, action, student_no=student_no)


def class_get(*, user, name: str) -> SchoolClass:
    qs = SchoolClass.objects.select_related("college", "major", "grade")
    return get_visible_or_404(qs, user, "view", name=name)


def class_members(*, user, school_class: SchoolClass):
    return student_list(user=user).filter(school_class=school_class)


def room_get(*, user, building: str, number: str) -> Room:
    qs = Room.objects.select_related("building", "floor")
    return get_visible_or_404(qs, user, "view", building__name=building, number=number)


def room_members(*, user, room: Room):
    return student_list(user=user).filter(bed__room=room).order_by("bed__number")


def class_summaries(*, user, college_id=None):
    """Classes in scope with their enrolled headcount (one query)."""
    qs = SchoolClass.objects.visible_to(user).select_related("college", "major", "grade")
    if college_id:
        qs = qs.filter(college_id=college_id)
    return qs.annotate(headcount=Count("students", filter=Q(students__status="enrolled")))


# --- lookups by what a person types: one error that names the field (page and API) ----------


def students_by_numbers(*, user, numbers, action: str = "view", field: str = "students") -> list[Student]:
    """The students of these 学号 in the user's reach, in the order typed; every
    number out of reach is named in one ServiceError on `field`."""
    numbers = list(dict.fromkeys(n.strip() for n in numbers if n and n.strip()))
    if not numbers:
        return []
    found = {s.student_no: s for s in Student.objects.visible_to(user, action).filter(student_no__in=numbers)}
    missing = [n for n in numbers if n not in found]
    if missing:
        raise ServiceError(f"在您的网格范围内找不到学号：{'、'.join(sorted(missing))}", field=field)
    return [found[n] for n in numbers]


def login_by_number(*, number: str, field: str = "assignee"):
    """The login of the staff member or student with this 工号 / 学号 (or user name):
    whom to transfer a report to. Not scoped: the service decides whether that
    person answers for the report at its level."""
    from django.contrib.auth import get_user_model

    number = (number or "").strip()
    person = None
    if number:
        person = (
            Staff.objects.filter(staff_no=number).select_related("user").first()
            or Student.objects.filter(student_no=number).select_related("user").first()
        )
    if person is not None and person.user_id:
        return person.user
    user = get_user_model().objects.filter(username=number).first() if number else None
    if user is None:
        raise ServiceError(f"找不到学号或工号“{number}”" if number else "请填写学号或工号", field=field)
    return user


def api_tokens(*, user) -> list:
    """The user's own API tokens (DRF keeps one per user) with their expiry, without the key."""
    from rest_framework.authtoken.models import Token

    from campusgrid.core import clock
    from campusgrid.core.auth import token_expires_at

    now = clock.now()
    return [
        {
            "hint": f"{token.key[:4]}…{token.key[-4:]}",
            "created": token.created,
            "expires": token_expires_at(token),
            "expired": now >= token_expires_at(token),
        }
        for token in Token.objects.filter(user=user)
    ]


def recent_sign_ins(*, user, limit: int = 10):
    """The user's own latest sign-ins (django-axes' access log): when, from where."""
    from axes.models import AccessLog

    return AccessLog.objects.filter(username=user.get_username()).order_by("-attempt_time")[:limit]
