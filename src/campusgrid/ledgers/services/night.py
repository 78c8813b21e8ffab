"""Night checks (查寝): submitting and correcting a room's check, the 夜不归宿
reports it raises, and flagging the rooms nobody checked (`tick`)."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from campusgrid.core import clock
from campusgrid.core.actors import SYSTEM
from campusgrid.core.audit import audit_record
from campusgrid.core.errors import Conflict, NotAllowed, ServiceError
from campusgrid.core.scoping import CHANGE
from campusgrid.notifications.services import notify
from campusgrid.org.models import Room
from campusgrid.people.models import Student, StudentStatus
from campusgrid.reports.models import Report
from campusgrid.reports.services import report_create, report_reopen, report_withdraw

from ..models import (
    LeaveRequest,
    LedgerSettings,
    NightCheck,
    NightCheckCorrection,
    NightCheckEntry,
    NightCheckFlag,
    NightStatus,
)
from .common import CLASS_CADRES, holders_by_class, in_term, is_dorm_head_of, manages_room, name_of, residents

log = logging.getLogger("campusgrid.ledgers")
COUNTS = {
    NightStatus.PRESENT: "present_count",
    NightStatus.LEAVE: "leave_count",
    NightStatus.LATE: "late_count",
    NightStatus.ABSENT: "absent_count",
}


def leaves_covering(student_ids: Iterable[int], day: dt.date) -> dict[int, LeaveRequest]:
    """Approved leave that covers the night of `day` (at its flag time), by student."""
    moment = LedgerSettings.get().flag_moment(day)
    leaves = (
        LeaveRequest.objects.approved_on(moment).filter(student_id__in=list(student_ids)).order_by("start")
    )
    return {leave.student_id: leave for leave in leaves}


def _parse_time(value) -> dt.time | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.time):
        return value
    try:
        return dt.time.fromisoformat(str(value)[:5])
    except ValueError:
        raise ServiceError(f"归寝时间“{value}”格式不正确，应为 时:分（如 23:40）", field="entries")


def night_check_submit(
    *,
    actor,
    room: Room,
    date: dt.date,
    entries: dict[str, dict] | None = None,
    expected_version: int | None = None,
) -> NightCheck:
    """Record (or correct) a room's night check.

    `entries` maps 学号 to {"status", "time"}; members left out are present, or on
    leave when an approved leave covers the night ("all present" is one tap). The
    dorm head of the room checks it between the opening time and the next morning's
    cut-off; counselors and above may correct it at any time. Every change of a
    line is kept; an absence without leave raises one 夜不归宿 report per student
    per night, routed to the counselor.
    """
    entries = dict(entries or {})
    settings = LedgerSettings.get()
    now = clock.now()
    tonight = settings.night_of(now)
    dorm_head = is_dorm_head_of(actor, room.pk)
    manager = manages_room(actor, room)
    if not (dorm_head or manager):
        raise NotAllowed("只有本寝室舍长或辅导员、学院可以查寝")
    if date > tonight:
        raise ServiceError("不能提前登记以后日期的查寝", field="date")
    if not manager:
        if now < settings.open_moment(date):
            raise ServiceError(f"今晚查寝{settings.check_open_time:%H:%M}开始", field="date")
        if now > settings.cutoff_moment(date):
            raise ServiceError(
                f"已过更正截止时间（次日{settings.correction_cutoff:%H:%M}），如需更正请联系辅导员",
                field="date",
            )
    members = list(residents(room))
    if dorm_head:
        actable = members
    else:
        # A counselor of a mixed room acts on their own students only.
        allowed = set(
            Student.objects.visible_to(actor, CHANGE)
            .filter(pk__in=[m.pk for m in members])
            .values_list("pk", flat=True)
        )
        actable = [m for m in members if m.pk in allowed]
    by_number = {m.student_no: m for m in actable}
    unknown = sorted(set(entries) - set(by_number))
    if unknown:
        raise ServiceError(f"不是本寝室的在校学生：{'、'.join(unknown)}", field="entries")
    if not actable:
        raise ServiceError("该寝室没有您可以查寝的在校学生", field="room")
    leaves = leaves_covering([m.pk for m in actable], date)
    wanted = {}
    for member in actable:
        given = entries.get(member.student_no) or {}
        status = given.get("status") or (NightStatus.LEAVE if member.pk in leaves else NightStatus.PRESENT)
        if status not in NightStatus.values:
            raise ServiceError(f"情况应为 在寝、请假、晚归 或 未归（{member.name}）", field="entries")
        if status == NightStatus.LEAVE and member.pk not in leaves and not manager:
            raise ServiceError(
                f"{member.name}没有已批准的请假，请选择“未归”，或请其先向辅导员请假", field="entries"
            )
        time = _parse_time(given.get("time")) if status == NightStatus.LATE else None
        if time is not None and settings.correction_cutoff <= time < settings.check_open_time:
            # A night runs from the opening time to the next morning's cut-off: 00:30 is a
            # late return, 18:00 is a time before the check began.
            raise ServiceError(
                f"{member.name}的归寝时间{time:%H:%M}早于查寝开始时间{settings.check_open_time:%H:%M}，"
                f"晚归时间应在{settings.check_open_time:%H:%M}之后",
                field="entries",
            )
        if status == NightStatus.LATE and time is None and date == tonight:
            time = timezone.localtime(now).time().replace(second=0, microsecond=0)  # back just now
        wanted[member.pk] = (status, time)

    with transaction.atomic():
        # Lock the room's check for this night: the dorm head's double tap and a
        # counselor's correction must not interleave (lost corrections, two reports).
        check = NightCheck.objects.select_for_update().filter(room=room, date=date).first()
        created = check is None
        if created:
            # A new check's lines are exactly `wanted`: it is written with its counts, so that
            # no UPDATE of the counts follows the INSERT of its lines.
            counts = dict.fromkeys(COUNTS.values(), 0)
            for status, _time in wanted.values():
                counts[COUNTS[status]] += 1
            try:
                with transaction.atomic():
                    check = NightCheck.objects.create(
                        room=room,
                        date=date,
                        checked_by=actor,
                        checked_by_name=name_of(actor),
                        checked_at=now,
                        updated_at=now,
                        **counts,
                    )
            except IntegrityError:
                raise Conflict("该寝室今晚的查寝刚刚由他人提交，请刷新后再更正")
        else:
            check.check_version(expected_version)
        # A check created just now has no lines yet (the unique room and night keeps others out).
        existing = (
            {}
            if created
            else {
                e.student_id: e for e in NightCheckEntry.objects.select_for_update().filter(night_check=check)
            }
        )
        changed = []
        new_absences = []
        undone = []  # (entry, report_withdraw | report_reopen, reason): the cause of a report changed
        added = []  # new lines, written in one statement below
        for member in actable:
            status, time = wanted[member.pk]
            leave = leaves.get(member.pk)
            entry = existing.get(member.pk)
            if entry is None:
                entry = NightCheckEntry(
                    night_check=check, student=member, date=date, status=status, time=time, leave=leave
                )
                added.append(entry)
                if status == NightStatus.ABSENT:
                    new_absences.append(entry)
                continue
            if entry.status == status and entry.time == time:
                continue
            NightCheckCorrection.objects.create(
                entry=entry,
                at=now,
                actor=actor,
                actor_name=name_of(actor),
                from_status=entry.status,
                to_status=status,
                from_time=entry.time,
                to_time=time,
            )
            changed.append(f"{member.name}：{NightStatus(entry.status).label}→{NightStatus(status).label}")
            was_absent = entry.status == NightStatus.ABSENT
            entry.status, entry.time, entry.leave = status, time, leave
            entry.save(update_fields=["status", "time", "leave"])
            if status == NightStatus.ABSENT and entry.report_id is None:
                new_absences.append(entry)
            elif status == NightStatus.ABSENT and entry.report_id:
                undone.append((entry, report_reopen, f"查寝更正：{NightStatus.ABSENT.label}"))
            elif was_absent and entry.report_id:
                undone.append((entry, report_withdraw, f"查寝更正：{NightStatus(status).label}"))
        # bulk_create sets the new lines' ids (RETURNING on PostgreSQL and SQLite): the
        # absence reports below link to them.
        NightCheckEntry.objects.bulk_create(added)
        for entry in added:
            existing[entry.student_id] = entry
        if not created:
            _save_counts(check, existing.values(), now, bump=True)
        for entry in new_absences:
            _absence_report(actor, check, entry)
        for entry, step, reason in undone:
            step(report=entry.report, reason=reason)
        if created:
            summary = f"{room.label} {date} 查寝：{_counts_text(check)}"
            audit_record(actor=actor, verb="night_check.submit", target=check, summary=summary)
        elif changed:
            summary = f"{room.label} {date} 更正：{'；'.join(changed)}"
            audit_record(
                actor=actor, verb="night_check.correct", target=check, summary=summary, changes=changed
            )
    # What the form shows after the submit, as the service has just read and written it: the
    # page answering the submit need not read the members, the check, its lines and the leave again.
    check.submitted = {"members": actable, "entries": existing, "leaves": leaves}
    return check


def _save_counts(check: NightCheck, entries, now, *, bump: bool) -> None:
    _recount(check, entries)
    check.updated_at = now
    if bump:
        check.version += 1
    check.save(
        update_fields=["present_count", "leave_count", "late_count", "absent_count", "updated_at", "version"]
    )


def _recount(check: NightCheck, entries) -> None:
    for field in COUNTS.values():
        setattr(check, field, 0)
    for entry in entries:
        field = COUNTS[entry.status]
        setattr(check, field, getattr(check, field) + 1)


def _counts_text(check: NightCheck) -> str:
    return (
        f"在寝{check.present_count} 请假{check.leave_count} 晚归{check.late_count} 未归{check.absent_count}"
    )


def _absence_report(actor, check: NightCheck, entry: NightCheckEntry) -> None:
    """One 夜不归宿 report per student per night (the source key makes it so), to level 3."""
    student = entry.student
    key = f"night:{check.date.isoformat()}:{student.student_no}"
    try:
        with transaction.atomic():
            report = report_create(
                actor=SYSTEM,
                reporter=actor,
                category="夜不归宿",
                severity="normal",
                description=f"{check.date:%Y年%m月%d日}晚查寝，{student.name}（{student.student_no}）未归寝，且无请假记录。",
                students=[student],
                room=check.room,
                level=3,  # the rule: night absences go to the counselor, whoever recorded them
                source="night_check",
                source_key=key,
            )
    except Conflict:
        report = Report.objects.filter(source_key=key).first()
    if report is not None:
        entry.report = report
        entry.save(update_fields=["report"])


def night_absences_excused(*, actor, leave: LeaveRequest) -> int:
    """A leave approved after the check: the nights it covers that were recorded 未归
    become 请假 (a correction by the approver, kept like any other) and their
    夜不归宿 reports are withdrawn. Called inside the approval's transaction."""
    settings = LedgerSettings.get()
    now = clock.now()
    first = clock.local(leave.start).date() - dt.timedelta(days=1)
    last = clock.local(leave.end).date()
    entries = list(
        NightCheckEntry.objects.select_for_update(of=("self",))
        .filter(student_id=leave.student_id, status=NightStatus.ABSENT, date__range=(first, last))
        .select_related("night_check__room", "report")
    )
    done = 0
    for entry in entries:
        if not (leave.start <= settings.flag_moment(entry.date) < leave.end):
            continue
        NightCheckCorrection.objects.create(
            entry=entry,
            at=now,
            actor=actor,
            actor_name=name_of(actor),
            from_status=entry.status,
            to_status=NightStatus.LEAVE,
            from_time=entry.time,
            to_time=None,
        )
        entry.status, entry.time, entry.leave = NightStatus.LEAVE, None, leave
        entry.save(update_fields=["status", "time", "leave"])
        check = NightCheck.objects.select_for_update().get(pk=entry.night_check_id)
        _save_counts(check, NightCheckEntry.objects.filter(night_check=check), now, bump=True)
        if entry.report_id:
            report_withdraw(report=entry.report, reason=f"请假已批准（{name_of(actor)}补批），不属夜不归宿")
        done += 1
    return done


# --- tick: rooms not checked by the flag time ---------------------------------------------------


def night_flag_unchecked(now: dt.datetime | None = None) -> int:
    """Flag every room with residents that has no check for the latest night whose
    flag time has passed (until the next morning's cut-off, so a missed run is
    caught up); tell the class monitors and counselors. Each room is flagged once
    per night (NightCheckFlag), so a second run does nothing."""
    now = now or clock.now()
    settings = LedgerSettings.get()
    day = settings.last_flagged_night(now)
    # After the next morning's cut-off the night is closed: a flag would help nobody.
    if now > settings.cutoff_moment(day) or not in_term(day):
        return 0
    occupied = Student.objects.filter(status=StudentStatus.ENROLLED, bed__isnull=False).values("bed__room_id")
    rooms = list(
        Room.objects.filter(pk__in=occupied)
        .filter(~Exists(NightCheck.objects.filter(room=OuterRef("pk"), date=day)))
        .filter(~Exists(NightCheckFlag.objects.filter(room=OuterRef("pk"), date=day)))
        .select_related("building")
        .order_by("building__name", "number")
    )
    if not rooms:
        return 0
    try:
        with transaction.atomic():
            # The unique (room, date) makes a concurrent tick fail here instead of flagging twice.
            NightCheckFlag.objects.bulk_create(
                [NightCheckFlag(room=r, date=day, flagged_at=now) for r in rooms]
            )
            _notify_unchecked(rooms, day, settings)
    except IntegrityError:
        return 0
    return len(rooms)


def _notify_unchecked(rooms: list[Room], day: dt.date, settings: LedgerSettings) -> None:
    labels = {r.pk: r.label for r in rooms}
    pairs = (
        Student.objects.filter(
            status=StudentStatus.ENROLLED, bed__room_id__in=list(labels), school_class__isnull=False
        )
        .values_list("bed__room_id", "school_class_id", "college_id")
        .distinct()
    )
    rooms_of_class = defaultdict(set)
    college_of_class = {}
    for room_id, class_id, college_id in pairs:
        rooms_of_class[class_id].add(room_id)
        college_of_class[class_id] = college_id
    holders = holders_by_class(rooms_of_class, CLASS_CADRES + ["counselor"])
    per_user = defaultdict(set)
    users = {}
    for class_id, people in holders.items():
        for user in people:
            per_user[user.pk] |= rooms_of_class[class_id]
            users[user.pk] = user
    url = reverse("ledgers:night-progress") + f"?date={day.isoformat()}"
    for user_id, room_ids in per_user.items():
        names = sorted(labels[r] for r in room_ids)
        shown = "、".join(names[:10]) + ("等" if len(names) > 10 else "")
        notify(
            users=[users[user_id]],
            title=f"{day:%m月%d日}晚{settings.check_flag_time:%H:%M}仍有{len(names)}间寝室未查寝：{shown}",
            url=url,
            outside_text=f"有{len(names)}间寝室超过{settings.check_flag_time:%H:%M}未完成查寝",
        )
