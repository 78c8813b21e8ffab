"""Every write to students and staff goes through here."""

from __future__ import annotations

import datetime as dt
import functools

from django.contrib.auth import get_user_model
from django.db import transaction

from campusgrid.core import clock
from campusgrid.core.actors import as_user, require_actor
from campusgrid.core.audit import audit_record
from campusgrid.core.crypto import digest
from campusgrid.core.errors import Conflict, ServiceError
from campusgrid.core.validators import id_number_problem, mobile_problem, normalize_id_number
from campusgrid.org.models import Bed

from . import residence
from .models import PoliticalStatus, PoliticalStatusChange, Staff, Student


@functools.lru_cache(maxsize=65536)
def name_initials(name: str) -> str:
    """Pinyin initials of a Chinese name, lower case: 张三 -> zs."""
    from pypinyin import Style, lazy_pinyin

    return "".join(part[:1] for part in lazy_pinyin(name or "", style=Style.FIRST_LETTER)).lower()[:32]


def _check_contact(fields: dict) -> None:
    for key, label in (("phone", "手机号"), ("parent_phone", "家长电话")):
        value = (fields.get(key) or "").strip()
        if value and key == "phone" and mobile_problem(value):
            raise ServiceError(f"{label}格式不正确：{mobile_problem(value)}", field=key)
    id_number = fields.get("id_number")
    if id_number:
        problem = id_number_problem(id_number)
        if problem:
            raise ServiceError(problem, field="id_number")


def student_update(*, actor, student: Student, expected_version: int | None = None, **changes) -> Student:
    """Edit a student's profile fields; refuses a save based on an outdated version."""
    allowed = {"name", "gender", "phone", "parent_phone", "id_number", "ethnicity", "origin"}
    unknown = set(changes) - allowed
    if unknown:
        raise ServiceError(f"不能通过此操作修改：{', '.join(sorted(unknown))}")
    _check_contact(changes)
    with transaction.atomic():
        # Lock the row so two editors cannot both pass the version check.
        locked = Student.objects.select_for_update().get(pk=student.pk)
        locked.check_version(expected_version)
        changed = []
        for key, value in changes.items():
            if key == "id_number":
                value = normalize_id_number(value)
            if getattr(locked, key) != value:
                setattr(locked, key, value)
                changed.append(key)
        if not changed:
            return locked
        if "id_number" in changed:
            locked.id_number_digest = digest(locked.id_number)
            changed.append("id_number_digest")
        if "name" in changed:
            locked.name_initials = name_initials(locked.name)
            changed.append("name_initials")
        locked.version += 1
        locked.updated_at = clock.now()
        locked.save(update_fields=[*changed, "version", "updated_at"])
        audit_record(
            actor=actor,
            verb="student.update",
            target=locked,
            summary=f"修改学生信息 {locked}",
            fields=[c for c in changed if c not in ("id_number", "id_number_digest")],
        )
    return locked


def student_assign_bed(*, actor, student: Student, bed: Bed | None) -> Student:
    """Move a student to a bed (or out of housing with None); the 住宿记录 follows (a trigger),
    dated by the clock."""
    with transaction.atomic(), residence.dated():
        if bed is not None:
            # Lock the bed row: two moves into the same bed at once must not both succeed.
            bed = Bed.objects.select_for_update().select_related("room__building").get(pk=bed.pk)
            occupant = Student.objects.filter(bed=bed).exclude(pk=student.pk).first()
            if occupant is not None:
                raise Conflict(f"床位 {bed} 已有学生 {occupant.name} 入住")
            if bed.number > bed.room.capacity:
                raise ServiceError(f"床号超出寝室床位数（{bed.room.capacity}）")
        old = student.bed
        student.bed = bed
        student.version += 1
        student.updated_at = clock.now()
        student.save(update_fields=["bed", "version", "updated_at"])
        audit_record(
            actor=actor,
            verb="student.move",
            target=student,
            summary=f"{student.name} 床位 {old or '无'} → {bed or '无'}",
            old_bed=old.pk if old else None,
            new_bed=bed.pk if bed else None,
        )
    return student


def political_status_change(
    *, actor, student: Student, status: str, on: dt.date | None = None, note: str = ""
) -> PoliticalStatusChange:
    require_actor(actor)
    if status not in PoliticalStatus.values:
        raise ServiceError("政治面貌无效", field="political_status")
    on = on or clock.today()
    with transaction.atomic():
        change = PoliticalStatusChange.objects.create(
            student=student, status=status, changed_on=on, recorded_by=as_user(actor), note=note
        )
        latest = student.political_history.order_by("-changed_on", "-id").first()
        if latest and student.political_status != latest.status:
            student.political_status = latest.status
            student.version += 1
            student.save(update_fields=["political_status", "version"])
        audit_record(
            actor=actor,
            verb="student.political_status",
            target=student,
            summary=f"{student.name} 政治面貌 {change.get_status_display()}（{on}）",
        )
    return change


def account_for(person: Student | Staff, username: str):
    """Make sure the person has a login (username = 学号/工号). New accounts have
    no usable password until one is set (or CAS is configured)."""
    User = get_user_model()
    if person.user_id:
        return person.user
    user, _ = User.objects.get_or_create(username=username, defaults={"first_name": person.name[:150]})
    if user.password == "":
        user.set_unusable_password()
        user.save(update_fields=["password"])
    person.user = user
    person.save(update_fields=["user"])
    return user


def api_token_create(*, actor) -> str:
    """The actor's API token, made anew (an old one stops working); returns the key, which
    is shown once. Tokens expire CAMPUSGRID_TOKEN_DAYS after creation (core/auth.py)."""
    from rest_framework.authtoken.models import Token

    with transaction.atomic():
        Token.objects.filter(user=actor).delete()
        token = Token.objects.create(user=actor)
        audit_record(actor=actor, verb="api_token_create", target=actor, summary="生成 API 令牌")
    return token.key


def api_token_revoke(*, actor) -> bool:
    """Revokes the actor's API token; False when there was none."""
    from rest_framework.authtoken.models import Token

    with transaction.atomic():
        deleted, _ = Token.objects.filter(user=actor).delete()
        if deleted:
            audit_record(actor=actor, verb="api_token_revoke", target=actor, summary="撤销 API 令牌")
    return bool(deleted)
