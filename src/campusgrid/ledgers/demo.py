"""Demo ledgers: the last two weeks of night checks with a few absences (and their
夜不归宿 reports), leave in every state, a past holiday with one overdue return,
the next holiday open for registration, inspection rounds over the semester whose
illegal-appliance rate falls, and the semester's room ratings.

Everything is written in bulk, night by night, so the 50,000-student demo stays
fast (about 700,000 night-check lines)."""

from __future__ import annotations

import collections
import datetime as dt
import random
from collections import defaultdict

from django.db import connection
from django.utils import timezone

from campusgrid.core import clock
from campusgrid.core.actors import SYSTEM
from campusgrid.grid.models import Post, PostKind
from campusgrid.org.models import Holiday
from campusgrid.people.models import Student, StudentStatus
from campusgrid.reports.models import Category, Report, ReportEvent, State, ensure_defaults
from campusgrid.reports.services import deadlines

from .models import (
    Finding,
    FindingState,
    HolidayPlan,
    HolidayRegistration,
    HolidayWindow,
    Inspection,
    InspectionItem,
    InspectionRound,
    LeaveKind,
    LeaveRequest,
    LeaveState,
    LedgerSettings,
    NightCheck,
    NightCheckEntry,
    NightCheckFlag,
    NightStatus,
    RoundKind,
    ensure_default_items,
)

NIGHTS = 14
BATCH = 2000
ABSENT, LATE, UNCHECKED = 0.0006, 0.004, 0.01
DESTINATIONS = [
    "浙江省杭州市",
    "江苏省南京市",
    "安徽省合肥市",
    "河南省郑州市",
    "湖北省武汉市",
    "山东省济南市",
    "江西省南昌市",
]
TRANSPORT = ["高铁", "长途汽车", "自驾", "飞机", "普通火车"]
REASONS = ["家中有事", "参加亲属婚礼", "身体不适回家休养", "参加学科竞赛", "面试实习单位"]


def build(demo) -> None:
    ensure_defaults()
    ensure_default_items()
    rng = random.Random(demo.rng.random())
    world = _World(demo, rng)
    _leave(world)
    _nights(world)
    _holidays(world)
    _inspections(world)
    from .services import room_ratings_compute

    room_ratings_compute(actor=SYSTEM, semester=demo.semester)


class _World:
    """What every step reads once: residents by room, posts, the settings."""

    def __init__(self, demo, rng):
        self.demo, self.rng = demo, rng
        self.now = clock.now()
        self.today = clock.today()
        self.settings = LedgerSettings.get()
        self.tonight = self.settings.night_of(self.now)
        self.students = list(
            Student.objects.filter(status=StudentStatus.ENROLLED, bed__isnull=False)
            .order_by("bed__room_id", "bed__number")
            .values_list(
                "id", "name", "student_no", "college_id", "school_class_id", "bed__room_id", "user_id"
            )
        )
        self.by_room = defaultdict(list)
        for row in self.students:
            self.by_room[row[5]].append(row)
        current = Post.objects.current().filter(end_date__isnull=True)
        self.heads = {
            room: (user_id, name)
            for room, user_id, name in current.filter(kind=PostKind.DORM_HEAD).values_list(
                "room_id", "student__user_id", "student__name"
            )
        }
        self.counselors = dict(
            current.filter(kind=PostKind.COUNSELOR).values_list("school_class_id", "staff__user_id")
        )
        self.counselor_names = dict(
            current.filter(kind=PostKind.COUNSELOR).values_list("school_class_id", "staff__name")
        )
        self.leaders = {}
        for college, user_id, name in current.filter(kind=PostKind.LEADER).values_list(
            "college_id", "staff__user_id", "staff__name"
        ):
            self.leaders.setdefault(college, (user_id, name))
        self.holidays = list(Holiday.objects.order_by("start"))
        personas = demo.personas or {}
        self.persona_class = personas.get("class")
        self.persona_head = personas.get("dorm_head")
        self.plain = personas.get("plain")
        self.leave_of_night = {}  # (student_id, date) -> leave id

    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour))) + dt.timedelta(minutes=minute)

    def on_holiday(self, day: dt.date) -> bool:
        return any(h.start <= day <= h.end for h in self.holidays)


# --- leave --------------------------------------------------------------------------------------


def _leave(w: _World) -> None:
    """About 1% of the students asked for leave in the last weeks: most returned,
    some approved and away now, some waiting, a few refused, one overdue."""
    rng, rows = w.rng, []
    chosen = rng.sample(w.students, min(len(w.students), max(10, len(w.students) // 100)))
    for index, (student_id, _name, _no, _college, class_id, _room, _user) in enumerate(chosen):
        start = w.at(w.tonight - dt.timedelta(days=rng.randint(0, NIGHTS)), rng.choice([8, 12, 17]))
        end = start + dt.timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 6))
        state = (
            [LeaveState.RETURNED] * 6 + [LeaveState.APPROVED] * 2 + [LeaveState.PENDING, LeaveState.REFUSED]
        )
        state = state[index % len(state)]
        if state == LeaveState.RETURNED and end > w.now:
            state = LeaveState.APPROVED
        if state == LeaveState.APPROVED and end < w.now:
            state = LeaveState.RETURNED
        if state == LeaveState.PENDING:
            start, end = w.now + dt.timedelta(days=1, hours=2), w.now + dt.timedelta(days=3)
        rows.append(_leave_row(w, student_id, class_id, start, end, state))
    # The demo personas: the plain student waits for approval, one of the class is overdue.
    if w.plain is not None:
        rows.append(
            _leave_row(
                w,
                w.plain.pk,
                w.plain.school_class_id,
                w.now + dt.timedelta(days=2),
                w.now + dt.timedelta(days=4),
                "pending",
            )
        )
    if w.persona_class is not None:
        late = next(
            (s for s in w.students if s[4] == w.persona_class.pk and (not w.plain or s[0] != w.plain.pk)),
            None,
        )
        if late is not None:
            rows.append(
                _leave_row(
                    w,
                    late[0],
                    late[4],
                    w.now - dt.timedelta(days=3),
                    w.now - dt.timedelta(hours=20),
                    "approved",
                )
            )
    LeaveRequest.objects.bulk_create(rows, batch_size=BATCH)
    settings = w.settings
    for leave in rows:
        if leave.state not in (LeaveState.APPROVED, LeaveState.RETURNED):
            continue
        day = leave.start.date()
        while day <= leave.end.date():
            moment = settings.flag_moment(day)
            back = leave.returned_at or leave.end
            if leave.start <= moment < min(leave.end, back):
                w.leave_of_night[(leave.student_id, day)] = leave.pk
            day += dt.timedelta(days=1)


def _leave_row(w, student_id, class_id, start, end, state) -> LeaveRequest:
    rng = w.rng
    decided = state in (LeaveState.APPROVED, LeaveState.RETURNED, LeaveState.REFUSED)
    return LeaveRequest(
        student_id=student_id,
        kind=rng.choice([LeaveKind.PERSONAL, LeaveKind.PERSONAL, LeaveKind.SICK]),
        start=start,
        end=end,
        reason=rng.choice(REASONS),
        destination=rng.choice(DESTINATIONS),
        contact=f"13{rng.randint(100000000, 999999999)}",
        state=state,
        requested_at=start - dt.timedelta(days=1),
        decided_by_id=w.counselors.get(class_id) if decided else None,
        decided_by_name=w.counselor_names.get(class_id, "") if decided else "",
        decided_at=start - dt.timedelta(hours=20) if decided else None,
        comment="注意安全，按时返校" if state != LeaveState.REFUSED else "时间与考试冲突，请调整",
        returned_at=end - dt.timedelta(hours=2) if state == LeaveState.RETURNED else None,
        returned_by_name="本人" if state == LeaveState.RETURNED else "",
    )


# --- night checks -------------------------------------------------------------------------------


def _nights(w: _World) -> None:
    """Every school night of the last two weeks, room by room; tonight partly done
    when the demo is built after the opening time (the personas' room left to do)."""
    rng = w.rng
    settings = w.settings
    nights = [w.tonight - dt.timedelta(days=k) for k in range(NIGHTS, 0, -1)]
    if w.now >= settings.open_moment(w.tonight):
        nights.append(w.tonight)
    absences = []
    persona_room = w.persona_head.room_id if w.persona_head is not None else None
    persona_class = w.persona_class.pk if w.persona_class is not None else None
    present, on_leave, late, absent = (
        NightStatus.PRESENT,
        NightStatus.LEAVE,
        NightStatus.LATE,
        NightStatus.ABSENT,
    )
    for day in nights:
        if w.on_holiday(day):
            continue
        tonight = day == w.tonight
        checks, lines, flags = [], [], []
        forced_absence = day == w.tonight - dt.timedelta(days=1)
        for room_id, members in w.by_room.items():
            if tonight and (room_id == persona_room or rng.random() < 0.35):
                continue
            if not tonight and rng.random() < UNCHECKED:
                flags.append(NightCheckFlag(room_id=room_id, date=day, flagged_at=settings.flag_moment(day)))
                continue
            head = w.heads.get(room_id)
            at = (
                w.at(day, 21, rng.randint(0, 110))
                if not tonight
                else w.now - dt.timedelta(minutes=rng.randint(0, 30))
            )
            statuses = []
            for member in members:
                leave = w.leave_of_night.get((member[0], day))
                roll = rng.random()
                if leave:
                    statuses.append((member, on_leave, None, leave))
                    continue
                # Last night one student of the persona counselor's class stayed out.
                force = forced_absence and member[4] == persona_class and room_id != persona_room
                forced_absence = forced_absence and not force
                if roll < ABSENT or force:
                    statuses.append((member, absent, None, None))
                elif roll < ABSENT + LATE:
                    statuses.append((member, late, dt.time(23, rng.randint(1, 55)), None))
                else:
                    statuses.append((member, present, None, None))
            count = {present: 0, on_leave: 0, late: 0, absent: 0}
            for line in statuses:
                count[line[1]] += 1
            checks.append(
                (
                    room_id,
                    day,
                    head[0] if head else None,
                    head[1] if head else "",
                    at,
                    at,
                    count[present],
                    count[on_leave],
                    count[late],
                    count[absent],
                    1,
                )
            )
            lines.append((room_id, statuses))
        _insert(NightCheck, CHECK_COLUMNS, checks)
        NightCheckFlag.objects.bulk_create(flags, batch_size=BATCH)
        ids = dict(NightCheck.objects.filter(date=day).values_list("room_id", "id"))
        rows = []
        for room_id, statuses in lines:
            check = _Check(ids[room_id], day)
            for member, status, time, leave in statuses:
                if status == absent:
                    absences.append((check, member))  # written with its report below
                else:
                    rows.append((check.pk, member[0], day, status, time, leave, ""))
        _insert(NightCheckEntry, ENTRY_COLUMNS, rows)
    _absence_reports(w, absences)


_Check = collections.namedtuple("_Check", "pk date")
CHECK_COLUMNS = [
    "room",
    "date",
    "checked_by",
    "checked_by_name",
    "checked_at",
    "updated_at",
    "present_count",
    "leave_count",
    "late_count",
    "absent_count",
    "version",
]
ENTRY_COLUMNS = ["night_check", "student", "date", "status", "time", "leave", "note"]


def _insert(model, fields: list[str], rows: list[tuple]) -> None:
    """A plain executemany for the bulk of the demo (about 700,000 night-check lines
    at 50,000 students): the ORM's bulk_create spends most of its time building the
    statement. Values are adapted for the database as the ORM would."""
    if not rows:
        return
    ops = connection.ops
    meta = model._meta
    adapt = {
        "DateField": ops.adapt_datefield_value,
        "DateTimeField": ops.adapt_datetimefield_value,
        "TimeField": ops.adapt_timefield_value,
    }
    columns = [meta.get_field(name) for name in fields]
    adapters = [adapt.get(field.get_internal_type()) for field in columns]
    names = ", ".join(ops.quote_name(field.column) for field in columns)
    values = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {ops.quote_name(meta.db_table)} ({names}) VALUES ({values})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 10000):
            cursor.executemany(
                sql,
                [
                    tuple(
                        f(v) if f is not None and v is not None else v
                        for f, v in zip(adapters, row, strict=True)
                    )
                    for row in rows[start : start + 10000]
                ],
            )


def _absence_reports(w: _World, absences) -> None:
    """The 夜不归宿 report each absence raised (to the counselor), in bulk: older
    ones handled and closed, last night's waiting; then the absent lines, linked."""
    category = Category.objects.get(name="夜不归宿")
    accept, handle = deadlines("normal")
    reports, plans = [], []
    for check, member in absences:
        student_id, name, student_no, college_id, class_id, room_id, _user = member
        reporter = w.heads.get(room_id)
        created = w.settings.flag_moment(check.date) - dt.timedelta(minutes=50)
        state = State.REPORTED if check.date >= w.tonight - dt.timedelta(days=1) else State.CLOSED
        report = None
        if reporter is not None:
            report = Report(
                category=category,
                severity="normal",
                state=state,
                level=3,
                room_id=room_id,
                college_id=college_id,
                description=f"{check.date:%Y年%m月%d日}晚查寝，{name}（{student_no}）未归寝，且无请假记录。",
                reporter_id=reporter[0],
                reporter_name=reporter[1],
                reporter_level=1,
                handler_id=w.counselors.get(class_id) if state == State.CLOSED else None,
                outcome="已联系本人，次日返校并进行了安全教育。" if state == State.CLOSED else "",
                feedback="已处理。" if state == State.CLOSED else "",
                created_at=created,
                updated_at=created,
                accept_due=created + accept,
                handle_due=created + handle,
                closed_at=created + dt.timedelta(days=1) if state == State.CLOSED else None,
                source="night_check",
                source_key=f"night:{check.date.isoformat()}:{student_no}",
            )
            reports.append(report)
        plans.append((report, check, student_id, class_id, created))
    Report.objects.bulk_create(reports, batch_size=BATCH)
    made = [p for p in plans if p[0] is not None]
    students = Report.students.through
    classes = Report.classes.through
    students.objects.bulk_create(
        [students(report_id=r.pk, student_id=s) for r, _k, s, _c, _t in made], batch_size=BATCH
    )
    classes.objects.bulk_create(
        [classes(report_id=r.pk, schoolclass_id=c) for r, _k, _s, c, _t in made if c], batch_size=BATCH
    )
    ReportEvent.objects.bulk_create(
        [
            ReportEvent(
                report_id=r.pk,
                at=t,
                actor_id=r.reporter_id,
                actor_name=r.reporter_name,
                action="create",
                to_state=State.REPORTED,
                to_level=3,
                note="查寝未归，自动上报至三级（辅导员、班主任）",
            )
            for r, _k, _s, _c, t in made
        ],
        batch_size=BATCH,
    )
    NightCheckEntry.objects.bulk_create(
        [
            NightCheckEntry(
                night_check_id=check.pk,
                student_id=student_id,
                date=check.date,
                status=NightStatus.ABSENT,
                report_id=report.pk if report is not None else None,
            )
            for report, check, student_id, _c, _t in plans
        ],
        batch_size=BATCH,
    )


# --- holidays -----------------------------------------------------------------------------------


def _holidays(w: _World) -> None:
    """The last holiday: every class registered, nearly everyone back, one overdue.
    The next holiday (within a month): open for the persona counselor's classes."""
    rng = w.rng
    past = [h for h in w.holidays if h.end < w.today and h.end >= w.today - dt.timedelta(days=120)]
    if past:
        holiday = past[-1]
        due = w.settings.holiday_return_due(holiday)
        class_ids = sorted({s[4] for s in w.students if s[4]})
        windows = [
            HolidayWindow(
                holiday=holiday,
                school_class_id=class_id,
                register_by=holiday.start - dt.timedelta(days=1),
                return_due=due,
                opened_by_id=w.counselors.get(class_id),
                opened_by_name=w.counselor_names.get(class_id, ""),
                opened_at=w.at(holiday.start - dt.timedelta(days=7), 9),
                unregistered_flagged_at=w.at(holiday.start, 0, 5),
            )
            for class_id in class_ids
        ]
        HolidayWindow.objects.bulk_create(windows, batch_size=BATCH)
        window_of = {win.school_class_id: win for win in windows}
        overdue_class = w.persona_class.pk if w.persona_class is not None else class_ids[0]
        overdue_done = False
        rows = []
        for student_id, name, _no, _college, class_id, _room, _user in w.students:
            if class_id is None or rng.random() < 0.04:
                continue  # a few never registered
            leaving = rng.random() < 0.7
            overdue = (
                leaving
                and not overdue_done
                and class_id == overdue_class
                and student_id != getattr(w.plain, "pk", None)
            )
            overdue_done = overdue_done or overdue
            back = due - dt.timedelta(hours=rng.randint(1, 30))
            rows.append(
                HolidayRegistration(
                    window=window_of[class_id],
                    holiday=holiday,
                    student_id=student_id,
                    plan=HolidayPlan.LEAVE if leaving else HolidayPlan.STAY,
                    destination=rng.choice(DESTINATIONS) if leaving else "",
                    depart_on=holiday.start if leaving else None,
                    return_on=holiday.end if leaving else None,
                    transport=rng.choice(TRANSPORT) if leaving else "",
                    emergency_contact=f"{name[0]}家长" if leaving else "",
                    emergency_phone=f"13{rng.randint(100000000, 999999999)}" if leaving else "",
                    registered_at=w.at(holiday.start - dt.timedelta(days=rng.randint(1, 5)), 20),
                    registered_by_name=name,
                    return_due=due,
                    returned_at=None if overdue or not leaving else back,
                    return_confirmed_by_name="本人" if leaving and not overdue else "",
                )
            )
        HolidayRegistration.objects.bulk_create(rows, batch_size=BATCH)
    upcoming = [h for h in w.holidays if w.today < h.start <= w.today + dt.timedelta(days=31)]
    if upcoming and w.persona_class is not None:
        holiday = upcoming[0]
        counselor = w.counselors.get(w.persona_class.pk)
        classes = list(
            Post.objects.current()
            .filter(kind=PostKind.COUNSELOR, staff__user_id=counselor)
            .values_list("school_class_id", flat=True)
        )
        HolidayWindow.objects.bulk_create(
            [
                HolidayWindow(
                    holiday=holiday,
                    school_class_id=class_id,
                    register_by=holiday.start - dt.timedelta(days=1),
                    return_due=w.settings.holiday_return_due(holiday),
                    opened_by_id=counselor,
                    opened_by_name=w.counselor_names.get(w.persona_class.pk, ""),
                    opened_at=w.now - dt.timedelta(days=1),
                )
                for class_id in classes
            ]
        )


# --- inspections --------------------------------------------------------------------------------


def _inspections(w: _World) -> None:
    """A round every two weeks per college (six in all), every room scored; the
    rooms with an illegal appliance fall from about 15% to 6% (seed 004: -60%)."""
    rng = w.rng
    items = {i.name: i for i in InspectionItem.objects.all()}
    appliance = items["违章电器"]
    others = [
        items[n]
        for n in ("私拉电线", "吸烟", "易燃物", "消防通道堵塞", "门窗损坏", "卫生", "节水节电")
        if n in items
    ]
    rooms_of = defaultdict(list)
    tidiness = {}  # some rooms are always spotless, some never
    for room_id, members in w.by_room.items():
        rooms_of[members[0][3]].append(room_id)
        tidiness[room_id] = rng.gauss(0, 6)
    rounds_total = 6
    dates = [w.today - dt.timedelta(days=14 * k + 1) for k in range(rounds_total - 1, -1, -1)]
    from campusgrid.org.models import Semester

    rounds = []
    for index, day in enumerate(dates):
        for college in w.demo.colleges:
            leader = w.leaders.get(college.pk, (None, ""))
            rounds.append(
                InspectionRound(
                    title=f"第{index + 1}次安全卫生检查",
                    kind=RoundKind.BOTH,
                    date=day,
                    semester=Semester.current(day),
                    college=college,
                    created_by_id=leader[0],
                    created_by_name=leader[1],
                    created_at=w.at(day, 9),
                    note="学院统一组织的寝室安全卫生检查",
                )
            )
            rounds[-1]._index = index
    InspectionRound.objects.bulk_create(rounds, batch_size=BATCH)
    for round_ in rounds:
        index, rate = round_._index, 0.15 - 0.09 * round_._index / (rounds_total - 1)
        latest = index == rounds_total - 1
        inspections = []
        for room_id in rooms_of.get(round_.college_id, []):
            inspections.append(
                Inspection(
                    round=round_,
                    room_id=room_id,
                    state=Inspection.State.DONE,
                    inspected_at=w.at(round_.date, rng.randint(9, 16), rng.randint(0, 59)),
                    inspector_id=round_.created_by_id,
                    inspector_name=round_.created_by_name,
                    hygiene_score=max(40, min(100, round(rng.gauss(82 + index + tidiness[room_id], 4)))),
                )
            )
        Inspection.objects.bulk_create(inspections, batch_size=BATCH)
        findings, responsible = [], []
        for inspection in inspections:
            found = []
            if rng.random() < rate:
                found.append((appliance, "发现使用电热锅/热得快，已当场登记"))
            if rng.random() < 0.04:
                found.append((rng.choice(others), "检查中发现，已提醒整改"))
            for item, text in found:
                deadline = round_.date + dt.timedelta(days=3)
                fixed = not latest or rng.random() < 0.4
                finding = Finding(
                    inspection=inspection,
                    room_id=inspection.room_id,
                    item=item,
                    description=text,
                    deadline=deadline if not latest else max(deadline, w.today + dt.timedelta(days=1)),
                    state=FindingState.FIXED if fixed else FindingState.OPEN,
                    found_at=inspection.inspected_at,
                    found_by_id=round_.created_by_id,
                    found_by_name=round_.created_by_name,
                    fixed_at=w.at(round_.date + dt.timedelta(days=2), 15)
                    if fixed and not latest
                    else (w.now if fixed else None),
                )
                findings.append(finding)
                members = w.by_room.get(inspection.room_id) or []
                if item is appliance and members:
                    responsible.append((finding, rng.choice(members)[0]))
        Finding.objects.bulk_create(findings, batch_size=BATCH)
        through = Finding.students.through
        through.objects.bulk_create(
            [through(finding_id=f.pk, student_id=s) for f, s in responsible], batch_size=BATCH
        )
