"""The workflow table over state × action × persona, written out as expectations
(not derived from the table): which human actions each person is offered on a
level-2 report filed by the dorm head, and that the service refuses the rest.
Then the guards and the system rows."""

import datetime as dt

import pytest
from django.utils import timezone

from campusgrid.core.actors import SYSTEM
from campusgrid.core.errors import NotAllowed, ServiceError
from campusgrid.reports import services
from campusgrid.reports.models import Report, State
from campusgrid.reports.workflow import BY_ACTION, HUMAN_TRANSITIONS, TRANSITIONS

pytestmark = pytest.mark.django_db
T0 = timezone.make_aware(dt.datetime(2026, 11, 2, 9, 0))
ACTIONS = [t.action for t in HUMAN_TRANSITIONS]

# state -> persona -> actions offered (the report sits at level 2; the monitor accepted it
# in ACCEPTED/HANDLED/FED_BACK; nobody holds it in REPORTED/RETURNED).
EXPECTED = {
    State.REPORTED: {
        "dorm_head": "",
        "monitor": "accept escalate return transfer",
        "counselor": "accept escalate return transfer",
        "leader": "accept escalate return transfer",
        "office": "accept escalate return transfer",
    },
    State.ACCEPTED: {
        "dorm_head": "",
        "monitor": "handle escalate return transfer",
        "counselor": "handle escalate return transfer",
        "leader": "handle escalate return transfer",
        "office": "handle escalate return transfer",
    },
    State.HANDLED: {
        "dorm_head": "",
        "monitor": "feedback close",
        "counselor": "feedback close",
        "leader": "feedback close",
        "office": "feedback close",
    },
    State.FED_BACK: {
        "dorm_head": "confirm object",
        "monitor": "close",
        "counselor": "close",
        "leader": "close",
        "office": "close",
    },
    State.RETURNED: {
        "dorm_head": "resubmit close",  # the reporter may close a report returned to them
        "monitor": "",  # level 2 neither handles nor manages
        "counselor": "close",
        "leader": "close",
        "office": "close",
    },
    State.CLOSED: dict.fromkeys(("dorm_head", "monitor", "counselor", "leader", "office"), ""),
    State.WITHDRAWN: dict.fromkeys(("dorm_head", "monitor", "counselor", "leader", "office"), ""),
}
HELD = {State.ACCEPTED, State.HANDLED, State.FED_BACK}
CASES = [(state, persona) for state, row in EXPECTED.items() for persona in row]


@pytest.fixture(autouse=True)
def _time(travel):
    travel(T0)


def report_in(world, state):
    report = services.report_create(
        actor=world.dorm_head.user,
        category="安全隐患",
        severity="normal",
        description="插线板冒烟",
        students=[world.student],
    )
    assert report.level == 2
    Report.objects.filter(pk=report.pk).update(
        state=state, handler=world.monitor.user if state in HELD else None
    )
    report.refresh_from_db()
    return report


@pytest.mark.parametrize(("state", "persona"), CASES)
def test_table(world, state, persona):
    report = report_in(world, state)
    user = world[persona].user
    expected = EXPECTED[state][persona].split()
    assert [t.action for t in services.allowed_actions(user, report)] == expected
    # Every action not offered is refused by the service, and changes nothing.
    for action in set(ACTIONS) - set(expected):
        with pytest.raises(ServiceError):
            services.report_act(actor=user, report=report, action=action, note="说明", to_level=3)
        report.refresh_from_db()
        assert report.state == state


def test_nobody_escalates_past_the_university(world):
    report = report_in(world, State.REPORTED)
    Report.objects.filter(pk=report.pk).update(level=5)
    report.refresh_from_db()
    offered = [t.action for t in services.allowed_actions(world.office.user, report)]
    assert offered == ["accept", "return", "transfer"]
    with pytest.raises(ServiceError, match="最高层级"):
        services.report_act(actor=world.office.user, report=report, action="escalate", note="再上报")


def test_college_acts_on_urgent_reports_at_level_three(world):
    report = services.report_create(
        actor=world.monitor.user,
        category="突发事件",
        severity="urgent",
        description="寝室有人晕倒",
        students=[world.student],
    )
    assert report.level == 3 and report.urgent
    assert "accept" in [t.action for t in services.allowed_actions(world.leader.user, report)]
    assert services.allowed_actions(world.leader_b.user, report) == []


def test_transferred_report_is_for_the_named_person_or_someone_higher(world):
    report = services.report_create(
        actor=world.monitor.user,
        category="安全隐患",
        severity="normal",
        description="插线板冒烟",
        students=[world.student],
    )
    report = services.report_act(
        actor=world.counselor.user,
        report=report,
        action="transfer",
        note="请班主任处理",
        assignee=world.class_teacher.user,
    )
    assert "accept" in [t.action for t in services.allowed_actions(world.class_teacher.user, report)]
    assert services.allowed_actions(world.counselor.user, report) == []
    assert "accept" in [t.action for t in services.allowed_actions(world.leader.user, report)]


def test_system_rows_admit_only_the_system_and_human_rows_never_do(world):
    report = report_in(world, State.ACCEPTED)
    assert services.allowed_actions(SYSTEM, report) == []
    for transition in HUMAN_TRANSITIONS:
        if State.ACCEPTED in transition.source:
            with pytest.raises(NotAllowed):
                services.report_act(actor=SYSTEM, report=report, action=transition.action, note="x")
    assert {t.action for t in TRANSITIONS if t.system} == {"auto_escalate", "withdraw", "reopen"}
    with pytest.raises(ServiceError):
        services.report_act(actor=SYSTEM, report=report, action="auto_escalate")
    for persona in ("office", "counselor"):
        with pytest.raises(NotAllowed):
            services.report_act(actor=world[persona].user, report=report, action="withdraw", note="x")


def test_needs_are_declared_by_keyword_and_drive_validation(world):
    assert [n.name for n in BY_ACTION["transfer"].needs] == ["note", "assignee"]
    assert [n.name for n in BY_ACTION["handle"].needs] == ["note", "also_feedback"]
    assert BY_ACTION["close"].note_required is False and BY_ACTION["handle"].note_required is True
    report = report_in(world, State.ACCEPTED)
    with pytest.raises(ServiceError) as error:
        services.report_act(actor=world.monitor.user, report=report, action="handle", note=" ")
    assert error.value.field == "note" and error.value.message == "请填写处理情况"


def test_rule_made_report_needs_a_reporter_and_a_source(world):
    with pytest.raises(ServiceError):
        services.report_create(
            actor=SYSTEM,
            category="夜不归宿",
            severity="normal",
            description="未归寝",
            students=[world.student],
        )
