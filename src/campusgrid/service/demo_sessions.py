"""Demo sessions: per college, volunteer teams (one per branch) with a semester of activities,
participants, students served and credited hours in seed 004's proportions (10 activities,
284 participations, 1,136 students served for a college of about 1,700 students, scaled by
size); an anti-fraud education session; dorm-head training with a make-up and some dorm
heads left untrained; the default training requirements."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from campusgrid.grid.models import PartyBranch, Post, PostKind
from campusgrid.people.models import PARTY_MEMBERS, Student, StudentStatus

from .models import (
    Attendance,
    AttendanceHow,
    AttendanceStatus,
    HoursCredit,
    Session,
    SessionKind,
    SessionPost,
    TeamMember,
    TrainingRequirement,
    VolunteerTeam,
)
from .models.teams import TEAM_THEMES

SEED_COLLEGE = 1700  # students of the college seed 004's figures describe
ACTIVITIES, PARTICIPATIONS, SERVED = 10, 284, 1136
DORM_TRAINING = "舍长岗前培训"
CADRE_TRAINING = "网格员业务培训"
ACTIVITY_TITLES = {
    "扶贫帮困": ["爱心义卖", "困难学生走访慰问"],
    "学业互助": ["期中考试答疑", "高数互助课堂"],
    "平安公寓": ["宿舍安全隐患排查", "用电安全宣传"],
    "朋辈课堂": ["朋辈课堂：学习方法分享", "考研经验分享会"],
    "心理健康咨询": ["心理健康宣传周", "朋辈心理辅导"],
    "新生服务": ["新生报到志愿服务", "新生入学引导"],
}


def ensure_default_requirements() -> None:
    """The demo's training rules (an admin edits them): new dorm heads within their first
    month, monitors and league secretaries within six weeks."""
    for kind, topic, days in [
        (PostKind.DORM_HEAD, DORM_TRAINING, 30),
        (PostKind.MONITOR, CADRE_TRAINING, 42),
        (PostKind.LEAGUE_SECRETARY, CADRE_TRAINING, 42),
    ]:
        TrainingRequirement.objects.get_or_create(post_kind=kind, topic=topic, defaults={"within_days": days})


def build(demo) -> None:
    ensure_default_requirements()
    rng = random.Random(demo.rng.random())
    for college in demo.colleges:
        _college(demo, rng, college)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _college(demo, rng, college) -> None:
    semester = demo.semester
    today = demo.today
    students = list(
        Student.objects.filter(college=college, status=StudentStatus.ENROLLED).values_list(
            "id", "political_status", "bed__room__party_room__branch_id", "school_class_id"
        )
    )
    if not students:
        return
    counselor = (
        Post.objects.current()
        .filter(kind=PostKind.COUNSELOR, school_class__college=college)
        .select_related("staff")
        .first()
    )
    organiser = counselor.staff.user if counselor and counselor.staff.user_id else None
    if organiser is None:
        return
    scale = max(len(students) / SEED_COLLEGE, 0.2)
    branches = list(PartyBranch.objects.filter(college=college).order_by("id"))
    teams = _teams(rng, college, branches, students)
    window_end = min(today - dt.timedelta(days=1), semester.end)
    span = max((window_end - semester.start).days, 7)
    total_activities = max(len(teams), round(ACTIVITIES * scale))
    per_activity = max(4, round(PARTICIPATIONS * scale / total_activities))
    served_per = max(10, round(SERVED * scale / total_activities))
    attendance, credits = [], []
    numbers = [s[0] for s in students]
    for index in range(total_activities):
        team, members = teams[index % len(teams)]
        day = semester.start + dt.timedelta(days=rng.randint(7, span))
        if day > window_end:
            day = window_end
        titles = ACTIVITY_TITLES.get(team.theme, ["志愿服务"])
        hours = Decimal(rng.choice(["2.0", "2.5", "3.0", "4.0"]))
        session = Session.objects.create(
            kind=SessionKind.VOLUNTEER,
            title=f"{titles[index % len(titles)]}（{team.name}）",
            topic=team.theme,
            college=college,
            semester=semester,
            organiser=organiser,
            starts_at=_at(day, 14),
            ends_at=_at(day, 14) + dt.timedelta(hours=float(hours)),
            place=rng.choice(["学生活动中心", "东区宿舍楼下", "图书馆报告厅", "新生报到点"]),
            quota=per_activity + 5,
            signup_required=True,
            hours=hours,
            team=team,
            branch=team.branch,
            served_count=served_per - served_per // 10,
            hours_credited_at=_at(day, 20),
        )
        SessionPost.objects.bulk_create(
            [
                SessionPost(session=session, name="引导员", quota=3),
                SessionPost(session=session, name="服务员", quota=None),
            ]
        )
        pool = (
            members
            if len(members) >= per_activity
            else members + rng.sample(numbers, min(len(numbers), per_activity))
        )
        chosen = list(dict.fromkeys(rng.sample(pool, min(len(pool), per_activity))))
        session.served_students.set(rng.sample(numbers, min(len(numbers), served_per // 10)))
        for sid in chosen:
            status = AttendanceStatus.LATE if rng.random() < 0.05 else AttendanceStatus.PRESENT
            attendance.append(_attended(session, sid, status, AttendanceHow.CODE, recorded_by=organiser))
            credits.append(_credit(session, sid, semester, organiser, at=session.hours_credited_at))
    # One activity still ahead, open for sign-up.
    if teams:
        team, _ = teams[0]
        ahead = today + dt.timedelta(days=5)
        Session.objects.create(
            kind=SessionKind.VOLUNTEER,
            title=f"期末考试考场引导（{team.name}）",
            topic=team.theme,
            college=college,
            semester=semester,
            organiser=organiser,
            starts_at=_at(ahead, 8),
            ends_at=_at(ahead, 11),
            place="教学楼",
            quota=20,
            signup_required=True,
            hours=Decimal("3"),
            team=team,
            branch=team.branch,
        )
    _education(rng, college, semester, organiser, students, attendance, credits, window_end)
    _training(rng, college, semester, organiser, attendance, credits, window_end)
    Attendance.objects.bulk_create(attendance, batch_size=2000)
    HoursCredit.objects.bulk_create(credits, batch_size=2000)


def _teams(rng, college, branches, students):
    teams = []
    by_branch: dict[int, list[int]] = {}
    for sid, status, branch_id, _class in students:
        if branch_id and status in PARTY_MEMBERS:
            by_branch.setdefault(branch_id, []).append(sid)
    for i, branch in enumerate(branches or [None]):
        theme = TEAM_THEMES[i % len(TEAM_THEMES)]
        members = by_branch.get(branch.pk if branch else None, [])
        extra = rng.sample([s[0] for s in students], min(len(students), 20))
        members = list(dict.fromkeys(members + extra))[:40]
        team = VolunteerTeam.objects.create(
            college=college,
            branch=branch,
            name=f"{(branch.name if branch else college.name)}{theme}服务队",
            theme=theme,
            leader_id=members[0] if members else None,
            description=f"以{theme}为主题的党员志愿服务队。",
        )
        TeamMember.objects.bulk_create([TeamMember(team=team, student_id=sid) for sid in members])
        teams.append((team, members))
    return teams


def _education(rng, college, semester, organiser, students, attendance, credits, window_end):
    classes = sorted({s[3] for s in students if s[3]})[:4]
    if not classes:
        return
    day = min(semester.start + dt.timedelta(days=30), window_end)
    session = Session.objects.create(
        kind=SessionKind.EDUCATION,
        title="反诈宣传主题班会",
        topic="反诈宣传",
        college=college,
        semester=semester,
        organiser=organiser,
        starts_at=_at(day, 19),
        ends_at=_at(day, 20),
        place="教学楼",
        hours=Decimal("1"),
    )
    session.audience_classes.set(classes)
    for sid, _status, _branch, class_id in students:
        if class_id in classes:
            roll = rng.random()
            status = (
                AttendanceStatus.PRESENT
                if roll < 0.88
                else AttendanceStatus.LATE
                if roll < 0.93
                else AttendanceStatus.LEAVE
                if roll < 0.97
                else AttendanceStatus.ABSENT
            )
            attendance.append(_attended(session, sid, status, AttendanceHow.CODE))
            if status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE):
                credits.append(_credit(session, sid, semester, organiser))


def _training(rng, college, semester, organiser, attendance, credits, window_end):
    """舍长岗前培训 two weeks into the semester (most dorm heads come), a make-up a week
    later for some of those absent; the rest stay untrained (the ledger lists them)."""
    heads = list(
        Post.objects.current()
        .filter(kind=PostKind.DORM_HEAD, student__college=college)
        .values_list("student_id", flat=True)
    )
    if not heads:
        return
    day = min(semester.start + dt.timedelta(days=14), window_end)
    makeup_day = min(day + dt.timedelta(days=7), window_end)

    def training(title, starts_at, ends_at, place):
        return Session.objects.create(
            kind=SessionKind.TRAINING,
            title=title,
            topic=DORM_TRAINING,
            college=college,
            semester=semester,
            organiser=organiser,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place,
            hours=Decimal("2"),
            audience_post_kind=PostKind.DORM_HEAD,
        )

    main = training("新任舍长岗前培训", _at(day, 19), _at(day, 21), "学院报告厅")
    makeup = training("舍长岗前培训（补课）", _at(makeup_day, 19), _at(makeup_day, 20), "学院办公室")
    for sid in heads:
        roll = rng.random()
        if roll < 0.82:
            status = AttendanceStatus.LATE if rng.random() < 0.06 else AttendanceStatus.PRESENT
            attendance.append(_attended(main, sid, status, AttendanceHow.CODE))
            credits.append(_credit(main, sid, semester, organiser))
            continue
        attendance.append(
            _attended(main, sid, AttendanceStatus.ABSENT, AttendanceHow.MANUAL, at=main.ends_at)
        )
        if roll < 0.92:
            attendance.append(
                _attended(makeup, sid, AttendanceStatus.MAKEUP, AttendanceHow.MANUAL, recorded_by=organiser)
            )
            credits.append(_credit(makeup, sid, semester, organiser))


def _attended(session, sid, status, how, *, at=None, recorded_by=None) -> Attendance:
    """A student's attendance (at the session's start unless `at`), unsaved."""
    return Attendance(
        session=session,
        student_id=sid,
        status=status,
        how=how,
        at=at or session.starts_at,
        recorded_by=recorded_by,
    )


def _credit(session, sid, semester, organiser, *, at=None) -> HoursCredit:
    """The session's hours credited to a student by the organiser, unsaved (`at`: when, if
    not now)."""
    when = {"at": at} if at else {}
    return HoursCredit(
        session=session,
        student_id=sid,
        kind=session.hours_kind,
        hours=session.hours,
        semester=semester,
        credited_by=organiser,
        **when,
    )
