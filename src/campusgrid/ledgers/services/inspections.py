"""Safety and hygiene inspections (安全隐患排查 · 卫生检查): rounds over rooms,
hygiene scores, findings with a rectification deadline and re-inspection; what
cannot be fixed in the room, or is not fixed in time, becomes a report up the
chain (seed 000 三.(一)6). Semester ratings from the scores (文明宿舍 · 星级宿舍 · 示范寝室)."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Avg, Count
from django.urls import reverse

from campusgrid.core import clock
from campusgrid.core.actors import SYSTEM, is_system, require_actor
from campusgrid.core.audit import audit_record
from campusgrid.core.errors import Conflict, NotAllowed, ServiceError
from campusgrid.core.scoping import scope_for
from campusgrid.notifications.services import notify
from campusgrid.org.models import Room, Semester
from campusgrid.people.models import Student
from campusgrid.reports.models import Report
from campusgrid.reports.services import check_photo, report_create

from .. import policy
from ..models import (
    EscalationReason,
    Finding,
    FindingRecheck,
    FindingState,
    Inspection,
    InspectionItem,
    InspectionRound,
    LedgerSettings,
    RoomRating,
    RoundKind,
)
from .common import dorm_head_users, may_inspect, name_of

log = logging.getLogger("campusgrid.ledgers")
MAX_ROOMS = 5000


def _finding_url(finding: Finding) -> str:
    return reverse("ledgers:finding", args=[finding.pk])


def inspection_round_create(
    *,
    actor,
    title: str,
    rooms: list[Room],
    date: dt.date | None = None,
    kind: str = RoundKind.BOTH,
    note: str = "",
) -> InspectionRound:
    """A round over `rooms`: counselors, leaders and the office over the rooms of
    their students; a dorm head over their own room."""
    title = (title or "").strip()
    if not title:
        raise ServiceError("请填写检查名称", field="title")
    if kind not in RoundKind.values:
        raise ServiceError("请选择检查类型", field="kind")
    rooms = list({r.pk: r for r in rooms}.values())
    if not rooms:
        raise ServiceError("请选择要检查的寝室", field="rooms")
    if len(rooms) > MAX_ROOMS:
        raise ServiceError(f"一次检查最多{MAX_ROOMS}间寝室", field="rooms")
    scope = scope_for(actor)
    if not scope.manage_everything:
        from campusgrid.core.scoping import CHANGE

        managed = set(
            Room.objects.visible_to(actor, CHANGE)
            .filter(pk__in=[r.pk for r in rooms])
            .values_list("pk", flat=True)
        )
        outside = [r.label for r in rooms if r.pk not in managed and r.pk not in scope.room_ids]
        if outside:
            raise NotAllowed(f"不能检查您管理范围以外的寝室：{'、'.join(outside[:5])}")
    date = date or clock.today()
    if date > clock.today():
        raise ServiceError("检查日期不能晚于今天", field="date")
    staff = getattr(actor, "staff", None)
    college_id = staff.college_id if staff is not None and staff.college_id else None
    if college_id is None:
        college_id = Student.objects.filter(bed__room=rooms[0]).values_list("college_id", flat=True).first()
    now = clock.now()
    with transaction.atomic():
        round_ = InspectionRound.objects.create(
            title=title[:100],
            kind=kind,
            date=date,
            semester=Semester.current(date),
            college_id=college_id,
            created_by=actor,
            created_by_name=name_of(actor),
            created_at=now,
            note=(note or "")[:255],
        )
        Inspection.objects.bulk_create([Inspection(round=round_, room=r) for r in rooms], batch_size=1000)
        audit_record(
            actor=actor, verb="inspection.round", target=round_, summary=f"{title}（{len(rooms)}间寝室）"
        )
    return round_


def inspection_record(
    *, actor, inspection: Inspection, hygiene_score: int | None = None, note: str = ""
) -> Inspection:
    """Record that the room was inspected, with its hygiene score (0–100)."""
    if not may_inspect(actor, inspection.room):
        raise NotAllowed("不能检查您管理范围以外的寝室")
    if hygiene_score is not None and not 0 <= int(hygiene_score) <= 100:
        raise ServiceError("卫生得分应在0到100之间", field="hygiene_score")
    if inspection.round.kind in (RoundKind.HYGIENE, RoundKind.BOTH) and hygiene_score is None:
        raise ServiceError("卫生检查请填写卫生得分", field="hygiene_score")
    with transaction.atomic():
        # Lock: two inspectors saving the same room at once keep one consistent record.
        locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
        locked.state = Inspection.State.DONE
        locked.inspected_at = clock.now()
        locked.inspector, locked.inspector_name = actor, name_of(actor)
        locked.hygiene_score = hygiene_score
        locked.note = (note or "")[:255]
        locked.save(
            update_fields=["state", "inspected_at", "inspector", "inspector_name", "hygiene_score", "note"]
        )
        audit_record(
            actor=actor,
            verb="inspection.record",
            target=locked,
            summary=f"{inspection.room.label} {hygiene_score}",
        )
    return locked


def finding_add(
    *,
    actor,
    inspection: Inspection,
    item: InspectionItem,
    description: str = "",
    photo=None,
    students: list[Student] = (),
    deadline: dt.date | None = None,
    cannot_fix: bool = False,
) -> Finding:
    """A hazard found in the room: who is responsible and by when it must be fixed.
    One that cannot be fixed in the room is reported up the chain at once."""
    room = inspection.room
    if not may_inspect(actor, room):
        raise NotAllowed("不能检查您管理范围以外的寝室")
    if not item.active:
        raise ServiceError("该检查项目已停用", field="item")
    settings = LedgerSettings.get()
    today = clock.today()
    deadline = deadline or today + dt.timedelta(days=settings.finding_deadline_days)
    if deadline < today:
        raise ServiceError("整改期限不能早于今天", field="deadline")
    description = (description or "").strip()
    students = list({s.pk: s for s in students}.values())
    strangers = [s.name for s in students if not (s.bed_id and s.bed.room_id == room.pk)]
    if strangers:
        raise ServiceError(f"责任学生应为本寝室成员：{'、'.join(strangers)}", field="students")
    checked = check_photo(photo) if photo else None
    now = clock.now()
    with transaction.atomic():
        # Lock the room's inspection: the finding and the "inspected" mark go together.
        locked = (
            Inspection.objects.select_for_update(of=("self",))
            .select_related("round", "room__building")
            .get(pk=inspection.pk)
        )
        finding = Finding.objects.create(
            inspection=locked,
            room=room,
            item=item,
            description=description,
            deadline=deadline,
            found_at=now,
            found_by=actor,
            found_by_name=name_of(actor),
        )
        if checked:
            upload, content_type, _size = checked
            finding.photo.save(upload.name, upload, save=False)
            finding.photo_type = content_type
            finding.save(update_fields=["photo", "photo_type"])
        finding.students.set(students)
        if locked.state != Inspection.State.DONE:
            locked.state, locked.inspected_at = Inspection.State.DONE, now
            locked.inspector, locked.inspector_name = actor, name_of(actor)
            locked.save(update_fields=["state", "inspected_at", "inspector", "inspector_name"])
        audit_record(actor=actor, verb="finding.add", target=finding, summary=f"{room.label} {item.name}")
        if cannot_fix:
            FindingRecheck.objects.create(
                finding=finding,
                at=now,
                actor=actor,
                actor_name=name_of(actor),
                result=FindingRecheck.Result.CANNOT_FIX,
            )
            _escalate(finding, actor, EscalationReason.CANNOT_FIX, now)
        else:
            told = [s.user for s in students if s.user_id] + dorm_head_users([room.pk]).get(room.pk, [])
            notify(
                users=told,
                title=f"寝室{room.label}检查发现{item.name}，请于{deadline.month}月{deadline.day}日前整改",
                url=_finding_url(finding),
                outside_text="有寝室检查发现安全隐患，请按期整改",
            )
    return finding


def finding_recheck(
    *, actor, finding: Finding, result: str, note: str = "", expected_version: int | None = None
) -> Finding:
    """复查: fixed; not fixed (after the deadline it is reported up at once); or
    cannot be fixed in the room (reported up at once)."""
    if result not in FindingRecheck.Result.values:
        raise ServiceError("复查结果应为 已整改、未整改 或 寝室内无法整改", field="result")
    if not may_inspect(actor, finding.room):
        raise NotAllowed("不能复查您管理范围以外的寝室")
    now = clock.now()
    with transaction.atomic():
        # Lock the finding: the re-inspection and the deadline tick must not both act on it.
        locked = (
            Finding.objects.select_for_update(of=("self",))
            .select_related("item", "room__building")
            .get(pk=finding.pk)
        )
        locked.check_version(expected_version)
        if locked.state != FindingState.OPEN:
            raise Conflict(f"该隐患当前为“{locked.get_state_display()}”，不能再复查")
        FindingRecheck.objects.create(
            finding=locked,
            at=now,
            actor=actor,
            actor_name=name_of(actor),
            result=result,
            note=(note or "")[:255],
        )
        audit_record(actor=actor, verb=f"finding.recheck.{result}", target=locked, summary=note[:100])
        if result == FindingRecheck.Result.FIXED:
            locked.state, locked.fixed_at = FindingState.FIXED, now
            locked.version += 1
            locked.save(update_fields=["state", "fixed_at", "version"])
        elif result == FindingRecheck.Result.CANNOT_FIX:
            _escalate(locked, actor, EscalationReason.CANNOT_FIX, now, note)
        elif clock.local(now).date() > locked.deadline:
            _escalate(locked, actor, EscalationReason.NOT_FIXED, now, note)
        else:
            locked.version += 1
            locked.save(update_fields=["version"])
    return locked


def _escalate(finding: Finding, actor, reason: str, now, note: str = "") -> None:
    """Report the finding up the chain of whoever acts (the rechecker, or for the
    deadline tick the person who found it); one report per finding."""
    students = list(finding.students.all())
    description = (
        f"寝室{finding.room.label}安全检查发现“{finding.item.name}”"
        + (f"：{finding.description}" if finding.description else "")
        + f"。整改期限{finding.deadline:%Y-%m-%d}，{EscalationReason(reason).label}"
        + (f"（{note}）" if note else "")
        + "。"
    )
    key = f"finding:{finding.pk}"
    try:
        with transaction.atomic():
            report = report_create(
                actor=SYSTEM,
                reporter=actor,
                category=finding.item.report_category,
                severity="serious" if finding.item.illegal_appliance else "normal",
                description=description,
                students=students,
                room=finding.room,
                source="inspection",
                source_key=key,
            )
    except Conflict:
        report = Report.objects.filter(source_key=key).first()
    finding.state = FindingState.ESCALATED
    finding.escalated_at, finding.escalation_reason, finding.report = now, reason, report
    finding.version += 1
    finding.save(update_fields=["state", "escalated_at", "escalation_reason", "report", "version"])
    audit_record(
        actor=actor,
        verb="finding.escalate",
        target=finding,
        summary=f"{finding.room.label} {finding.item.name} {EscalationReason(reason).label}",
    )


def finding_escalate_overdue(now: dt.datetime | None = None) -> int:
    """Open findings past their deadline become reports (`tick`); each once."""
    now = now or clock.now()
    today = clock.local(now).date()
    done = 0
    for pk in list(Finding.objects.overdue(today).values_list("pk", flat=True)):
        with transaction.atomic():
            # Lock and re-check: a re-inspection or another tick may have settled it meanwhile.
            finding = (
                Finding.objects.select_for_update(of=("self",))
                .select_related("item", "room__building", "inspection__round__created_by", "found_by")
                .get(pk=pk)
            )
            if finding.state != FindingState.OPEN or finding.deadline >= today:
                continue
            actor = finding.found_by or finding.inspection.round.created_by
            if actor is None:
                log.warning("finding %s has nobody to report it as; left open", pk)
                continue
            _escalate(finding, actor, EscalationReason.OVERDUE, now)
            done += 1
    return done


# --- semester ratings ---------------------------------------------------------------------------


def _stars(score: Decimal, thresholds: list[int]) -> int:
    return sum(1 for t in thresholds if score >= t)


def room_ratings_compute(*, actor, semester: Semester) -> int:
    """Rate every inspected room of the semester from its average hygiene score, by
    the thresholds of the settings, ranked within its building. Recomputing replaces
    the semester's ratings. Leaders and the office only (a ranking spans colleges)."""
    require_actor(actor)
    if not is_system(actor) and not policy.may_compute_ratings(actor):
        raise NotAllowed("只有学院领导或学工部可以评定")
    settings = LedgerSettings.get()
    thresholds = settings.star_thresholds()
    scores = list(
        Inspection.objects.filter(
            round__semester=semester, state=Inspection.State.DONE, hygiene_score__isnull=False
        )
        .values("room_id", "room__building_id")
        .annotate(average=Avg("hygiene_score"), count=Count("id"))
    )
    findings = dict(
        Finding.objects.filter(inspection__round__semester=semester)
        .values("room_id")
        .annotate(n=Count("id"))
        .values_list("room_id", "n")
    )
    now = clock.now()
    by_building = defaultdict(list)
    for row in scores:
        if row["count"] < settings.min_inspections:
            continue
        average = Decimal(str(row["average"])).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        by_building[row["room__building_id"]].append((average, row))
    ratings = []
    for rows in by_building.values():
        rows.sort(key=lambda pair: (-pair[0], pair[1]["room_id"]))
        rank, previous = 0, None
        for index, (average, row) in enumerate(rows, start=1):
            if average != previous:
                rank, previous = index, average
            found = findings.get(row["room_id"], 0)
            ratings.append(
                RoomRating(
                    room_id=row["room_id"],
                    semester=semester,
                    inspections=row["count"],
                    average_score=average,
                    findings=found,
                    stars=_stars(average, thresholds),
                    civil=average >= settings.civil_min_score,
                    model_room=average >= settings.model_min_score and found <= settings.model_max_findings,
                    building_rank=rank,
                    computed_at=now,
                )
            )
    with transaction.atomic():
        # Lock the semester: a leader's recompute and the semester-end tick replace the ratings one after the other.
        Semester.objects.select_for_update().filter(pk=semester.pk).first()
        RoomRating.objects.filter(semester=semester).delete()
        RoomRating.objects.bulk_create(ratings, batch_size=1000)
        audit_record(
            actor=actor, verb="rating.compute", target=semester, summary=f"{semester.name} {len(ratings)}间"
        )
    return len(ratings)


def rate_ended_semesters(now: dt.datetime | None = None) -> int:
    """At a semester's end its rooms are rated once (`tick`); a leader may recompute."""
    today = clock.local(now or clock.now()).date()
    done = 0
    recent = Semester.objects.filter(end__lt=today, end__gte=today - dt.timedelta(days=30))
    for semester in recent:
        if RoomRating.objects.filter(semester=semester).exists():
            continue
        if not Inspection.objects.filter(round__semester=semester, hygiene_score__isnull=False).exists():
            continue
        done += room_ratings_compute(actor=SYSTEM, semester=semester)
    return done
