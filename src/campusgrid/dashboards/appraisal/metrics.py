"""The figures of a semester's record, as data (issue 15 items 2 and 3).

`EXPECTED` lists every figure the appraisal and the class ranking show, with the post kinds a
worker figure applies to; the figure itself is computed by whoever registered it in
`core.registry.SEMESTER_METRICS` (this module registers the ones that come from reports and
ledgers, the service app registers training, 舆情 reports and service hours when it lands). A
figure without a registered source is 未启用 — shown as such, never as 0, and left out of the
score.

Every compute function takes all subjects at once and answers in a fixed number of queries
(no query per worker or per class). The figures count every record of the worker or class,
whoever looks: a worker's appraisal must not change with the viewer's scope (the appraisal
rows themselves are scoped)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q
from django.utils import timezone

from campusgrid.core import clock
from campusgrid.core.registry import SemesterMetric, register_semester_metric, semester_metric
from campusgrid.grid.models import term_windows

WORKER = "worker"
CLASS = "class"

DORM_HEAD = "dorm_head"
CADRES_2 = ("monitor", "league_secretary")
ALL_STUDENT_POSTS = (
    "dorm_head",
    "monitor",
    "league_secretary",
    "activist",
    "small_grid_leader",
    "branch_secretary",
)


@dataclasses.dataclass(frozen=True)
class Expected:
    key: str
    label: str
    subject: str
    kinds: tuple = ()
    source: str = ""  # the app that computes it


EXPECTED = [
    Expected("night_on_time", "按时查寝", WORKER, (DORM_HEAD,), "ledgers"),
    Expected("reports_filed", "上报问题", WORKER, ALL_STUDENT_POSTS, "reports"),
    Expected("reports_in_time", "按时处理上报", WORKER, CADRES_2, "reports"),
    Expected("room_inspections", "寝室检查", WORKER, (DORM_HEAD, "activist"), "ledgers"),
    Expected("feedback_confirmed", "确认反馈", WORKER, ALL_STUDENT_POSTS, "reports"),
    Expected("service.training", "参加培训", WORKER, ALL_STUDENT_POSTS, "service"),
    Expected("service.opinion", "舆情报送", WORKER, ALL_STUDENT_POSTS, "service"),
    Expected("service.hours", "服务时长", WORKER, ALL_STUDENT_POSTS, "service"),
    Expected("class_night_record", "查寝在寝率", CLASS, (), "ledgers"),
    Expected("class_absences", "夜不归宿", CLASS, (), "ledgers"),
    Expected("class_reports", "问题上报及办结", CLASS, (), "reports"),
    Expected("class_room_ratings", "寝室评比", CLASS, (), "ledgers"),
    Expected("class_study", "学业重点学生与预警", CLASS, (), "dossiers"),
    Expected("service.class_hours", "志愿服务时长", CLASS, (), "service"),
]


def expected(subject: str, kind: str | None = None) -> list[Expected]:
    return [e for e in EXPECTED if e.subject == subject and (kind is None or not e.kinds or kind in e.kinds)]


def enabled(key: str) -> bool:
    return semester_metric(key) is not None


def compute_all(subject: str, *, semester, subjects: list) -> dict[int, dict]:
    """{subject id: {metric key: {"value", "score", "detail"} or None (未启用)}} for every
    expected metric of `subject` (worker figures only for the kinds they apply to)."""
    result: dict[int, dict] = {s.pk: {} for s in subjects}
    for item in expected(subject):
        metric = semester_metric(item.key)
        applies = [s for s in subjects if subject == CLASS or not item.kinds or s.kind in item.kinds]
        if not applies:
            continue
        values = metric.compute(semester=semester, subjects=applies) if metric else {}
        for s in applies:
            if metric is None:
                result[s.pk][item.key] = None
            else:
                value, score, detail = values.get(s.pk, (0, None, "无记录"))
                result[s.pk][item.key] = {
                    "value": value,
                    "score": None if score is None else round(float(score), 2),
                    "detail": detail,
                }
    return result


def weighted_score(figures: dict, weight_of) -> float | None:
    """The weighted mean of the figures that have a score (未启用 and "nothing to judge by" are
    left out, so a missing source never counts as 0)."""
    total = weights = 0.0
    for key, figure in figures.items():
        if not figure or figure.get("score") is None:
            continue
        weight = weight_of(key)
        total += weight * figure["score"]
        weights += weight
    return round(total / weights, 2) if weights else None


def _moment(day: dt.date, end: bool = False) -> dt.datetime:
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time.max if end else dt.time.min))
    return moment


def _local_date(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date()


def _user_ids(posts) -> dict[int, int]:
    """post id -> the holder's login id (posts without a login have no records of their own)."""
    return {p.pk: p.student.user_id for p in posts if p.student_id and p.student.user_id}


# --- ledgers: night checks done on time, the room's inspections ----------------------------------


def night_on_time(*, semester, subjects):
    """查寝按时: of the nights of the term (holidays left out, from the first night the ledger
    recorded any check this semester — a college that started using the system mid-term is
    not blamed for the nights before — up to the last night whose flag time has passed), those
    the dorm head checked their room before the flag time (LedgerSettings.check_flag_time, the
    moment a room counts as not checked)."""
    from campusgrid.ledgers.models import LedgerSettings, NightCheck
    from campusgrid.org.models import Holiday

    settings = LedgerSettings.get()
    windows, first, last = term_windows(subjects, semester)
    if first is None:
        return {}
    last_night = settings.last_flagged_night(clock.now())
    began = (
        NightCheck.objects.filter(date__gte=semester.start, date__lte=semester.end)
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )
    if began is None:
        return {p.pk: (0, None, "本学期查寝台账尚未启用") for p in subjects}
    holidays = list(Holiday.objects.filter(semester=semester).values_list("start", "end"))
    rooms = {p.room_id for p in subjects if p.room_id}
    checks = defaultdict(dict)
    for room_id, date, user_id, checked_at in NightCheck.objects.filter(
        room_id__in=rooms, date__gte=first, date__lte=last
    ).values_list("room_id", "date", "checked_by_id", "checked_at"):
        checks[room_id][date] = (user_id, checked_at)
    users = _user_ids(subjects)
    result = {}
    for post in subjects:
        window = windows[post.pk]
        if window is None or not post.room_id:
            result[post.pk] = (0, None, "任期不在本学期")
            continue
        expected_nights = on_time = late = 0
        day, end = max(window[0], began), min(window[1], last_night)
        while day <= end:
            if not any(h_start <= day <= h_end for h_start, h_end in holidays):
                expected_nights += 1
                found = checks[post.room_id].get(day)
                if found and found[0] == users.get(post.pk):
                    if found[1] <= settings.flag_moment(day):
                        on_time += 1
                    else:
                        late += 1
            day += dt.timedelta(days=1)
        if not expected_nights:
            result[post.pk] = (0, None, "尚无应查的夜晚")
            continue
        result[post.pk] = (
            on_time,
            100 * on_time / expected_nights,
            f"按时 {on_time}/{expected_nights} 晚，迟交 {late} 晚",
        )
    return result


def room_inspections(*, semester, subjects):
    """寝室检查: the safety and hygiene inspections of the worker's room in the term — how
    many, their mean hygiene score (the figure's score), and the findings fixed."""
    from campusgrid.ledgers.models import Finding, FindingState, Inspection

    windows, first, last = term_windows(subjects, semester)
    if first is None:
        return {}
    rooms = {p.room_id for p in subjects if p.room_id}
    rows = defaultdict(list)
    for room_id, date, score in Inspection.objects.filter(
        room_id__in=rooms, round__date__gte=first, round__date__lte=last, inspected_at__isnull=False
    ).values_list("room_id", "round__date", "hygiene_score"):
        rows[room_id].append((date, score))
    findings = defaultdict(list)
    for room_id, date, state in Finding.objects.filter(
        inspection__room_id__in=rooms, inspection__round__date__gte=first, inspection__round__date__lte=last
    ).values_list("inspection__room_id", "inspection__round__date", "state"):
        findings[room_id].append((date, state))
    result = {}
    for post in subjects:
        window = windows[post.pk]
        if window is None or not post.room_id:
            result[post.pk] = (0, None, "任期不在本学期")
            continue
        inside = [s for d, s in rows[post.room_id] if window[0] <= d <= window[1]]
        found = [st for d, st in findings[post.room_id] if window[0] <= d <= window[1]]
        fixed = sum(1 for st in found if st == FindingState.FIXED)
        scores = [s for s in inside if s is not None]
        if not inside:
            result[post.pk] = (0, None, "本学期无检查")
            continue
        mean = sum(scores) / len(scores) if scores else None
        result[post.pk] = (
            len(inside),
            mean,
            f"检查 {len(inside)} 次，平均卫生分 {mean:.1f}，隐患 {len(found)} 处（已整改 {fixed}）"
            if mean is not None
            else f"检查 {len(inside)} 次，隐患 {len(found)} 处（已整改 {fixed}）",
        )
    return result


# --- reports: filed and how they ended, handled within the deadline, feedback confirmed ---------


def _filed(subjects, semester):
    from campusgrid.reports.models import Report

    windows, first, last = term_windows(subjects, semester)
    users = _user_ids(subjects)
    if first is None or not users:
        return windows, users, []
    rows = list(
        Report.objects.filter(
            reporter_id__in=set(users.values()),
            created_at__gte=_moment(first),
            created_at__lte=_moment(last, True),
        ).values_list("id", "reporter_id", "created_at", "state")
    )
    return windows, users, rows


def _inside(window, moment) -> bool:
    return window is not None and window[0] <= _local_date(moment) <= window[1]


def reports_filed(*, semester, subjects):
    """上报问题: the reports the worker filed in the term and how they ended (办结, 处理中,
    撤销). A quiet term is no fault (a room without problems has nothing to report): the score
    starts at 60 and reaches 100 at the configured number a semester (withdrawn ones not counted)."""
    from campusgrid.reports.models import State

    from ..models import AppraisalSettings

    target = max(AppraisalSettings.get().reports_target, 1)
    windows, users, rows = _filed(subjects, semester)
    result = {}
    for post in subjects:
        mine = [r for r in rows if r[1] == users.get(post.pk) and _inside(windows[post.pk], r[2])]
        closed = sum(1 for r in mine if r[3] == State.CLOSED)
        withdrawn = sum(1 for r in mine if r[3] == State.WITHDRAWN)
        counted = len(mine) - withdrawn
        result[post.pk] = (
            len(mine),
            60 + 40 * min(counted / target, 1.0),
            f"共 {len(mine)} 件：办结 {closed}、处理中 {len(mine) - closed - withdrawn}、撤销 {withdrawn}",
        )
    return result


def reports_in_time(*, semester, subjects):
    """按时处理: of the reports the worker (level 2) marked handled in the term, those handled
    before their deadline to handle."""
    from campusgrid.reports.models import ReportEvent

    windows, first, last = term_windows(subjects, semester)
    users = _user_ids(subjects)
    if first is None or not users:
        return {}
    rows = list(
        ReportEvent.objects.filter(
            actor_id__in=set(users.values()),
            action="handle",
            at__gte=_moment(first),
            at__lte=_moment(last, True),
        ).values_list("actor_id", "at", "report__handle_due")
    )
    result = {}
    for post in subjects:
        mine = [r for r in rows if r[0] == users.get(post.pk) and _inside(windows[post.pk], r[1])]
        if not mine:
            result[post.pk] = (0, None, "本学期未处理上报")
            continue
        in_time = sum(1 for _, at, due in mine if due is None or at <= due)
        result[post.pk] = (in_time, 100 * in_time / len(mine), f"按时 {in_time}/{len(mine)} 件")
    return result


def feedback_confirmed(*, semester, subjects):
    """确认反馈: of the worker's reports in the term that were fed back to them, those whose
    outcome they confirmed (信息反馈 closes the loop only when the reporter confirms)."""
    from campusgrid.reports.models import ReportEvent, State

    windows, users, rows = _filed(subjects, semester)
    ids = [r[0] for r in rows]
    fed = set()
    confirmed = set()
    if ids:
        for report_id, action, actor_id, reporter_id in ReportEvent.objects.filter(
            Q(to_state=State.FED_BACK) | Q(action="confirm"), report_id__in=ids
        ).values_list("report_id", "action", "actor_id", "report__reporter_id"):
            if action == "confirm" and actor_id == reporter_id:
                confirmed.add(report_id)
            else:
                fed.add(report_id)
    result = {}
    for post in subjects:
        mine = {r[0] for r in rows if r[1] == users.get(post.pk) and _inside(windows[post.pk], r[2])}
        asked = mine & (fed | confirmed)
        if not asked:
            result[post.pk] = (0, None, "无待确认的反馈")
            continue
        done = len(mine & confirmed)
        result[post.pk] = (done, 100 * done / len(asked), f"已确认 {done}/{len(asked)} 件")
    return result


# --- classes: the record of their students -------------------------------------------------------


def _semester_range(semester) -> tuple[dt.date, dt.date]:
    return semester.start, min(semester.end, clock.today())


def _enrolled(classes) -> dict[int, int]:
    from campusgrid.people.models import Student, StudentStatus

    return dict(
        Student.objects.filter(school_class__in=classes, status=StudentStatus.ENROLLED)
        .values("school_class_id")
        .annotate(n=Count("id"))
        .values_list("school_class_id", "n")
    )


def _night_counts(classes, semester) -> dict[int, dict]:
    from campusgrid.ledgers.models import NightCheckEntry

    first, last = _semester_range(semester)
    counts: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    for class_id, status, n in (
        NightCheckEntry.objects.filter(student__school_class__in=classes, date__gte=first, date__lte=last)
        .values("student__school_class_id", "status")
        .annotate(n=Count("id"))
        .values_list("student__school_class_id", "status", "n")
    ):
        counts[class_id][status] = n
    return counts


def _per_class_nights(subjects, semester, figure) -> dict:
    """Each class's figure from its night-check lines of the semester (`figure(counts by
    status, total)`); a class with none is not scored."""
    counts = _night_counts(subjects, semester)
    result = {}
    for c in subjects:
        row = counts.get(c.pk, {})
        total = sum(row.values())
        result[c.pk] = figure(row, total) if total else (0, None, "本学期无查寝记录")
    return result


def class_night_record(*, semester, subjects):
    """查寝在寝率: the share of the class's night-check lines that were 在寝 or 请假 (晚归 half)."""

    def figure(row, total):
        good = row.get("present", 0) + row.get("leave", 0) + 0.5 * row.get("late", 0)
        return (
            round(100 * good / total, 1),
            100 * good / total,
            f"查寝 {total} 人次：在寝 {row.get('present', 0)}、请假 {row.get('leave', 0)}、晚归 {row.get('late', 0)}",
        )

    return _per_class_nights(subjects, semester, figure)


def class_absences(*, semester, subjects):
    """夜不归宿: absences per 100 student-nights checked; each one costs 10 points."""

    def figure(row, total):
        absent = row.get("absent", 0)
        per_100 = 100 * absent / total
        return (absent, max(0.0, 100 - 10 * per_100), f"未归 {absent} 人次（每百人夜 {per_100:.2f}）")

    return _per_class_nights(subjects, semester, figure)


def class_reports(*, semester, subjects):
    """问题上报: reports about the class in the semester per 10 students (each costs 10 points),
    and how they ended."""
    from campusgrid.reports.models import Report, State

    first, last = _semester_range(semester)
    sizes = _enrolled(subjects)
    counts: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    for class_id, state, n in (
        Report.classes.through.objects.filter(
            schoolclass__in=subjects,
            report__created_at__gte=_moment(first),
            report__created_at__lte=_moment(last, True),
        )
        .exclude(report__state=State.WITHDRAWN)
        .values("schoolclass_id", "report__state")
        .annotate(n=Count("id"))
        .values_list("schoolclass_id", "report__state", "n")
    ):
        counts[class_id][state] = n
    result = {}
    for c in subjects:
        row = counts.get(c.pk, {})
        total = sum(row.values())
        size = sizes.get(c.pk, 0)
        if not size:
            result[c.pk] = (total, None, "班级无在校学生")
            continue
        per_10 = 10 * total / size
        closed = row.get(State.CLOSED, 0)
        result[c.pk] = (
            total,
            max(0.0, 100 - 10 * per_10),
            f"上报 {total} 件（每十人 {per_10:.1f}），办结 {closed}、未结 {total - closed}",
        )
    return result


def class_room_ratings(*, semester, subjects):
    """寝室评比: the mean semester rating score of the rooms the class's students live in
    (each student counts their room once)."""
    from campusgrid.ledgers.models import RoomRating
    from campusgrid.people.models import Student, StudentStatus

    scores = dict(RoomRating.objects.filter(semester=semester).values_list("room_id", "average_score"))
    per_class = defaultdict(list)
    civil = defaultdict(int)
    civil_rooms = set(
        RoomRating.objects.filter(semester=semester, civil=True).values_list("room_id", flat=True)
    )
    for class_id, room_id in Student.objects.filter(
        school_class__in=subjects, status=StudentStatus.ENROLLED, bed__isnull=False
    ).values_list("school_class_id", "bed__room_id"):
        if room_id in scores:
            per_class[class_id].append(float(scores[room_id]))
            civil[class_id] += room_id in civil_rooms
    result = {}
    for c in subjects:
        values = per_class.get(c.pk)
        if not values:
            result[c.pk] = (0, None, "本学期无寝室评比")
            continue
        mean = sum(values) / len(values)
        result[c.pk] = (round(mean, 1), mean, f"所住寝室平均 {mean:.1f} 分，{civil[c.pk]} 人住文明宿舍")
    return result


STUDY_REASON = "学业困难"


def class_study(*, semester, subjects):
    """学业: study-related key students (reason 学业困难, on the list now) and early warnings
    proposing that reason in the semester, as a share of the class; counts only, no names."""
    from campusgrid.dossiers.models import KeyStudent, WarningProposal

    first, last = _semester_range(semester)
    sizes = _enrolled(subjects)
    key = dict(
        KeyStudent.objects.filter(student__school_class__in=subjects, active=True, reasons__name=STUDY_REASON)
        .values("student__school_class_id")
        .annotate(n=Count("student_id", distinct=True))
        .values_list("student__school_class_id", "n")
    )
    warned = dict(
        WarningProposal.objects.filter(
            student__school_class__in=subjects,
            rule__suggested_reason__name=STUDY_REASON,
            created_at__gte=_moment(first),
            created_at__lte=_moment(last, True),
        )
        .values("student__school_class_id")
        .annotate(n=Count("student_id", distinct=True))
        .values_list("student__school_class_id", "n")
    )
    result = {}
    for c in subjects:
        size = sizes.get(c.pk, 0)
        if not size:
            result[c.pk] = (0, None, "班级无在校学生")
            continue
        k, w = key.get(c.pk, 0), warned.get(c.pk, 0)
        share = (k + w) / size
        result[c.pk] = (k + w, max(0.0, 100 - 500 * share), f"学业重点学生 {k} 人，学业预警 {w} 人")
    return result


COMPUTES = {
    "night_on_time": night_on_time,
    "reports_filed": reports_filed,
    "reports_in_time": reports_in_time,
    "room_inspections": room_inspections,
    "feedback_confirmed": feedback_confirmed,
    "class_night_record": class_night_record,
    "class_absences": class_absences,
    "class_reports": class_reports,
    "class_room_ratings": class_room_ratings,
    "class_study": class_study,
}


def register() -> None:
    """The figures from reports, ledgers and dossiers (the apps below dashboards)."""
    for order, item in enumerate(EXPECTED):
        compute = COMPUTES.get(item.key)
        if compute is not None:
            register_semester_metric(
                SemesterMetric(item.key, item.label, item.subject, compute, kinds=item.kinds, order=order)
            )
