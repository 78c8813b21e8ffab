"""Every write to reports: creating (with routing), the workflow actions, and
the deadline escalation run by `campusgrid tick`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from campusgrid.core import clock
from campusgrid.core.actors import SYSTEM, is_system
from campusgrid.core.audit import audit_record
from campusgrid.core.errors import Conflict, NotAllowed, ServiceError
from campusgrid.core.images import PhotoRefused, clean_photo
from campusgrid.core.names import person_name
from campusgrid.core.scoping import scope_for
from campusgrid.grid.models import PostKind
from campusgrid.grid.selectors import holder_users, post_holders
from campusgrid.notifications.services import notify
from campusgrid.org.models import Room
from campusgrid.people.models import Student

from .models import (
    DEFAULT_DEADLINES,
    LEVEL_NAMES,
    OPEN_STATES,
    Category,
    DeadlinePolicy,
    Report,
    ReportEvent,
    ReportPhoto,
    Severity,
    State,
)
from .workflow import ACTION_LABELS, BY_ACTION, HUMAN_TRANSITIONS, Transition, Who

MAX_PHOTOS = 6


def deadlines(severity: str) -> tuple[dt.timedelta, dt.timedelta]:
    policy = DeadlinePolicy.objects.filter(severity=severity).first()
    if policy is not None:
        return dt.timedelta(minutes=policy.accept_minutes), dt.timedelta(minutes=policy.handle_minutes)
    accept, handle = DEFAULT_DEADLINES[Severity(severity)]
    return dt.timedelta(minutes=accept), dt.timedelta(minutes=handle)


# --- who is who for a report -----------------------------------------------------------------


def _room_ids(report: Report) -> set[int]:
    rooms = set(report.students.exclude(bed__isnull=True).values_list("bed__room_id", flat=True))
    if report.room_id:
        rooms.add(report.room_id)
    return rooms


def actor_levels(user, report: Report) -> set[int]:
    """The grid levels `user` holds over this report's students, room, classes, college."""
    scope = scope_for(user)
    levels = set()
    if scope.manage_everything:
        levels.add(5)
    if scope.room_ids and scope.room_ids & _room_ids(report):
        levels.add(1)
    class_ids = set(report.classes.values_list("id", flat=True))
    if scope.cadre_class_ids & class_ids:
        levels.add(2)
    if scope.manage_class_ids & class_ids:
        levels.add(3)
    if report.college_id in scope.manage_college_ids:
        levels.add(4)
    return levels


LEVEL_KINDS = {
    1: [PostKind.DORM_HEAD],
    2: [PostKind.MONITOR, PostKind.LEAGUE_SECRETARY],
    3: [PostKind.COUNSELOR, PostKind.CLASS_TEACHER],
    4: [PostKind.LEADER],
    5: [PostKind.OFFICE],
}


def holders_at(report: Report, level: int) -> list:
    """The users who hold the report's level-`level` posts (for routing and notices)."""
    kinds = LEVEL_KINDS[level]
    if level == 1:
        posts = post_holders(kinds=kinds, rooms=_room_ids(report))
    elif level in (2, 3):
        posts = post_holders(kinds=kinds, classes=report.classes.all())
    elif level == 4:
        posts = post_holders(kinds=kinds, colleges=[report.college_id])
    else:
        posts = post_holders(kinds=kinds)
    return holder_users(posts)


def _first_staffed_level(report: Report, target: int) -> tuple[int, list[str]]:
    """Vacant levels are passed over so that no report waits for nobody."""
    skipped = []
    while target < 5 and not holders_at(report, target):
        skipped.append(LEVEL_NAMES[target])
        target += 1
    return target, skipped


# --- creating --------------------------------------------------------------------------------


def report_create(
    *,
    actor,
    category: Category | str,
    severity: str,
    description: str,
    students: Iterable[Student] = (),
    room: Room | None = None,
    to_level: int | None = None,
    photos: Iterable = (),
    source: str = "",
    source_key: str = "",
    level: int | None = None,
    reporter=None,
) -> Report:
    """上报: route to the next level of the reporter's chain (or `to_level`, higher
    only); urgent reports and urgent categories reach levels 3 and 4 at once;
    sensitive categories start at level 3.

    A rule makes a report with `actor=SYSTEM` (a night-check absence, a screening
    crisis, an inspection finding): `reporter` is the person whose record raised it,
    the reach check is the rule's, not theirs, and `level` names where it goes,
    whoever recorded the data, so a counselor's own correction still lands with the
    counselors. Rule-made reports carry a `source_key`: when their cause is undone
    the rule withdraws them (`report_withdraw`)."""
    if is_system(actor):
        if reporter is None or not source_key:
            raise ServiceError("系统生成的上报须注明记录人和来源")
    else:
        reporter = actor
    if isinstance(category, str):
        found = Category.objects.filter(name=category, active=True).first()
        if found is None:
            raise ServiceError(f"问题类别“{category}”不存在", field="category")
        category = found
    if severity not in Severity.values:
        raise ServiceError("严重程度应为：一般、较重、重大或紧急", field="severity")
    description = (description or "").strip()
    if len(description) < 2:
        raise ServiceError("请填写问题描述", field="description")
    students = list({s.pk: s for s in students}.values())
    if not students and room is None:
        raise ServiceError("请选择涉及的学生或寝室", field="students")
    if not is_system(actor):
        _check_reach(actor, students, room)
    photos = list(photos)
    if len(photos) > MAX_PHOTOS:
        raise ServiceError(f"最多上传{MAX_PHOTOS}张照片", field="photos")
    checked_photos = [check_photo(p) for p in photos]
    now = clock.now()
    college_id = _college_of(reporter, students, room)
    accept, handle = deadlines(severity)
    urgent = severity == Severity.URGENT or category.urgent
    try:
        with transaction.atomic():
            report = Report.objects.create(
                category=category,
                severity=severity,
                description=description,
                room=room,
                college_id=college_id,
                reporter=reporter,
                reporter_name=person_name(reporter),
                urgent=urgent,
                created_at=now,
                updated_at=now,
                accept_due=now + accept,
                handle_due=now + handle,
                source=source,
                source_key=source_key,
                level=1,
            )
            report.students.set(students)
            classes = {s.school_class_id for s in students if s.school_class_id}
            if room is not None:
                classes |= set(
                    Student.objects.filter(
                        bed__room=room, status="enrolled", school_class__isnull=False
                    ).values_list("school_class_id", flat=True)
                )
            report.classes.set(classes)
            reporter_level = max(actor_levels(reporter, report), default=0)
            target = reporter_level + 1
            if level is not None:
                if not 1 <= int(level) <= 5:
                    raise ServiceError("上报层级应在1到5之间", field="level")
                target = int(level)
            elif to_level is not None:
                if not 1 <= int(to_level) <= 5:
                    raise ServiceError("上报层级应在1到5之间", field="to_level")
                if int(to_level) < target:
                    raise ServiceError(
                        f"只能向更高层级上报（您是{LEVEL_NAMES[reporter_level]}）", field="to_level"
                    )
                target = int(to_level)
            if urgent or category.sensitive:
                target = max(target, 3)
            target, skipped = _first_staffed_level(report, min(target, 5))
            report.level = target
            report.reporter_level = reporter_level
            report.major_event = target == 5
            report.save(update_fields=["level", "reporter_level", "major_event"])
            note = f"上报至{LEVEL_NAMES[target]}"
            if skipped:
                note += f"（{'、'.join(skipped)}空缺，已越过）"
            if urgent:
                note += "；紧急，同时通知四级（学院）"
            _event(report, reporter, "create", "", State.REPORTED, None, target, note, at=now)
            for upload, content_type, size in checked_photos:
                ReportPhoto.objects.create(
                    report=report, file=upload, content_type=content_type, size=size, uploaded_by=reporter
                )
            audit_record(actor=reporter, verb="report.create", target=report, summary=str(report))
            _notify_level(
                report, target, f"新的问题上报待处理：{category.name}（{report.get_severity_display()}）"
            )
            if urgent and target < 4:
                _notify_level(
                    report, 4, f"紧急上报：{category.name}（{report.get_severity_display()}），已送三级处理"
                )
    except IntegrityError:
        if source_key:
            raise Conflict("该来源已经生成过上报，不再重复生成")
        raise
    return report


def _check_reach(actor, students, room) -> None:
    if students:
        visible = set(
            Student.objects.visible_to(actor)
            .filter(pk__in=[s.pk for s in students])
            .values_list("pk", flat=True)
        )
        outside = [s.name for s in students if s.pk not in visible]
        if outside:
            raise NotAllowed("只能上报您网格范围内的学生")
    if room is not None and not Room.objects.visible_to(actor).filter(pk=room.pk).exists():
        raise NotAllowed("只能上报您网格范围内的寝室")
    scope = scope_for(actor)
    if scope.is_empty:
        raise NotAllowed("您没有网格职务，不能上报")


def _college_of(actor, students, room) -> int:
    if students:
        return students[0].college_id
    resident = (
        Student.objects.filter(bed__room=room).order_by("status").values_list("college_id", flat=True).first()
    )
    if resident:
        return resident
    staff = getattr(actor, "staff", None)
    if staff is not None and staff.college_id:
        return staff.college_id
    raise ServiceError("无法确定该寝室所属学院（寝室无人居住）", field="room")


def check_photo(upload):
    """An uploaded photo checked as an image (JPG, PNG, GIF, WEBP; PHOTO_MAX_BYTES,
    PHOTO_MAX_PIXELS) and re-encoded to store (`core.images.clean_photo`: upright, at most
    PHOTO_MAX_SIDE px, no EXIF/GPS): (file, type, size). Shared with the inspection findings."""
    size = getattr(upload, "size", 0) or 0
    if size > settings.PHOTO_MAX_BYTES:
        raise ServiceError(
            f"照片“{upload.name}”超过{settings.PHOTO_MAX_BYTES // (1024 * 1024)}MB", field="photos"
        )
    try:
        cleaned, content_type = clean_photo(upload)
    except PhotoRefused as exc:
        raise ServiceError(str(exc), field="photos")
    return cleaned, content_type, cleaned.size


# --- acting ----------------------------------------------------------------------------------


def allowed_actions(user, report: Report) -> list[Transition]:
    """The human actions `user` may take on the report now, in table order."""
    who = None
    result = []
    for transition in HUMAN_TRANSITIONS:
        if report.state not in transition.source:
            continue
        if who is None:
            who = _who(user, report)
        if transition.admits(who) and transition.refusal(who) is None:
            result.append(transition)
    return result


def _who(user, report: Report) -> Who:
    levels = frozenset() if is_system(user) else frozenset(actor_levels(user, report))
    return Who(user=user, report=report, levels=levels)


def report_act(
    *,
    actor,
    report: Report,
    action: str,
    note: str = "",
    to_level: int | None = None,
    assignee=None,
    also_feedback: bool = False,
    expected_version: int | None = None,
) -> Report:
    """One step of the workflow table (`workflow.TRANSITIONS`), for people and for
    the system rows (`actor=SYSTEM`: withdraw, reopen). `also_feedback` with
    处理完成 sends the same text as the feedback: both steps are recorded."""
    transition = BY_ACTION.get(action)
    if transition is None or (transition.action == "auto_escalate"):
        raise ServiceError(f"未知的操作“{action}”")
    note = (note or "").strip()
    with transaction.atomic():
        # Lock the report: two people accepting at the same moment cannot both win.
        locked = Report.objects.select_for_update().get(pk=report.pk)
        locked.check_version(expected_version)
        if locked.state not in transition.source:
            raise Conflict(f"当前状态为“{locked.get_state_display()}”，不能{transition.label}")
        who = _who(actor, locked)
        if not transition.admits(who):
            raise NotAllowed(f"您不能对该上报执行“{transition.label}”")
        refusal = transition.refusal(who)
        if refusal:
            raise ServiceError(refusal, field="to_level" if transition.need("to_level") else None)
        if transition.note_required and not note:
            raise ServiceError(f"请填写{transition.note_label}", field="note")
        now = clock.now()
        before_state, before_level = locked.state, locked.level
        fields = {"state", "updated_at", "version"}
        accept, handle = deadlines(locked.severity)
        if action == "accept":
            locked.handler = actor
            fields.add("handler")
        elif action == "handle":
            locked.outcome = note
            fields.add("outcome")
            if also_feedback:
                locked.feedback = note
                fields.add("feedback")
        elif action == "feedback":
            locked.feedback = note
            fields.add("feedback")
        elif action == "object":
            locked.handle_due, locked.handle_escalated = now + handle, False
            fields |= {"handle_due", "handle_escalated"}
        elif action == "escalate":
            target = int(to_level) if to_level else locked.level + 1
            if target <= locked.level or target > 5:
                raise ServiceError("只能上报到更高的层级（最高为学校）", field="to_level")
            target, _ = _first_staffed_level(locked, target)
            _move_level(locked, target, now, accept)
            fields |= {"level", "handler", "assignee", "accept_due", "accept_escalated", "major_event"}
        elif action == "transfer":
            if assignee is None or assignee.pk == actor.pk:
                raise ServiceError("请选择转办给同级的另一位网格员", field="assignee")
            if locked.level not in actor_levels(assignee, locked):
                raise ServiceError("只能转办给同一层级、负责这些学生的网格员", field="assignee")
            locked.assignee, locked.handler = assignee, None
            fields |= {"assignee", "handler"}
        elif action == "resubmit":
            locked.description = f"{locked.description}\n【补充】{note}"
            locked.accept_due, locked.accept_escalated = now + accept, False
            fields |= {"description", "accept_due", "accept_escalated"}
        elif action == "withdraw":
            locked.closed_at = now
            fields.add("closed_at")
        elif action == "reopen":
            # Back where the rule routes it, with fresh deadlines and nobody's hands on it.
            locked.handler = locked.assignee = None
            locked.closed_at = None
            locked.accept_due, locked.handle_due = now + accept, now + handle
            locked.accept_escalated = locked.handle_escalated = False
            fields |= {
                "handler",
                "assignee",
                "closed_at",
                "accept_due",
                "handle_due",
                "accept_escalated",
                "handle_escalated",
            }
        if transition.target is not None:
            locked.state = transition.target
        if locked.state == State.CLOSED:
            locked.closed_at = now
            fields.add("closed_at")
        if action == "handle" and also_feedback:
            # Two steps in one: the timeline keeps both states (handled, then fed back).
            _event(
                locked, actor, "handle", before_state, State.HANDLED, before_level, locked.level, note, at=now
            )
            before_state, action, transition = State.HANDLED, "feedback", BY_ACTION["feedback"]
            locked.state = State.FED_BACK
        locked.updated_at = now
        locked.version += 1
        locked.save(update_fields=sorted(fields))
        _event(locked, actor, action, before_state, locked.state, before_level, locked.level, note, at=now)
        audit_record(
            actor=None if is_system(actor) else actor,
            verb=f"report.{action}",
            target=locked,
            summary=f"{locked} {transition.label}" + (f"：{note}" if transition.system and note else ""),
        )
        _notify_after(locked, action, before_level, assignee, note=note)
    return locked


def report_withdraw(*, report: Report, reason: str) -> Report | None:
    """已撤销: a rule-made report whose cause was undone (an absence corrected, a
    leave approved after the check). Done by the system, with the reason in the
    timeline; the people it waits with are told. Nothing to do when it is already
    closed or withdrawn (a person finished it: that stays)."""
    if report.state not in BY_ACTION["withdraw"].source:
        return None
    return report_act(actor=SYSTEM, report=report, action="withdraw", note=reason)


def report_reopen(*, report: Report, reason: str) -> Report | None:
    """The cause came back (corrected to 未归 again): the same report, open again."""
    if report.state != State.WITHDRAWN:
        return None
    return report_act(actor=SYSTEM, report=report, action="reopen", note=reason)


def _move_level(report: Report, target: int, now, accept) -> None:
    report.level = target
    report.handler = None
    report.assignee = None
    report.accept_due = now + accept
    report.accept_escalated = False
    report.major_event = report.major_event or target == 5


def _notify_after(report: Report, action: str, before_level: int, assignee, *, note: str = "") -> None:
    title = f"问题上报 #{report.pk}（{report.category.name}）"
    if action == "withdraw":
        # Everyone it was waiting with: the level's holders, the handler, the reporter.
        users = holders_at(report, before_level) + [u for u in (report.handler, report.reporter) if u]
        notify(
            users=list({u.pk: u for u in users}.values()),
            title=f"{title}已撤销：{note}",
            url=_url(report),
            college=report.college,
            outside_text="有一条问题上报已撤销，无需再处理",
        )
        return
    if action == "reopen":
        _notify_level(report, report.level, f"{title}重新上报：{note}")
        return
    if action in ("handle", "feedback", "return"):
        text = {"handle": "已处理", "feedback": "已反馈处理结果，请确认", "return": "被退回，请补充信息"}[
            action
        ]
        notify(users=[report.reporter], title=f"{title}{text}", url=_url(report), college=None)
    elif action == "escalate":
        _notify_level(report, report.level, f"{title}已上报至您（{LEVEL_NAMES[report.level]}）")
        if report.major_event:
            notify(users=[report.reporter], title=f"{title}已报告学校", url=_url(report))
    elif action == "transfer" and assignee is not None:
        notify(
            users=[assignee],
            title=f"{title}转办给您处理",
            url=_url(report),
            college=report.college,
            outside_text="有一条问题上报转办给您处理",
        )
    elif action in ("object", "resubmit"):
        users = [report.handler] if report.handler_id else holders_at(report, report.level)
        notify(
            users=users,
            title=f"{title}{'上报人有异议' if action == 'object' else '已补充信息'}",
            url=_url(report),
        )
    elif action == "accept":
        notify(users=[report.reporter], title=f"{title}已被受理", url=_url(report))


def _notify_level(report: Report, level: int, title: str) -> None:
    notify(
        users=holders_at(report, level),
        title=title,
        body=report.description[:200],
        url=_url(report),
        college=report.college,
        outside_text=f"有一条{report.get_severity_display()}的问题上报待{LEVEL_NAMES[level]}处理",
    )


def _url(report: Report) -> str:
    return reverse("reports:detail", args=[report.pk])


def _event(
    report, actor, action, from_state, to_state, from_level, to_level, note, *, at=None
) -> ReportEvent:
    return ReportEvent.objects.create(
        report=report,
        at=at or clock.now(),
        actor=None if is_system(actor) else actor,
        actor_name=SYSTEM.name if is_system(actor) else person_name(actor),
        action=action,
        from_state=from_state,
        to_state=to_state,
        from_level=from_level,
        to_level=to_level,
        note=note,
    )


# --- deadlines (campusgrid tick) ---------------------------------------------------------------


def escalate_overdue(now: dt.datetime | None = None) -> int:
    """A report past a deadline goes up one level, once per deadline; both levels
    are told. Safe to run twice and from several processes."""
    now = now or clock.now()
    done = 0
    accept_late = Report.objects.filter(state=State.REPORTED, accept_due__lt=now, accept_escalated=False)
    handle_late = Report.objects.filter(state__in=OPEN_STATES, handle_due__lt=now, handle_escalated=False)
    for pk in list(accept_late.values_list("pk", flat=True)):
        done += _auto_escalate(pk, now, "accept")
    for pk in list(handle_late.values_list("pk", flat=True)):
        done += _auto_escalate(pk, now, "handle")
    return done


def _auto_escalate(pk: int, now, which: str) -> int:
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=pk)
        # Re-check under the lock: another tick may have done it already.
        if which == "accept" and (
            report.state != State.REPORTED
            or report.accept_escalated
            or report.accept_due is None
            or report.accept_due >= now
        ):
            return 0
        if which == "handle" and (
            report.state not in OPEN_STATES
            or report.handle_escalated
            or report.handle_due is None
            or report.handle_due >= now
        ):
            return 0
        row = BY_ACTION["auto_escalate"]
        if report.state not in row.source or not row.admits(_who(SYSTEM, report)):
            return 0
        before, before_state = report.level, report.state
        accept, _ = deadlines(report.severity)
        fields = ["accept_escalated" if which == "accept" else "handle_escalated", "updated_at", "version"]
        setattr(report, fields[0], True)
        if report.level < 5:
            target, _ = _first_staffed_level(report, report.level + 1)
            _move_level(report, target, now, accept)
            if which == "accept":
                report.accept_escalated = False  # the new level gets its own accept deadline
            report.state = row.target
            fields += [
                "level",
                "handler",
                "assignee",
                "accept_due",
                "accept_escalated",
                "major_event",
                "state",
            ]
        report.updated_at = now
        report.version += 1
        report.save(update_fields=sorted(set(fields)))
        what = "受理" if which == "accept" else "处理"
        note = (
            f"超过{what}期限未{what}，自动上报至{LEVEL_NAMES[report.level]}"
            if report.level != before
            else f"超过{what}期限（已在最高层级）"
        )
        _event(report, SYSTEM, row.action, before_state, report.state, before, report.level, note, at=now)
        title = f"问题上报 #{report.pk}（{report.category.name}）超时：{note}"
        _notify_level(report, before, title)
        if report.level != before:
            _notify_level(report, report.level, title)
    return 1


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)
