"""Each warning fires exactly when it should (the day after its limit, not before) and `tick`
sends it once; the pipeline moves political status, grid eligibility and coverage at once."""

import datetime as dt

import pytest

from campusgrid.core import clock
from campusgrid.grid import coverage, eligibility
from campusgrid.grid.models import PostKind
from campusgrid.notifications.models import Notification
from campusgrid.party import services
from campusgrid.party.models import DevelopmentFile, Mentor, Step
from campusgrid.party.selectors import pipeline as sel
from campusgrid.people.models import PoliticalStatus, Student

pytestmark = pytest.mark.django_db

D = dt.date


def make_file(world, steps, *, student=None, version="2026"):
    student = student or world.student
    applied = steps[0][1]
    f = DevelopmentFile.objects.create(
        student=student,
        branch=world.branch,
        college=world.college_a,
        rule_version=version,
        applied_on=applied,
    )
    for code, on, *data in steps:
        Step.objects.create(file=f, code=code, on=on, data=data[0] if data else {})
    return f


def codes(f, day):
    clock.set_now(dt.datetime(day.year, day.month, day.day, 9))
    try:
        file = sel._base().get(pk=f.pk)
        return {w.code for w in sel.file_view(file, holidays=frozenset()).warnings}
    finally:
        clock.set_now(None)


ACTIVIST = [("application", D(2025, 9, 8)), ("talk", D(2025, 9, 20)), ("activist", D(2025, 10, 10))]
CANDIDATE = ACTIVIST + [
    ("publicity", D(2026, 10, 19), {"end": "2026-10-23"}),
    ("candidate", D(2026, 10, 26)),
    ("sponsors", D(2026, 10, 27)),
    ("political_review", D(2026, 10, 28), {"conclusion": "合格"}),
    ("training", D(2026, 10, 29), {"hours": 24}),
    ("pre_review", D(2026, 11, 2)),
]


def test_talk_overdue_fires_the_day_after_the_month_and_tick_sends_it_once(
    world, django_capture_on_commit_callbacks
):
    f = make_file(world, [("application", D(2025, 9, 8))])
    assert "talk_overdue" not in codes(f, D(2025, 10, 8))
    assert "talk_overdue" in codes(f, D(2025, 10, 9))
    now = clock.local(dt.datetime(2025, 10, 9, 9, tzinfo=dt.UTC))
    with clock.frozen_at(now), django_capture_on_commit_callbacks(execute=True):
        assert services.warnings_tick(now) >= 1
        assert services.warnings_tick(now) == 0
    sent = Notification.objects.filter(user=world.branch_secretary.user, title__contains="谈话逾期")
    assert sent.count() == 1


def test_candidate_proposed_too_early(world):
    f = make_file(world, ACTIVIST + [("candidate", D(2026, 9, 10))])
    assert "candidate_early" in codes(f, D(2026, 9, 11))
    g = make_file(world, ACTIVIST + [("candidate", D(2026, 10, 10))], student=world.mixed_a2)
    assert "candidate_early" not in codes(g, D(2026, 10, 11))


def test_publicity_short_of_five_working_days(world):
    f = make_file(world, ACTIVIST + [("publicity", D(2026, 10, 19), {"end": "2026-10-21"})])
    assert "publicity_short" in codes(f, D(2026, 10, 22))
    g = make_file(
        world, ACTIVIST + [("publicity", D(2026, 10, 19), {"end": "2026-10-23"})], student=world.mixed_a2
    )
    assert "publicity_short" not in codes(g, D(2026, 10, 24))
    # The 2014 text has no 公示 rule.
    h = make_file(
        world,
        ACTIVIST + [("publicity", D(2026, 10, 19), {"end": "2026-10-19"})],
        student=world.dorm_head,
        version="2014",
    )
    assert "publicity_short" not in codes(h, D(2026, 10, 24))


def test_training_short_of_24_hours(world):
    f = make_file(world, ACTIVIST + [("training", D(2026, 3, 1), {"hours": 16})])
    assert "training_short" in codes(f, D(2026, 3, 2))
    Step.objects.create(file=f, code="training", on=D(2026, 3, 2), data={"hours": 8})
    assert "training_short" not in codes(f, D(2026, 3, 3))


def test_meeting_overdue_a_month_after_the_pre_review_in_2026_only(world):
    f = make_file(world, CANDIDATE)
    assert "meeting_overdue" not in codes(f, D(2026, 12, 2))
    assert "meeting_overdue" in codes(f, D(2026, 12, 3))
    g = make_file(
        world, [s for s in CANDIDATE if s[0] != "publicity"], student=world.mixed_a2, version="2014"
    )
    assert "meeting_overdue" not in codes(g, D(2027, 3, 1))


def test_approval_overdue_three_months_after_the_meeting(world):
    f = make_file(world, CANDIDATE + [("meeting", D(2026, 11, 20))])
    assert "approval_overdue" not in codes(f, D(2027, 2, 20))
    assert "approval_overdue" in codes(f, D(2027, 2, 21))


def test_probation_ending_reminds_a_month_before_the_end(world):
    f = make_file(
        world,
        CANDIDATE
        + [("meeting", D(2026, 11, 20)), ("probationary", D(2026, 12, 10)), ("oath", D(2026, 12, 15))],
    )
    DevelopmentFile.objects.filter(pk=f.pk).update(stage="probationary")
    assert "probation_ending" not in codes(f, D(2027, 10, 19))
    assert "probation_ending" in codes(f, D(2027, 10, 20))
    Step.objects.create(file=f, code="full_application", on=D(2027, 10, 21))
    assert "probation_ending" not in codes(f, D(2027, 10, 21))


def test_thought_report_missing_after_a_quarter(world):
    f = make_file(world, ACTIVIST)
    DevelopmentFile.objects.filter(pk=f.pk).update(stage="activist")
    assert "report_missing" not in codes(f, D(2026, 1, 10))
    assert "report_missing" in codes(f, D(2026, 1, 11))
    Step.objects.create(file=f, code="report", on=D(2026, 1, 11))
    assert "report_missing" not in codes(f, D(2026, 1, 12))


def test_mentor_no_longer_a_full_member_or_gone(world):
    f = make_file(world, ACTIVIST)
    DevelopmentFile.objects.filter(pk=f.pk).update(stage="activist")
    Step.objects.create(file=f, code="report", on=D(2025, 12, 1))
    Mentor.objects.create(file=f, role="mentor", student=world.small_grid_leader, start=D(2025, 10, 10))
    assert "mentor_invalid" not in codes(f, D(2025, 12, 2))
    Student.objects.filter(pk=world.small_grid_leader.pk).update(status="graduated")
    assert "mentor_invalid" in codes(f, D(2025, 12, 2))


def test_graduating_applicant_is_flagged(world):
    f = make_file(world, [("application", D(2026, 11, 1)), ("talk", D(2026, 11, 2))])
    Student.objects.filter(pk=world.student.pk).update(left_on=D(2027, 1, 15))
    assert "graduating" in codes(f, D(2026, 11, 20))
    Student.objects.filter(pk=world.student.pk).update(left_on=D(2027, 6, 30))
    assert "graduating" not in codes(f, D(2026, 11, 20))


def test_an_activist_who_becomes_a_candidate_keeps_the_micro_grid_and_one_who_drops_out_is_flagged(world):
    """Across apps: people's political status, grid's eligibility and coverage follow the pipeline."""
    activist = world.activist
    Student.objects.filter(pk=activist.pk).update(political_status=PoliticalStatus.LEAGUE_MEMBER)
    f = make_file(
        world,
        [("application", D(2024, 9, 2)), ("talk", D(2024, 9, 10)), ("activist", D(2024, 10, 1))],
        student=activist,
        version="2014",
    )
    DevelopmentFile.objects.filter(pk=f.pk).update(
        stage="activist", status_before=PoliticalStatus.LEAGUE_MEMBER
    )
    Student.objects.filter(pk=activist.pk).update(political_status=PoliticalStatus.ACTIVIST)
    f.refresh_from_db()

    def flagged():
        gaps = coverage.compute(on=clock.today()).gaps
        return [
            g
            for g in gaps
            if g["kind"] == "post_holder_not_eligible" and g.get("student_no") == activist.student_no
        ]

    clock.set_now(dt.datetime(2025, 10, 15, 9))
    try:
        services.step_record(actor=world.branch_secretary.user, file=f, code="candidate", on=D(2025, 10, 10))
        student = Student.objects.get(pk=activist.pk)
        assert student.political_status == PoliticalStatus.CANDIDATE
        assert eligibility.problem_for(PostKind.ACTIVIST, student, world.room_a1) is None
        assert not flagged()
        services.step_record(
            actor=world.branch_secretary.user,
            file=f,
            code="close",
            on=D(2025, 10, 15),
            data={"reason": "本人申请退出"},
        )
        student = Student.objects.get(pk=activist.pk)
        assert student.political_status == PoliticalStatus.LEAGUE_MEMBER
        assert "入党积极分子或以上" in eligibility.problem_for(PostKind.ACTIVIST, student, world.room_a1)
        assert flagged()
    finally:
        clock.set_now(None)
