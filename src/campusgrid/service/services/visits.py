"""Every write of 走访: recording a visit (rooms or a class, who went, what was seen, follow-ups),
and turning a follow-up into a problem report or a talk record through their own services."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from campusgrid.core import clock
from campusgrid.core.audit import audit_record
from campusgrid.core.errors import Conflict, NotAllowed, ServiceError
from campusgrid.core.names import person_name
from campusgrid.core.scoping import CHANGE, scope_for
from campusgrid.org.models import Room

from .. import policy_more as policy
from ..models import FollowUp, Visit, VisitKind

MAX_ROOMS = 40


def visit_record(
    *,
    actor,
    kind: str,
    visited_on: dt.date,
    seen: str,
    rooms=(),
    school_class=None,
    companions: str = "",
    visitors=(),
    follow_ups=(),
) -> Visit:
    """走访记录. Rooms must house students the actor manages (level 3+); a classroom visit names
    one class they manage. `visitors` are other staff who went (the actor always did);
    `follow_ups` are lines of what must be done next."""
    if not policy.may_visit(actor):
        raise NotAllowed("只有辅导员、班主任、学院领导或学工部可以登记走访")
    scope = scope_for(actor)
    errors = {}
    rooms = list({r.pk: r for r in rooms}.values())
    seen = (seen or "").strip()
    if kind not in VisitKind.values:
        errors["kind"] = "请选择走访类型"
    if visited_on is None:
        errors["visited_on"] = "请填写走访日期"
    elif visited_on > clock.today():
        errors["visited_on"] = "走访日期不能晚于今天"
    if len(seen) < 2:
        errors["seen"] = "请填写走访情况"
    elif len(seen) > 4000:
        errors["seen"] = "走访情况最多4000字"
    if kind == VisitKind.DORM:
        if not rooms:
            errors["rooms"] = "请至少选择一间寝室"
        elif len(rooms) > MAX_ROOMS:
            errors["rooms"] = f"一次最多登记{MAX_ROOMS}间寝室"
        else:
            managed = set(
                Room.objects.visible_to(actor, CHANGE)
                .filter(pk__in=[r.pk for r in rooms])
                .values_list("pk", flat=True)
            )
            outside = [r.label for r in rooms if r.pk not in managed]
            if outside:
                errors["rooms"] = f"不是您所带学生的寝室：{'、'.join(outside)}"
    if kind == VisitKind.CLASSROOM:
        if school_class is None:
            errors["school_class"] = "请选择班级"
        elif not scope.is_manager_of(school_class):
            errors["school_class"] = f"{school_class.name}不是您所带的班级"
    lines = [str(t).strip()[:255] for t in follow_ups if str(t).strip()]
    if len(lines) > 20:
        errors["follow_ups"] = "后续事项最多20条"
    if errors:
        first = next(iter(errors))
        raise ServiceError(errors[first], field=first, errors=errors)
    college_id = _college_of(actor, rooms, school_class)
    with transaction.atomic():
        visit = Visit.objects.create(
            kind=kind,
            visited_on=visited_on,
            college_id=college_id,
            school_class=school_class if kind == VisitKind.CLASSROOM else None,
            companions=(companions or "").strip()[:255],
            seen=seen,
            recorded_by=actor,
            recorded_by_name=person_name(actor),
        )
        if kind == VisitKind.DORM:
            visit.rooms.set(rooms)
        visit.visitors.set({actor.pk, *[v.pk for v in visitors]})
        FollowUp.objects.bulk_create([FollowUp(visit=visit, text=line) for line in lines])
        audit_record(actor=actor, verb="visit.record", target=visit, summary=str(visit))
    return visit


def _college_of(actor, rooms, school_class) -> int:
    if school_class is not None:
        return school_class.college_id
    from campusgrid.people.models import Student

    found = (
        Student.objects.filter(bed__room__in=rooms, status="enrolled")
        .values_list("college_id", flat=True)
        .first()
    )
    if found:
        return found
    staff = getattr(actor, "staff", None)
    if staff is not None and staff.college_id:
        return staff.college_id
    raise ServiceError("无法确定走访所属学院（寝室无人居住）", field="rooms")


def follow_up_to_report(*, actor, follow_up: FollowUp, student=None, severity: str = "normal"):
    """A follow-up becomes a problem report (reports' own report_create), once."""
    from campusgrid.reports.services import report_create

    if not policy.may_visit(actor):
        raise NotAllowed("只有辅导员、班主任、学院领导或学工部可以处理走访后续事项")
    with transaction.atomic():
        # Lock the follow-up: one report per follow-up, whoever presses first.
        locked = FollowUp.objects.select_for_update(of=("self",)).select_related("visit").get(pk=follow_up.pk)
        if locked.problem_id:
            raise Conflict(f"该事项已转为问题上报 #{locked.problem_id}")
        rooms = list(locked.visit.rooms.all())
        room = rooms[0] if len(rooms) == 1 and student is None else None
        if student is None and room is None:
            raise ServiceError("请填写涉及学生的学号", field="student")
        report = report_create(
            actor=actor,
            category="其他",
            severity=severity,
            description=f"【走访后续】{locked.text}",
            students=[student] if student else [],
            room=room,
            source="走访",
        )
        locked.problem, locked.student = report, student
        locked.room = room
        locked.save(update_fields=["problem", "student", "room"])
        audit_record(
            actor=actor, verb="visit.follow_up_report", target=locked.visit, summary=f"问题上报 #{report.pk}"
        )
    return report


def follow_up_to_talk(*, actor, follow_up: FollowUp, student, summary: str, talked_on: dt.date | None = None):
    """A follow-up becomes a talk record in the student's dossier (dossiers' talk_record_create), once."""
    from campusgrid.dossiers.services import talk_record_create

    if student is None:
        raise ServiceError("请填写谈话学生的学号", field="student")
    with transaction.atomic():
        locked = FollowUp.objects.select_for_update(of=("self",)).select_related("visit").get(pk=follow_up.pk)
        if locked.talk_id:
            raise Conflict("该事项已记录谈心谈话")
        talk = talk_record_create(
            actor=actor,
            student=student,
            talked_on=talked_on or clock.today(),
            place=f"走访（{locked.visit.get_kind_display()}）",
            summary=summary or locked.text,
            next_step="",
        )
        locked.talk, locked.student = talk, student
        locked.save(update_fields=["talk", "student"])
        audit_record(
            actor=actor,
            verb="visit.follow_up_talk",
            target=locked.visit,
            summary=f"谈心谈话 {student.student_no}",
        )
    return talk
