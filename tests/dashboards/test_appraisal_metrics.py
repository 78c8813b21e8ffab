"""Every computed figure of the appraisal against hand-built records (issue 15 item 2)."""

import datetime as dt

import pytest

from campusgrid.dashboards.appraisal import metrics
from campusgrid.grid.models import PostKind
from campusgrid.ledgers.models import Inspection, InspectionRound, NightCheck
from campusgrid.reports.models import State
from tests.ledgers import conftest as ledger_fixtures

from .appraisal_records import at, event, fresh_settings, post_of, report  # noqa: F401

term = ledger_fixtures.term  # the semester 2025-2026 first term, with its holidays

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_settings", "apps_above_unregistered")]

SEPT = dt.date(2025, 9, 1)


@pytest.fixture
def now(travel, term):
    # Noon on 10 September: the nights of 1–9 September have passed their flag time (23:00).
    return travel(at(dt.date(2025, 9, 10), 12))


def figures(semester, post):
    return metrics.compute_all(metrics.WORKER, semester=semester, subjects=[post])[post.pk]


def check(world, day, who, hour, minute=0):
    return NightCheck.objects.create(
        room=world.room_a1,
        date=day,
        checked_by=who.user,
        checked_by_name=who.name,
        checked_at=at(day, hour, minute),
    )


def test_night_checks_on_time_count_only_the_dorm_heads_checks_before_the_flag_time(world, term, now):
    check(world, SEPT, world.dorm_head, 21, 30)  # on time
    check(world, SEPT + dt.timedelta(days=1), world.dorm_head, 23, 30)  # after 23:00: late
    check(world, SEPT + dt.timedelta(days=2), world.counselor, 21, 40)  # someone else checked
    check(world, SEPT + dt.timedelta(days=3), world.dorm_head, 22, 0)  # on time
    check(world, SEPT + dt.timedelta(days=9), world.dorm_head, 21, 0)  # tonight: not yet due
    figure = figures(term["semester"], post_of(world.dorm_head, PostKind.DORM_HEAD))["night_on_time"]
    assert figure["value"] == 2
    assert figure["score"] == round(100 * 2 / 9, 2)
    assert figure["detail"] == "按时 2/9 晚，迟交 1 晚"


def test_night_checks_leave_out_holidays(world, term, travel):
    travel(at(dt.date(2025, 10, 9), 12))  # 1 Sep – 8 Oct: 38 nights, 7 of them 国庆节
    check(world, SEPT, world.counselor, 21)  # the ledger began on 1 Sep (not the dorm head's check)
    figure = figures(term["semester"], post_of(world.dorm_head, PostKind.DORM_HEAD))["night_on_time"]
    assert figure["detail"] == "按时 0/31 晚，迟交 0 晚"
    assert figure["score"] == 0


def test_night_checks_count_from_the_first_night_the_ledger_recorded(world, term, now):
    figure = figures(term["semester"], post_of(world.dorm_head, PostKind.DORM_HEAD))["night_on_time"]
    assert figure["score"] is None and figure["detail"] == "本学期查寝台账尚未启用"
    check(world, SEPT + dt.timedelta(days=5), world.dorm_head, 21)  # the ledger began on 6 Sep
    figure = figures(term["semester"], post_of(world.dorm_head, PostKind.DORM_HEAD))["night_on_time"]
    assert figure["detail"] == "按时 1/4 晚，迟交 0 晚"


def test_night_checks_apply_to_dorm_heads_only(world, term, now):
    assert "night_on_time" not in figures(term["semester"], post_of(world.monitor, PostKind.MONITOR))


def test_reports_filed_and_how_they_ended(world, term, now):
    report(world, world.dorm_head, state=State.CLOSED)
    report(world, world.dorm_head, state=State.ACCEPTED)
    report(world, world.dorm_head, state=State.WITHDRAWN)
    report(
        world, world.dorm_head, state=State.CLOSED, created=at(dt.date(2025, 8, 20), 10)
    )  # before the term
    report(world, world.student, state=State.CLOSED)  # somebody else's
    figure = figures(term["semester"], post_of(world.dorm_head, PostKind.DORM_HEAD))["reports_filed"]
    assert figure["value"] == 3
    assert figure["detail"] == "共 3 件：办结 1、处理中 1、撤销 1"
    assert figure["score"] == 100.0  # 2 counted (the withdrawn one not) reach the target of 2


def test_reports_filed_score_scales_to_the_target(world, term, now):
    from campusgrid.dashboards.models import AppraisalSettings

    AppraisalSettings.objects.create(pk=1, reports_target=4)
    report(world, world.dorm_head, state=State.CLOSED)
    figure = figures(term["semester"], post_of(world.dorm_head, PostKind.DORM_HEAD))["reports_filed"]
    assert figure["score"] == 70.0  # 60 + 40 × 1/4


def test_reports_handled_within_their_deadline(world, term, now):
    due = at(dt.date(2025, 9, 6), 10)
    for handled_at in (at(dt.date(2025, 9, 5), 12), at(dt.date(2025, 9, 6), 9), at(dt.date(2025, 9, 7), 9)):
        row = report(world, world.dorm_head, state=State.HANDLED, handle_due=due)
        event(row, world.monitor, "handle", at_=handled_at, to_state=State.HANDLED)
    figure = figures(term["semester"], post_of(world.monitor, PostKind.MONITOR))["reports_in_time"]
    assert figure["value"] == 2
    assert figure["score"] == round(100 * 2 / 3, 2)
    assert figure["detail"] == "按时 2/3 件"
    assert "reports_in_time" not in figures(term["semester"], post_of(world.dorm_head, PostKind.DORM_HEAD))


def test_reports_in_time_without_any_handled_is_not_scored(world, term, now):
    figure = figures(term["semester"], post_of(world.monitor, PostKind.MONITOR))["reports_in_time"]
    assert figure["score"] is None


def test_room_inspections_mean_hygiene_score(world, term, now):
    for day, score in ((dt.date(2025, 9, 3), 80), (dt.date(2025, 9, 8), 90)):
        round_ = InspectionRound.objects.create(title=f"检查{day}", date=day, semester=term["semester"])
        Inspection.objects.create(
            round=round_, room=world.room_a1, state="done", inspected_at=at(day, 15), hygiene_score=score
        )
    round_ = InspectionRound.objects.create(
        title="未检查", date=dt.date(2025, 9, 9), semester=term["semester"]
    )
    Inspection.objects.create(round=round_, room=world.room_a1)  # not inspected yet
    for who, kind in ((world.dorm_head, PostKind.DORM_HEAD), (world.activist, PostKind.ACTIVIST)):
        figure = figures(term["semester"], post_of(who, kind))["room_inspections"]
        assert figure["value"] == 2
        assert figure["score"] == 85.0
        assert figure["detail"] == "检查 2 次，平均卫生分 85.0，隐患 0 处（已整改 0）"


def test_feedback_confirmed_by_the_reporter(world, term, now):
    one = report(world, world.dorm_head, state=State.CLOSED)
    event(one, world.counselor, "feedback", at_=at(dt.date(2025, 9, 6), 9), to_state=State.FED_BACK)
    event(one, world.dorm_head, "confirm", at_=at(dt.date(2025, 9, 6), 20), to_state=State.CLOSED)
    two = report(world, world.dorm_head, state=State.FED_BACK)
    event(two, world.counselor, "feedback", at_=at(dt.date(2025, 9, 7), 9), to_state=State.FED_BACK)
    report(world, world.dorm_head, state=State.ACCEPTED)  # not fed back yet: not asked
    figure = figures(term["semester"], post_of(world.dorm_head, PostKind.DORM_HEAD))["feedback_confirmed"]
    assert figure["value"] == 1
    assert figure["score"] == 50.0
    assert figure["detail"] == "已确认 1/2 件"


def test_service_figures_are_not_enabled_and_never_zero(world, term, now):
    result = figures(term["semester"], post_of(world.dorm_head, PostKind.DORM_HEAD))
    for key in ("service.training", "service.opinion", "service.hours"):
        assert key in result and result[key] is None
    assert metrics.weighted_score({"a": None, "b": {"score": 80.0}}, lambda key: 1) == 80.0


def test_a_registered_source_turns_a_figure_on(world, term, now):
    from campusgrid.core import registry

    def hours(*, semester, subjects):
        return {p.pk: (12, 60.0, "服务 12 小时") for p in subjects}

    metric = registry.SemesterMetric(
        "service.hours", "服务时长", "worker", hours, kinds=metrics.ALL_STUDENT_POSTS
    )
    registry.register_semester_metric(metric)
    try:
        result = figures(term["semester"], post_of(world.dorm_head, PostKind.DORM_HEAD))
        assert result["service.hours"] == {"value": 12, "score": 60.0, "detail": "服务 12 小时"}
    finally:
        registry.SEMESTER_METRICS.remove(metric)


def test_figures_are_computed_for_many_workers_in_constant_queries(
    world, term, now, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from campusgrid.grid.models import Post

    posts = list(Post.objects.filter(kind__in=metrics.ALL_STUDENT_POSTS).select_related("student", "room"))
    one_of_each = list({p.kind: p for p in posts}.values())
    assert len(posts) > len(one_of_each)
    with CaptureQueriesContext(connection) as few:
        metrics.compute_all(metrics.WORKER, semester=term["semester"], subjects=one_of_each)
    with django_assert_max_num_queries(len(few.captured_queries)):
        metrics.compute_all(metrics.WORKER, semester=term["semester"], subjects=posts)
