"""The service app's figures of a semester's record (issue 15 items 2 and 3), registered as
`core.registry.SemesterMetric`s for the appraisal and the class ranking (dashboards lists the
keys it expects; until registered they show 未启用):

- service.training: the training sessions the post holder attended in their term, and the
  required trainings of their post kind met (TrainingRequirement);
- service.opinion: the 舆情 reports due in the term and those submitted on time (weekly by
  the Sunday, daily inside a special period by its due time);
- service.hours: the volunteer hours credited in the term, net of corrections (HoursCredit);
- service.class_hours: the volunteer hours of a class's students in the semester.

Every compute takes all subjects at once, in a fixed number of queries. The worker's window
is the overlap of the post's term with the semester up to today: grid's `Post.term_window`,
which the appraisal judges by too."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Min, Q, Sum
from django.utils import timezone

from campusgrid.core import clock
from campusgrid.core.registry import SemesterMetric, register_semester_metric
from campusgrid.grid.models import term_windows

# The volunteer hours a semester that earn the full score (a worker's own, a class's mean
# per enrolled student). No rule of the seeds fixes it; kept here as the one place to change.
# Volunteering is not a grid duty: no hours scores 60 (like a quiet term's reports), the
# target 100, so a figure the worker owes nothing for never fails them on its own.
HOURS_FULL_SCORE = Decimal("10")
HOURS_FLOOR = Decimal("60")


def _hours_score(hours: Decimal) -> float:
    share = min(max(hours, Decimal(0)) / HOURS_FULL_SCORE, Decimal(1))
    return float(HOURS_FLOOR + (100 - HOURS_FLOOR) * share)


STUDENT_POSTS = (
    "dorm_head",
    "monitor",
    "league_secretary",
    "activist",
    "small_grid_leader",
    "branch_secretary",
)


def _moment(day: dt.date, end: bool = False) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max if end else dt.time.min))


def _day(value: dt.datetime) -> dt.date:
    return clock.local(value).date()


def _holders(posts) -> dict[int, tuple]:
    """post id -> ("student" | "staff", person id)."""
    result = {}
    for p in posts:
        if p.student_id:
            result[p.pk] = ("student", p.student_id)
        elif getattr(p, "staff_id", None):
            result[p.pk] = ("staff", p.staff_id)
    return result


def _hours(value) -> str:
    value = Decimal(value or 0).normalize()
    return f"{value:f}"


# --- training ------------------------------------------------------------------------------------


def training(*, semester, subjects):
    """参加培训: the trainings (sessions of kind training, attended — 出席, 迟到 or 补课) the
    holder took part in during the term; the score is the share of their post kind's active
    requirements met (a same-topic training from `counts_before_days` before the post's start),
    counting only requirements already due in the term or met. Nothing due and none met: no
    score (the figure says nothing yet)."""
    from .models import ATTENDED, Attendance, SessionKind, TrainingRequirement

    windows, first, last = term_windows(subjects, semester)
    if first is None:
        return {}
    requirements = defaultdict(list)
    for r in TrainingRequirement.objects.filter(active=True).order_by("topic"):
        requirements[r.post_kind].append(r)
    earliest = first - dt.timedelta(
        days=max((r.counts_before_days for rs in requirements.values() for r in rs), default=0)
    )
    holders = _holders(subjects)
    students = {pid for kind, pid in holders.values() if kind == "student"}
    staff = {pid for kind, pid in holders.values() if kind == "staff"}
    attended = defaultdict(list)  # (kind, person id) -> [(day, topic)]
    for student_id, staff_id, starts_at, topic in Attendance.objects.filter(
        Q(student_id__in=students) | Q(staff_id__in=staff),
        session__kind=SessionKind.TRAINING,
        status__in=ATTENDED,
        session__starts_at__gte=_moment(earliest),
        session__starts_at__lte=_moment(last, True),
    ).values_list("student_id", "staff_id", "session__starts_at", "session__topic"):
        key = ("student", student_id) if student_id else ("staff", staff_id)
        attended[key].append((_day(starts_at), topic))
    result = {}
    for post in subjects:
        window = windows[post.pk]
        if window is None:
            result[post.pk] = (0, None, "任期不在本学期")
            continue
        mine = attended.get(holders.get(post.pk), [])
        inside = sum(1 for day, _ in mine if window[0] <= day <= window[1])
        met = due = 0
        missing = []
        for r in requirements.get(post.kind, []):
            since = post.start_date - dt.timedelta(days=r.counts_before_days)
            done = any(topic == r.topic and since <= day <= window[1] for day, topic in mine)
            if done:
                met += 1
                due += 1
            elif post.start_date + dt.timedelta(days=r.within_days) <= window[1]:
                due += 1
                missing.append(r.topic)
        if not due:
            note = "培训要求尚未到期" if requirements.get(post.kind) else "本职务无培训要求"
            result[post.pk] = (inside, None, f"参加培训 {inside} 次，{note}")
            continue
        detail = f"参加培训 {inside} 次，完成培训要求 {met}/{due}"
        if missing:
            detail += f"（未完成：{'、'.join(missing)}）"
        result[post.pk] = (inside, 100 * met / due, detail)
    return result


# --- 舆情 reports ----------------------------------------------------------------------------------


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def opinion(*, semester, subjects):
    """舆情报送: the periods due in the term and those reported on time. Inside a special
    period of the holder's college every day is due by the period's due time (日报); otherwise
    each week whose Sunday falls in the term is due by the end of that Sunday (周报; a week every
    day of which lies in special periods has no weekly report). Periods still open now are not
    counted, nor those before the college's first report of the semester (a college that began
    mid-term is not blamed for the weeks before). Posts of kinds that do not report
    (OpinionSettings) have no score."""
    from .models import Cadence, OpinionReport, OpinionSettings, SpecialPeriod

    windows, first, last = term_windows(subjects, semester)
    if first is None:
        return {}
    kinds = set(OpinionSettings.get().kinds)
    reporting = [p for p in subjects if p.kind in kinds and windows[p.pk] and p.student_id]
    users = {p.pk: p.student.user_id for p in reporting if p.student.user_id}
    colleges = {p.pk: p.student.college_id for p in reporting}
    specials = defaultdict(list)
    for college_id, start, end, due_time in SpecialPeriod.objects.filter(
        college_id__in=set(colleges.values()), start__lte=last, end__gte=first
    ).values_list("college_id", "start", "end", "due_time"):
        specials[college_id].append((start, end, due_time))
    # The college's first period reported this semester: one that started using 舆情 reports
    # mid-term is not blamed for the weeks before (as the night-check figure does).
    began = dict(
        OpinionReport.objects.filter(
            college_id__in=set(colleges.values()), period_start__gte=_week_start(semester.start)
        )
        .values("college_id")
        .annotate(first=Min("period_start"))
        .values_list("college_id", "first")
    )
    filed = {}
    for reporter_id, cadence, period_start, submitted_at in OpinionReport.objects.filter(
        reporter_id__in=set(users.values()),
        period_start__gte=_week_start(first),
        period_start__lte=last,
    ).values_list("reporter_id", "cadence", "period_start", "submitted_at"):
        filed[(reporter_id, cadence, period_start)] = submitted_at
    now = clock.now()
    result = {}
    for post in subjects:
        window = windows[post.pk]
        if window is None:
            result[post.pk] = (0, None, "任期不在本学期")
            continue
        if post.kind not in kinds:
            result[post.pk] = (0, None, "该职务无须报送舆情")
            continue
        user_id = users.get(post.pk)
        if user_id is None:
            result[post.pk] = (0, None, "无登录账号，无法报送")
            continue
        start = began.get(colleges[post.pk])
        if start is None:
            result[post.pk] = (0, None, "本学期舆情报告尚未启用")
            continue
        periods = specials.get(colleges[post.pk], [])

        def special_on(day, periods=periods):
            return next((p for p in periods if p[0] <= day <= p[1]), None)

        due = []  # (cadence, period start, deadline)
        day = max(window[0], start)
        while day <= window[1]:
            special = special_on(day)
            if special is not None:
                deadline = timezone.make_aware(dt.datetime.combine(day, special[2]))
                if deadline < now:
                    due.append((Cadence.DAILY, day, deadline))
            if day.weekday() == 6:
                monday = day - dt.timedelta(days=6)
                week = [monday + dt.timedelta(days=i) for i in range(7)]
                deadline = _moment(day, True)
                if deadline < now and not all(special_on(d) for d in week):
                    due.append((Cadence.WEEKLY, monday, deadline))
            day += dt.timedelta(days=1)
        if not due:
            result[post.pk] = (0, None, "任期内尚无到期的舆情报告")
            continue
        on_time = late = 0
        for cadence, start, deadline in due:
            submitted = filed.get((user_id, cadence, start))
            if submitted is None:
                continue
            if submitted <= deadline:
                on_time += 1
            else:
                late += 1
        missing = len(due) - on_time - late
        result[post.pk] = (
            on_time,
            100 * on_time / len(due),
            f"按时报送 {on_time}/{len(due)} 期，迟报 {late} 期，未报 {missing} 期",
        )
    return result


# --- volunteer hours --------------------------------------------------------------------------------


def hours(*, semester, subjects):
    """服务时长: the volunteer hours credited to the holder for activities of the semester held
    in their term, net of corrections (the ledger's rows summed); 60 for none, rising to 100
    at HOURS_FULL_SCORE hours."""
    from .models import HoursCredit, HoursKind

    windows, first, last = term_windows(subjects, semester)
    if first is None:
        return {}
    holders = _holders(subjects)
    students = {pid for kind, pid in holders.values() if kind == "student"}
    staff = {pid for kind, pid in holders.values() if kind == "staff"}
    rows = defaultdict(list)  # (kind, person) -> [(day, hours, session id)]
    for student_id, staff_id, starts_at, value, session_id in HoursCredit.objects.filter(
        Q(student_id__in=students) | Q(staff_id__in=staff),
        kind=HoursKind.VOLUNTEER,
        semester=semester,
        session__starts_at__gte=_moment(first),
        session__starts_at__lte=_moment(last, True),
    ).values_list("student_id", "staff_id", "session__starts_at", "hours", "session_id"):
        key = ("student", student_id) if student_id else ("staff", staff_id)
        rows[key].append((_day(starts_at), value, session_id))
    result = {}
    for post in subjects:
        window = windows[post.pk]
        if window is None:
            result[post.pk] = (0, None, "任期不在本学期")
            continue
        mine = [r for r in rows.get(holders.get(post.pk), []) if window[0] <= r[0] <= window[1]]
        total = sum((r[1] for r in mine), Decimal(0))
        sessions = len({r[2] for r in mine})
        result[post.pk] = (
            float(total),
            _hours_score(total),
            f"志愿服务 {_hours(total)} 小时（{sessions} 次活动）",
        )
    return result


def class_hours(*, semester, subjects):
    """志愿服务时长 (class): the volunteer hours credited in the semester to the class's students
    (net of corrections) and their mean per enrolled student; 60 for none, rising to 100 when
    the mean reaches HOURS_FULL_SCORE."""
    from campusgrid.people.models import Student, StudentStatus

    from .models import HoursCredit, HoursKind

    sizes = dict(
        Student.objects.filter(school_class__in=subjects, status=StudentStatus.ENROLLED)
        .values("school_class_id")
        .annotate(n=Count("id"))
        .values_list("school_class_id", "n")
    )
    figures = {
        class_id: (total, people)
        for class_id, total, people in HoursCredit.objects.filter(
            student__school_class__in=subjects, kind=HoursKind.VOLUNTEER, semester=semester
        )
        .values("student__school_class_id")
        .annotate(total=Sum("hours"), people=Count("student_id", distinct=True))
        .values_list("student__school_class_id", "total", "people")
    }
    result = {}
    for c in subjects:
        size = sizes.get(c.pk, 0)
        total, people = figures.get(c.pk, (Decimal(0), 0))
        total = total or Decimal(0)
        if not size:
            result[c.pk] = (float(total), None, "班级无在校学生")
            continue
        mean = total / size
        result[c.pk] = (
            float(total),
            _hours_score(mean),
            f"志愿服务 {_hours(total)} 小时，{people} 人有时长，人均 {mean:.1f} 小时",
        )
    return result


METRICS = [
    SemesterMetric(
        "service.training", "参加培训", "worker", training, kinds=STUDENT_POSTS, unit="次", order=5
    ),
    SemesterMetric("service.opinion", "舆情报送", "worker", opinion, kinds=STUDENT_POSTS, unit="期", order=6),
    SemesterMetric("service.hours", "服务时长", "worker", hours, kinds=STUDENT_POSTS, unit="小时", order=7),
    SemesterMetric("service.class_hours", "志愿服务时长", "class", class_hours, unit="小时", order=13),
]


def register() -> None:
    for metric in METRICS:
        register_semester_metric(metric)
