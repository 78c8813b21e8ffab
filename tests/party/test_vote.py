"""The 支部党员大会 vote (4a): more than half of the members due present, yes votes above
half of those due, absent members' written opinions counted; an outcome the numbers do not
support is refused; the resolution goes into the file."""

import datetime as dt

import pytest

from campusgrid.core.errors import ServiceError
from campusgrid.party import services
from campusgrid.party.models import DevelopmentFile, MeetingPurpose, Step

pytestmark = pytest.mark.django_db

T = {"members_due": 10, "present": 6, "written_opinions": 2, "ballots_issued": 6, "ballots_returned": 6}


def outcome(**changes):
    values = {**T, "yes": 6, "no": 1, "abstain": 1, **changes}
    return services.vote_outcome(**values)


def test_yes_above_half_of_those_due_with_a_quorum_passes():
    assert outcome()[0] is True
    # Written opinions of absent members count: 4 present ballots + 2 written = 6 > 5.
    assert outcome(present=6, ballots_returned=6, yes=6, no=0, abstain=0)[0] is True


def test_too_few_present_cannot_pass_anyone():
    passed, why = outcome(present=5, ballots_issued=5, ballots_returned=5, yes=6, no=0, abstain=1)
    assert passed is False and "未超过应到10人的半数" in why and "实到5人" in why


def test_yes_equal_to_half_of_those_due_does_not_pass():
    passed, why = outcome(yes=5, no=2, abstain=1)
    assert passed is False and "赞成5票" in why


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"present": 11}, "present"),
        ({"written_opinions": 5}, "written_opinions"),
        ({"ballots_issued": 7}, "ballots_issued"),
        ({"ballots_returned": 7, "ballots_issued": 6}, "ballots_returned"),
        ({"yes": 8, "no": 1, "abstain": 0}, "yes"),
        (
            {
                "members_due": 0,
                "present": 0,
                "written_opinions": 0,
                "ballots_issued": 0,
                "ballots_returned": 0,
                "yes": 0,
                "no": 0,
                "abstain": 0,
            },
            "members_due",
        ),
        ({"yes": "6"}, "tallies"),
        ({"yes": -1}, "tallies"),
    ],
)
def test_numbers_that_cannot_be_are_refused(changes, field):
    with pytest.raises(ServiceError) as exc:
        outcome(**changes)
    assert exc.value.field == field


def _candidate_ready(world, today):
    """李四 with a passed 预审, built directly (the walk-through test covers the steps)."""
    f = DevelopmentFile.objects.create(
        student=world.mixed_a2,
        branch=world.branch,
        college=world.college_a,
        rule_version="2026",
        applied_on=today - dt.timedelta(days=800),
        stage="candidate",
    )
    for code, days, data in (
        ("application", 800, {}),
        ("talk", 790, {}),
        ("activist", 700, {}),
        ("publicity", 300, {"end": str(today - dt.timedelta(days=290))}),
        ("candidate", 280, {}),
        ("sponsors", 270, {}),
        ("political_review", 260, {"conclusion": "合格"}),
        ("training", 250, {"hours": 24}),
        ("pre_review", 10, {}),
    ):
        Step.objects.create(file=f, code=code, on=today - dt.timedelta(days=days), data=data)
    return f


MEETING = {"members_due": 5, "present": 3, "written_opinions": 1, "ballots_issued": 3, "ballots_returned": 3}


def _record(world, meeting, f, attended=None, **vote):
    attended = (
        attended if attended is not None else [world.monitor, world.small_grid_leader, world.branch_secretary]
    )
    return services.meeting_record(
        actor=world.branch_secretary.user,
        meeting=meeting,
        held_on=meeting.scheduled_for,
        **MEETING,
        attended=attended,
        votes={f.pk: {"yes": 3, "no": 0, "abstain": 1, "resolution": "同意接收李四为预备党员", **vote}},
    )


def test_a_passed_vote_puts_the_resolution_into_the_file(world):
    from campusgrid.core import clock

    today = clock.today()
    f = _candidate_ready(world, today)
    meeting = services.meeting_schedule(
        actor=world.branch_secretary.user,
        branch=world.branch,
        purpose=MeetingPurpose.ADMISSION,
        scheduled_for=today,
        files=[f],
    )
    _record(world, meeting, f)
    step = Step.objects.get(file=f, code="meeting")
    assert step.note == "同意接收李四为预备党员" and step.data["yes"] == 3 and step.data["members_due"] == 5
    with pytest.raises(ServiceError):  # recorded once
        _record(world, meeting, f)


def test_an_outcome_the_numbers_do_not_support_is_refused_and_nothing_is_written(world):
    from campusgrid.core import clock

    today = clock.today()
    f = _candidate_ready(world, today)
    meeting = services.meeting_schedule(
        actor=world.branch_secretary.user,
        branch=world.branch,
        purpose=MeetingPurpose.ADMISSION,
        scheduled_for=today,
        files=[f],
    )
    with pytest.raises(ServiceError) as exc:
        _record(world, meeting, f, yes=2, no=1, outcome="passed")
    assert "不能记录为“通过”" in exc.value.message
    assert not Step.objects.filter(file=f, code="meeting").exists()
    # Failing numbers record a failed vote and no meeting step.
    _record(world, meeting, f, yes=2, no=1)
    assert not Step.objects.filter(file=f, code="meeting").exists()
    assert meeting.votes.get().passed is False


def test_the_graduation_guard_refuses_the_meeting_of_someone_leaving_within_three_months(world):
    from campusgrid.core import clock
    from campusgrid.people.models import Student

    today = clock.today()
    f = _candidate_ready(world, today)
    Student.objects.filter(pk=world.mixed_a2.pk).update(left_on=today + dt.timedelta(days=60))
    meeting = services.meeting_schedule(
        actor=world.branch_secretary.user,
        branch=world.branch,
        purpose=MeetingPurpose.ADMISSION,
        scheduled_for=today,
        files=[f],
    )
    with pytest.raises(ServiceError) as exc:
        _record(world, meeting, f)
    assert "三个月内离开学习单位" in exc.value.message and exc.value.field == "graduation_exception"
    _record(world, meeting, f, graduation_exception="经党委研究同意（特殊情况）")
    assert Step.objects.filter(file=f, code="meeting").exists()


def test_the_page_says_so_before_the_meeting_is_scheduled(world, login):
    from campusgrid.core import clock
    from campusgrid.people.models import Student

    today = clock.today()
    _candidate_ready(world, today)
    Student.objects.filter(pk=world.mixed_a2.pk).update(left_on=today + dt.timedelta(days=60))
    page = login(world.branch_secretary).get("/party/assemblies/").content.decode()
    assert 'data-guard="A2001"' in page and "一般不办理接收预备党员的手续" in page
    detail = login(world.branch_secretary).get("/party/files/A2001/").content.decode()
    assert 'id="graduation-guard"' in detail


def test_present_must_match_the_attendance_taken(world):
    from campusgrid.core import clock

    today = clock.today()
    f = _candidate_ready(world, today)
    meeting = services.meeting_schedule(
        actor=world.branch_secretary.user,
        branch=world.branch,
        purpose=MeetingPurpose.ADMISSION,
        scheduled_for=today,
        files=[f],
    )
    assert meeting.session.kind == "party_meeting" and meeting.session.branch_id == world.branch.pk
    with pytest.raises(ServiceError) as exc:
        _record(world, meeting, f, attended=[world.monitor, world.small_grid_leader])
    assert exc.value.field == "present" and "考勤" in exc.value.message
    with pytest.raises(ServiceError) as exc:
        _record(world, meeting, f, attended=[world.student_b, world.monitor, world.small_grid_leader])
    assert exc.value.field == "attended"
