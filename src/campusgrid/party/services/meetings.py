"""Writes of the work meetings: record a meeting with its decisions and 舆情 items, turn an
item into a problem report (category 舆情) on the existing workflow, and the quarterly flag of
a branch that held none."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from campusgrid.core import clock
from campusgrid.core.actors import SYSTEM
from campusgrid.core.audit import audit_record
from campusgrid.core.errors import Conflict, NotAllowed, ServiceError
from campusgrid.core.names import person_name
from campusgrid.grid.models import PartyBranch

from .. import policy_assess as policy
from ..models import MeetingDecision, MeetingQuarterFlag, OpinionItem, WorkMeeting
from ._input import text_input

MAX_ITEMS = 30
MEETING_TIME = dt.time(19, 0)  # the session's clock time (the form asks for the date only)


def _date(value, *, field: str, label: str) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ServiceError(f"{label}须为日期（如 2026-03-15）", field=field)
    if not isinstance(value, dt.date):
        raise ServiceError(f"请填写{label}", field=field)
    return value


def meeting_record(
    *,
    actor,
    branch,
    date,
    minutes: str,
    place: str = "",
    host_name: str = "",
    attendees=(),
    other_attendees: str = "",
    decisions=(),
    opinions=(),
) -> WorkMeeting:
    """记录例会: `attendees` students of `selectors.meetings.meeting_people`; `decisions` dicts
    with `text`, `responsible` (a student of the same list, or None with `responsible_name`) and
    `due_on`; `opinions` dicts with `text`, `room` (a room of the branch) and `students`."""
    from ..selectors.meetings import branch_rooms, meeting_people

    if not policy.may_record_meeting(actor, branch):
        raise NotAllowed("只有本支部书记可以记录例会")
    date = _date(date, field="date", label="会议日期")
    if date > clock.today():
        raise ServiceError("会议日期不能晚于今天（例会开过之后再记录）", field="date")
    minutes = text_input(minutes, field="minutes", label="会议纪要", limit=5000, required=True)
    place = text_input(place, field="place", label="地点", limit=100)
    host_name = text_input(host_name, field="host_name", label="主持人", limit=64)
    other_attendees = text_input(other_attendees, field="other_attendees", label="其他出席人员", limit=255)
    people = {s.pk: s for s in meeting_people(branch=branch)}
    attendees = list(attendees)
    strangers = [s for s in attendees if s.pk not in people]
    if strangers:
        raise ServiceError(f"{strangers[0].name}不是本支部的党员或积极分子", field="attendees")
    if not attendees and not other_attendees:
        raise ServiceError("请选择出席人员", field="attendees")
    decisions, opinions = list(decisions), list(opinions)
    if len(decisions) > MAX_ITEMS or len(opinions) > MAX_ITEMS:
        raise ServiceError(f"决定事项和舆情事项各最多{MAX_ITEMS}条", field="decisions")
    rooms = {r.pk: r for r in branch_rooms(branch=branch)}
    clean_decisions = []
    for i, d in enumerate(decisions, start=1):
        text = text_input(
            d.get("text"), field="decisions", label=f"第{i}条决定事项", limit=255, required=True
        )
        responsible = d.get("responsible")
        if responsible is not None and responsible.pk not in people:
            raise ServiceError(f"第{i}条决定事项的责任人须为本支部党员或积极分子", field="decisions")
        name = (
            responsible.name
            if responsible is not None
            else text_input(
                d.get("responsible_name"),
                field="decisions",
                label=f"第{i}条决定事项的责任人",
                limit=64,
                required=True,
            )
        )
        due = _date(d.get("due_on"), field="decisions", label=f"第{i}条决定事项的完成期限")
        if due < date:
            raise ServiceError(f"第{i}条决定事项的完成期限不能早于会议日期", field="decisions")
        clean_decisions.append((text, responsible, name, due))
    clean_opinions = []
    for i, o in enumerate(opinions, start=1):
        text = text_input(
            o.get("text"), field="opinions", label=f"第{i}条舆情事项", limit=1000, required=True
        )
        room = o.get("room")
        if room is not None and room.pk not in rooms:
            raise ServiceError(f"第{i}条舆情事项的寝室不在本支部网格内", field="opinions")
        students = list(o.get("students") or [])
        if any(s.pk not in people and (s.bed_id is None or s.bed.room_id not in rooms) for s in students):
            raise ServiceError(f"第{i}条舆情事项涉及的学生须在本支部网格内", field="opinions")
        if room is None and not students:
            raise ServiceError(f"第{i}条舆情事项请选择涉及的寝室或学生（上报时需要）", field="opinions")
        clean_opinions.append((text, room, students))
    from campusgrid.service.models import AttendanceHow, AttendanceStatus, SessionKind
    from campusgrid.service.services.sessions import attendance_record, session_create

    starts = timezone.make_aware(dt.datetime.combine(date, MEETING_TIME))
    with transaction.atomic():
        # The attendees are a session of the one attendance mechanism (service), ticked by hand.
        session = session_create(
            actor=actor,
            kind=SessionKind.PARTY_MEETING,
            title=f"{branch.name}公寓党建工作例会",
            topic="公寓党建工作例会",
            starts_at=starts,
            ends_at=starts + dt.timedelta(minutes=90),
            college=branch.college,
            branch=branch,
            place=place,
        )
        for student in attendees:
            attendance_record(
                actor=actor,
                session=session,
                student=student,
                status=AttendanceStatus.PRESENT,
                how=AttendanceHow.MANUAL,
            )
        meeting = WorkMeeting.objects.create(
            session=session,
            branch=branch,
            date=date,
            place=place,
            host_name=host_name,
            other_attendees=other_attendees,
            minutes=minutes,
            created_by=actor,
            created_by_name=person_name(actor),
            created_at=clock.now(),
        )
        MeetingDecision.objects.bulk_create(
            [
                MeetingDecision(meeting=meeting, text=t, responsible=r, responsible_name=n, due_on=due)
                for t, r, n, due in clean_decisions
            ]
        )
        for text, room, students in clean_opinions:
            item = OpinionItem.objects.create(meeting=meeting, text=text, room=room)
            item.students.set(students)
        audit_record(
            actor=actor,
            verb="party.meeting.record",
            target=meeting,
            summary=f"{branch.name} {date} 公寓党建工作例会",
            decisions=len(clean_decisions),
            opinions=len(clean_opinions),
        )
    return meeting


def opinion_report(*, actor, item: OpinionItem):
    """One click: the 舆情 item becomes a problem report (category 舆情) on the reports
    workflow, linked both ways (the item's `report`, the report's `source_key`). Once only."""
    from campusgrid.reports.services import report_create

    if not policy.may_record_meeting(actor, item.meeting.branch):
        raise NotAllowed("只有本支部书记可以把舆情事项转为问题上报")
    with transaction.atomic():
        # Lock the item: two clicks (or two tabs) must make one report, not two.
        locked = OpinionItem.objects.select_for_update(of=("self",)).get(pk=item.pk)
        if locked.report_id:
            raise Conflict("该舆情事项已转为问题上报")
        meeting = item.meeting
        try:
            report = report_create(
                actor=actor,
                category="舆情",
                severity="normal",
                description=f"【{meeting.branch.name} {meeting.date:%Y-%m-%d} 公寓党建工作例会】{locked.text}",
                students=list(item.students.all()),
                room=item.room,
                source="公寓党建工作例会",
                source_key=locked.source_key,
            )
        except IntegrityError:
            raise Conflict("该舆情事项已转为问题上报")
        locked.report = report
        locked.save(update_fields=["report"])
        audit_record(
            actor=actor, verb="party.meeting.opinion_report", target=locked, summary=f"转为上报 #{report.pk}"
        )
    return report


def meeting_flag_quarters(now: dt.datetime | None = None) -> int:
    """`tick`: once the quarter has ended, flag each student branch that held no work meeting
    in it (once: the flag's unique key), and tell its secretary and the college's leaders."""
    from campusgrid.grid.models import Post, PostKind
    from campusgrid.notifications.services import notify

    from ..selectors.meetings import previous_quarter, quarter_of, quarter_range

    today = clock.local(now or clock.now()).date()
    year, quarter = previous_quarter(*quarter_of(today))
    first, last = quarter_range(year, quarter)
    held = WorkMeeting.objects.filter(date__gte=first, date__lte=last).values("branch_id")
    missing = list(
        PartyBranch.objects.filter(kind=PartyBranch.Kind.STUDENT)
        .exclude(pk__in=held)
        .exclude(pk__in=MeetingQuarterFlag.objects.filter(year=year, quarter=quarter).values("branch_id"))
        .select_related("college")
    )
    made = 0
    for branch in missing:
        try:
            with transaction.atomic():
                flag = MeetingQuarterFlag.objects.create(
                    branch=branch, year=year, quarter=quarter, flagged_at=now or clock.now()
                )
                audit_record(
                    actor=SYSTEM,
                    verb="party.meeting.quarter_flag",
                    target=flag,
                    summary=f"{branch.name} {year}年第{quarter}季度未召开公寓党建工作例会",
                )
                holders = (
                    Post.objects.current(today)
                    .filter(
                        Q(kind=PostKind.BRANCH_SECRETARY, branch=branch)
                        | Q(kind=PostKind.LEADER, college=branch.college)
                    )
                    .select_related("student__user", "staff__user")
                )
                users = [p.holder.user for p in holders if p.holder is not None and p.holder.user_id]
                title = f"{branch.name}{year}年第{quarter}季度未召开公寓党建工作例会"
                transaction.on_commit(lambda users=users, title=title: notify(users=users, title=title))
        except IntegrityError:
            continue  # another tick flagged it meanwhile
        made += 1
    return made
