"""Every write to the grids: appointing and ending posts, and the student
changes that affect coverage (status, room, class)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from campusgrid.core import clock
from campusgrid.core.actors import as_user, is_system, require_actor
from campusgrid.core.audit import audit_record
from campusgrid.core.errors import Conflict, NotAllowed, ServiceError
from campusgrid.core.scoping import CHANGE, forget_scope, scope_for
from campusgrid.org.models import Bed, College, Room, SchoolClass
from campusgrid.people import residence
from campusgrid.people import services as people_services
from campusgrid.people.models import Staff, Student, StudentStatus

from . import eligibility
from .models import POST_RULES, PartyBranch, Post, PostKind, SmallGrid

PLACE_MODELS = {
    "room": Room,
    "school_class": SchoolClass,
    "college": College,
    "branch": PartyBranch,
    "small_grid": SmallGrid,
}


def may_manage_place(actor, kind: str, place) -> bool:
    """Appointing needs level 3 over the place: counselors for their classes and the
    rooms of their students, leaders for their college, the office for all."""
    require_actor(actor)
    if is_system(actor):  # command line, imports and demo steps run as the system
        return True
    scope = scope_for(actor)
    if scope.manage_everything:
        return True
    if place is None:
        return False
    if isinstance(place, College):
        return place.pk in scope.manage_college_ids
    if isinstance(place, SchoolClass):
        if kind in (PostKind.COUNSELOR, PostKind.CLASS_TEACHER):
            return place.college_id in scope.manage_college_ids
        return scope.manages(college_id=place.college_id, class_id=place.pk)
    if isinstance(place, Room):
        return Room.objects.visible_to(actor, CHANGE).filter(pk=place.pk).exists()
    if isinstance(place, PartyBranch):
        return place.college_id in scope.manage_college_ids
    if isinstance(place, SmallGrid):
        return place.branch.college_id in scope.manage_college_ids
    return False


def post_appoint(
    *, actor, kind: str, holder: Student | Staff, place=None, start: dt.date | None = None, note: str = ""
) -> Post:
    """Appoint `holder` to `kind` at `place`; for single-holder posts the current
    holder's term ends the day the successor's begins. History is kept."""
    if kind not in PostKind.values:
        raise ServiceError("职务类型无效")
    rule = POST_RULES[kind]
    if rule["place"] and (place is None or not isinstance(place, PLACE_MODELS[rule["place"]])):
        raise ServiceError(f"{PostKind(kind).label}需要指定任职的{_place_label(rule['place'])}")
    if not may_manage_place(actor, kind, place):
        raise NotAllowed("您无权任命该职务（需要该班级的辅导员或学院领导）")
    why = eligibility.problem_for(kind, holder, place)
    if why:
        raise ServiceError(f"不能任命{holder.name}为{PostKind(kind).label}：{why}")
    start = start or clock.today()
    place_field = rule["place"]
    with transaction.atomic():
        existing = Post.objects.select_for_update().filter(kind=kind, end_date__isnull=True)
        if place_field:
            existing = existing.filter(**{place_field: place})
        holder_field = "student" if isinstance(holder, Student) else "staff"
        if existing.filter(**{holder_field: holder}).exists():
            raise Conflict(f"{holder.name}已担任该职务")
        if (
            kind == PostKind.ACTIVIST
            and Post.objects.filter(kind=kind, student=holder, end_date__isnull=True).exists()
        ):
            raise ServiceError(f"{holder.name}已负责另一个寝室（一名积极分子只负责一个寝室）")
        if rule["single"]:
            # Lock the current holder's row so two concurrent successors cannot both end it.
            for previous in existing:
                _end(previous, on=start, reason=f"由{holder.name}接任", actor=actor)
        try:
            with transaction.atomic():
                post = Post.objects.create(
                    kind=kind,
                    start_date=start,
                    appointed_by=as_user(actor),
                    **{holder_field: holder},
                    **({place_field: place} if place_field else {}),
                )
        except IntegrityError:
            raise Conflict("该职务刚刚被他人任命，请刷新后重试")
        audit_record(
            actor=actor,
            verb="post.appoint",
            target=post,
            summary=f"任命 {holder.name} 为 {post.place_label} {post.get_kind_display()}",
            note=note,
        )
    _forget(holder)
    return post


def post_end(*, actor, post: Post, on: dt.date | None = None, reason: str = "") -> Post:
    if not may_manage_place(actor, post.kind, post.place):
        raise NotAllowed("您无权免去该职务")
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        if locked.end_date is not None:
            raise Conflict("该任职已结束")
        _end(locked, on=on or clock.today(), reason=reason or "免职", actor=actor)
    _forget(locked.holder)
    return locked


def _end(post: Post, *, on: dt.date, reason: str, actor) -> None:
    post.end_date = max(on, post.start_date)
    post.end_reason = reason[:100]
    post.save(update_fields=["end_date", "end_reason"])
    audit_record(
        actor=actor,
        verb="post.end",
        target=post,
        summary=f"{post.holder_name} 卸任 {post.place_label} {post.get_kind_display()}：{reason}",
    )


def _forget(holder) -> None:
    user = getattr(holder, "user", None)
    if user is not None:
        forget_scope(user)


def student_status_change(*, actor, student: Student, status: str, on: dt.date | None = None) -> Student:
    """休学/退学/毕业: the student leaves their bed and every grid post (SPEC §2);
    nothing about them is deleted."""
    if status not in StudentStatus.values:
        raise ServiceError("学籍状态无效")
    _require_manage(actor, student)
    on = on or clock.today()
    with transaction.atomic(), residence.dated(on):  # the bed's stay ends the day they leave
        locked = Student.objects.select_for_update().get(pk=student.pk)
        if locked.status == status:
            return locked
        old = locked.status
        locked.status = status
        locked.left_on = None if status == StudentStatus.ENROLLED else on
        locked.version += 1
        locked.updated_at = clock.now()
        fields = ["status", "left_on", "version", "updated_at"]
        if status != StudentStatus.ENROLLED and locked.bed_id:
            locked.bed = None
            fields.append("bed")
        locked.save(update_fields=fields)
        if status != StudentStatus.ENROLLED:
            label = StudentStatus(status).label
            for post in Post.objects.select_for_update().filter(student=locked, end_date__isnull=True):
                _end(post, on=on, reason=f"学生{label}", actor=actor)
        audit_record(
            actor=actor,
            verb="student.status",
            target=locked,
            summary=f"{locked.name} 学籍状态 {StudentStatus(old).label} → {StudentStatus(status).label}",
        )
    return locked


def student_move(*, actor, student: Student, bed: Bed | None) -> Student:
    """调整寝室. Posts stay: a dorm head who moves out is flagged by the audit
    until the counselor appoints a successor."""
    _require_manage(actor, student)
    return people_services.student_assign_bed(actor=actor, student=student, bed=bed)


def student_set_class(*, actor, student: Student, school_class: SchoolClass | None) -> Student:
    _require_manage(actor, student)
    if school_class is not None and not is_system(actor):
        scope = scope_for(actor)
        if not scope.manages(college_id=school_class.college_id, class_id=school_class.pk):
            raise NotAllowed("您无权把学生调入该班级")
    with transaction.atomic():
        locked = Student.objects.select_for_update().get(pk=student.pk)
        old = locked.school_class
        locked.school_class = school_class
        if school_class is not None:
            locked.college_id = school_class.college_id
        locked.version += 1
        locked.save(update_fields=["school_class", "college", "version"])
        audit_record(
            actor=actor,
            verb="student.class",
            target=locked,
            summary=f"{locked.name} 班级 {old or '无'} → {school_class or '无'}",
        )
    return locked


def _require_manage(actor, student: Student) -> None:
    require_actor(actor)
    if is_system(actor):
        return
    if not scope_for(actor).manages(college_id=student.college_id, class_id=student.school_class_id):
        raise NotAllowed("只有该生的辅导员、班主任或学院领导可以办理")


def _place_label(place_field: str) -> str:
    return {
        "room": "寝室",
        "school_class": "班级",
        "college": "学院",
        "branch": "党支部",
        "small_grid": "小网格",
    }[place_field]
