"""The service app's appraisal figures (service/metrics.py) against hand-built records: training,
舆情 reports on time, volunteer hours net of corrections, a class's hours; the term window, the
registration that turns the 未启用 off, and queries constant in the number of workers."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campusgrid.core import registry
from campusgrid.dashboards.appraisal import metrics as appraisal_metrics
from campusgrid.grid.models import Post, PostKind
from campusgrid.org.models import Semester
from campusgrid.people.models import Student, StudentStatus
from campusgrid.service import metrics
from campusgrid.service.models import (
    Attendance,
    Cadence,
    HoursCredit,
    OpinionReport,
    Session,
    SpecialPeriod,
    TrainingRequirement,
)

pytestmark = pytest.mark.django_db


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def semester(db):
    return Semester.objects.create(
        name="2025-2026学年第一学期", start=dt.date(2025, 9, 1), end=dt.date(2026, 1, 17)
    )


@pytest.fixture
def now(travel, semester):
    return travel(at(dt.date(2025, 11, 1), 12))


def post_of(student, kind):
    return Post.objects.select_related("student__user").get(student=student, kind=kind, end_date__isnull=True)


def session(world, kind, day, *, topic="", hours=0, semester=None):
    return Session.objects.create(
        kind=kind,
        title=f"{topic or kind} {day}",
        topic=topic,
        college=world.college_a,
        organiser=world.counselor.user,
        starts_at=at(day, 14),
        ends_at=at(day, 16),
        hours=hours,
        semester=semester,
    )


def attend(s, student, status="present"):
    return Attendance.objects.create(session=s, student=student, status=status)


def credit(s, student, hours, *, semester, corrects=None, reason=""):
    return HoursCredit.objects.create(
        session=s,
        student=student,
        kind="volunteer" if s.kind == "volunteer" else "study",
        hours=Decimal(hours),
        correction=corrects is not None,
        corrects=corrects,
        reason=reason,
        semester=semester,
    )


# --- the window ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "today", "window"),
    [
        (dt.date(2025, 9, 1), None, dt.date(2025, 11, 1), (dt.date(2025, 9, 1), dt.date(2025, 11, 1))),
        (
            dt.date(2025, 6, 1),
            dt.date(2025, 10, 8),
            dt.date(2025, 11, 1),
            (dt.date(2025, 9, 1), dt.date(2025, 10, 7)),
        ),
        (
            dt.date(2025, 10, 8),
            dt.date(2025, 10, 8),
            dt.date(2025, 11, 1),
            (dt.date(2025, 10, 8), dt.date(2025, 10, 8)),
        ),
        (dt.date(2025, 12, 1), None, dt.date(2025, 11, 1), None),  # begins after today: no window
        (dt.date(2025, 3, 1), dt.date(2025, 9, 1), dt.date(2026, 3, 1), None),  # ended on the first day
    ],
)
def test_the_term_window_is_one_rule_for_the_appraisal_and_the_metrics(
    world, semester, travel, start, end, today, window
):
    """One rule (grid's Post.term_window), which both the appraisal and these metrics call."""
    travel(at(today, 12))
    post = Post(kind=PostKind.DORM_HEAD, start_date=start, end_date=end)
    assert post.term_window(semester) == window


def test_the_window_of_an_ended_post(world, semester, now):
    post = Post(kind=PostKind.DORM_HEAD, start_date=dt.date(2025, 6, 1), end_date=dt.date(2025, 10, 8))
    assert post.term_window(semester) == (dt.date(2025, 9, 1), dt.date(2025, 10, 7))


# --- training ------------------------------------------------------------------------------------


def test_training_attended_in_the_term_and_requirements_met(world, semester, now):
    TrainingRequirement.objects.create(post_kind="dorm_head", topic="舍长岗前培训", within_days=30)
    # Not due before 2026: neither met nor counted against.
    TrainingRequirement.objects.create(post_kind="dorm_head", topic="心理危机识别讲座", within_days=200)
    TrainingRequirement.objects.create(post_kind="monitor", topic="网格员业务培训", within_days=30)
    attend(session(world, "training", dt.date(2025, 9, 10), topic="舍长岗前培训"), world.dorm_head)
    attend(
        session(world, "training", dt.date(2025, 9, 20), topic="网格员业务培训"), world.dorm_head, "absent"
    )
    attend(session(world, "training", dt.date(2025, 10, 15), topic="网格员业务培训"), world.dorm_head, "late")
    attend(
        session(world, "training", dt.date(2025, 11, 20), topic="网格员业务培训"), world.dorm_head
    )  # future
    attend(
        session(world, "education", dt.date(2025, 9, 12), topic="安全教育"), world.dorm_head
    )  # not training
    attend(
        session(world, "training", dt.date(2025, 9, 12), topic="舍长岗前培训"), world.monitor
    )  # other topic
    head, monitor = post_of(world.dorm_head, "dorm_head"), post_of(world.monitor, "monitor")
    result = metrics.training(semester=semester, subjects=[head, monitor])
    assert result[head.pk] == (2, 100.0, "参加培训 2 次，完成培训要求 1/1")
    assert result[monitor.pk] == (1, 0.0, "参加培训 1 次，完成培训要求 0/1（未完成：网格员业务培训）")


def test_training_without_a_requirement_has_no_score(world, semester, now):
    head = post_of(world.dorm_head, "dorm_head")
    attend(session(world, "training", dt.date(2025, 9, 10), topic="舍长岗前培训"), world.dorm_head)
    assert metrics.training(semester=semester, subjects=[head])[head.pk] == (
        1,
        None,
        "参加培训 1 次，本职务无培训要求",
    )


def test_training_before_the_post_counts_within_its_days(world, semester, now):
    TrainingRequirement.objects.create(
        post_kind="dorm_head", topic="舍长岗前培训", within_days=30, counts_before_days=10
    )
    head = post_of(world.dorm_head, "dorm_head")  # since 2025-09-01
    attend(session(world, "training", dt.date(2025, 8, 25), topic="舍长岗前培训"), world.dorm_head)
    assert metrics.training(semester=semester, subjects=[head])[head.pk][1:] == (
        100.0,
        "参加培训 0 次，完成培训要求 1/1",
    )


# --- 舆情 ------------------------------------------------------------------------------------------


def opinion(world, student, cadence, start, submitted, college=None):
    return OpinionReport.objects.create(
        reporter=student.user,
        reporter_name=student.name,
        cadence=cadence,
        period_start=start,
        college=college or world.college_a,
        nothing_to_report=True,
        submitted_at=submitted,
    )


def test_opinion_reports_weekly_and_daily_on_time(world, semester, travel):
    travel(at(dt.date(2025, 9, 17), 12))  # a Wednesday
    SpecialPeriod.objects.create(
        college=world.college_a,
        kind="key_date",
        name="开学季",
        start=dt.date(2025, 9, 15),
        end=dt.date(2025, 9, 16),
        due_time=dt.time(20, 0),
    )
    opinion(
        world, world.dorm_head, Cadence.WEEKLY, dt.date(2025, 9, 1), at(dt.date(2025, 9, 5), 10)
    )  # on time
    opinion(world, world.dorm_head, Cadence.WEEKLY, dt.date(2025, 9, 8), at(dt.date(2025, 9, 15), 10))  # late
    opinion(
        world, world.dorm_head, Cadence.DAILY, dt.date(2025, 9, 15), at(dt.date(2025, 9, 15), 19)
    )  # on time
    # 09-16's daily report is missing; the week of 09-15 is not over.
    opinion(world, world.monitor, Cadence.WEEKLY, dt.date(2025, 9, 1), at(dt.date(2025, 9, 7), 23, 59))
    head, monitor = post_of(world.dorm_head, "dorm_head"), post_of(world.monitor, "monitor")
    result = metrics.opinion(semester=semester, subjects=[head, monitor])
    assert result[head.pk] == (2, 50.0, "按时报送 2/4 期，迟报 1 期，未报 1 期")
    assert result[monitor.pk] == (1, 25.0, "按时报送 1/4 期，迟报 0 期，未报 3 期")


def test_opinion_counts_from_the_college_s_first_report_of_the_semester(world, semester, travel):
    travel(at(dt.date(2025, 9, 29), 12))  # Sundays 09-07 … 09-28 have passed
    opinion(world, world.monitor, Cadence.WEEKLY, dt.date(2025, 9, 15), at(dt.date(2025, 9, 16), 9))
    head, monitor = post_of(world.dorm_head, "dorm_head"), post_of(world.monitor, "monitor")
    result = metrics.opinion(semester=semester, subjects=[head, monitor])
    # The college began with the week of 09-15: the two weeks before are nobody's fault.
    assert result[monitor.pk] == (1, 50.0, "按时报送 1/2 期，迟报 0 期，未报 1 期")
    assert result[head.pk] == (0, 0.0, "按时报送 0/2 期，迟报 0 期，未报 2 期")


def test_opinion_before_the_college_reports_at_all_has_no_score(world, semester, now):
    head = post_of(world.dorm_head, "dorm_head")
    opinion(
        world,
        world.dorm_head_b,
        Cadence.WEEKLY,
        dt.date(2025, 9, 15),
        at(dt.date(2025, 9, 16), 9),
        college=world.college_b,
    )  # another college's report does not start college A's
    assert metrics.opinion(semester=semester, subjects=[head])[head.pk] == (0, None, "本学期舆情报告尚未启用")


def test_opinion_for_a_post_that_does_not_report(world, semester, now):
    from campusgrid.service.models import OpinionSettings

    OpinionSettings.objects.create(pk=1, reporter_kinds="monitor")
    head = post_of(world.dorm_head, "dorm_head")
    assert metrics.opinion(semester=semester, subjects=[head])[head.pk] == (0, None, "该职务无须报送舆情")


# --- hours -----------------------------------------------------------------------------------------


def test_hours_net_of_corrections_in_the_term(world, semester, now):
    served = session(world, "volunteer", dt.date(2025, 9, 10), topic="迎新", hours=4, semester=semester)
    original = credit(served, world.dorm_head, "4", semester=semester)
    credit(served, world.dorm_head, "-1", semester=semester, corrects=original, reason="提前离开")
    other = session(world, "volunteer", dt.date(2025, 10, 20), topic="义卖", hours=2, semester=semester)
    credit(other, world.dorm_head, "2.5", semester=semester)
    summer = session(world, "volunteer", dt.date(2025, 7, 20), topic="暑期", hours=8)
    credit(summer, world.dorm_head, "8", semester=None)  # before the semester
    study = session(world, "education", dt.date(2025, 9, 12), topic="安全教育", hours=1, semester=semester)
    credit(study, world.dorm_head, "1", semester=semester)  # 学时, not volunteer hours
    head, monitor = post_of(world.dorm_head, "dorm_head"), post_of(world.monitor, "monitor")
    result = metrics.hours(semester=semester, subjects=[head, monitor])
    assert result[head.pk] == (5.5, 82.0, "志愿服务 5.5 小时（2 次活动）")  # 60 + 40 × 5.5/10
    assert result[monitor.pk] == (0.0, 60.0, "志愿服务 0 小时（0 次活动）")


def test_a_class_s_hours_and_their_mean(world, semester, now):
    served = session(world, "volunteer", dt.date(2025, 9, 10), topic="迎新", hours=4, semester=semester)
    original = credit(served, world.dorm_head, "4", semester=semester)
    credit(served, world.dorm_head, "-1", semester=semester, corrects=original, reason="提前离开")
    credit(served, world.monitor, "4", semester=semester)
    credit(served, world.mixed_a2, "4", semester=semester)  # class A2
    enrolled = Student.objects.filter(school_class=world.class_a1, status=StudentStatus.ENROLLED).count()
    result = metrics.class_hours(semester=semester, subjects=[world.class_a1])
    mean = Decimal(7) / enrolled
    assert result[world.class_a1.pk] == (
        7.0,
        float(60 + 40 * min(mean / 10, 1)),
        f"志愿服务 7 小时，2 人有时长，人均 {mean:.1f} 小时",
    )


# --- wiring ------------------------------------------------------------------------------------


def test_the_service_figures_are_registered_and_enabled():
    for key, subject in [
        ("service.training", "worker"),
        ("service.opinion", "worker"),
        ("service.hours", "worker"),
        ("service.class_hours", "class"),
    ]:
        metric = registry.semester_metric(key)
        assert metric is not None and metric.subject == subject and appraisal_metrics.enabled(key)


def test_the_appraisal_shows_the_service_figures(world, semester, now):
    served = session(world, "volunteer", dt.date(2025, 9, 10), topic="迎新", hours=4, semester=semester)
    credit(served, world.dorm_head, "4", semester=semester)
    head = post_of(world.dorm_head, "dorm_head")
    figures = appraisal_metrics.compute_all("worker", semester=semester, subjects=[head])[head.pk]
    assert figures["service.hours"] == {"value": 4.0, "score": 76.0, "detail": "志愿服务 4 小时（1 次活动）"}
    assert figures["service.training"]["detail"] == "参加培训 0 次，本职务无培训要求"


@pytest.mark.parametrize("compute", [metrics.training, metrics.opinion, metrics.hours])
def test_worker_figures_take_constant_queries(world, semester, now, compute):
    TrainingRequirement.objects.create(post_kind="dorm_head", topic="舍长岗前培训", within_days=30)
    posts = list(
        Post.objects.filter(student__isnull=False, end_date__isnull=True).select_related("student__user")
    )
    assert len(posts) > 3
    with CaptureQueriesContext(connection) as one:
        compute(semester=semester, subjects=posts[:1])
    with CaptureQueriesContext(connection) as many:
        compute(semester=semester, subjects=posts)
    assert len(one) == len(many)


def test_class_hours_take_constant_queries(world, semester, now):
    with CaptureQueriesContext(connection) as one:
        metrics.class_hours(semester=semester, subjects=[world.class_a1])
    with CaptureQueriesContext(connection) as many:
        metrics.class_hours(semester=semester, subjects=[world.class_a1, world.class_a2, world.class_b1])
    assert len(one) == len(many) == 2
