"""Leave (请假): request, approval by the counselor or class teacher with a
comment, 销假, overdue returns flagged by tick, and what the night check sees."""

import datetime as dt

import pytest
from django.urls import reverse

from campusgrid.core.errors import Conflict, NotAllowed, ServiceError
from campusgrid.core.tick import run_due
from campusgrid.ledgers import services
from campusgrid.ledgers.models import LeaveState
from campusgrid.notifications.models import Notification

from .conftest import NIGHT, at

pytestmark = pytest.mark.django_db


def ask(world, who="student", student=None, start=None, end=None, **kwargs):
    defaults = {"reason": "家中有事", "destination": "杭州", "contact": "13800000001"}
    defaults.update(kwargs)
    return services.leave_request(
        actor=world[who].user,
        student=student or world.student,
        start=start or at(NIGHT, 18),
        end=end or at(NIGHT + dt.timedelta(days=2), 18),
        **defaults,
    )


def test_student_asks_and_the_counselor_and_class_teacher_are_told(world, evening):
    leave = ask(world)
    assert leave.state == LeaveState.PENDING
    told = set(Notification.objects.filter(title__contains="待审批").values_list("user__username", flat=True))
    assert told == {"C0001", "C0002"}


def test_only_the_student_or_their_managers_may_ask(world, evening):
    for persona in ["dorm_head", "monitor", "student_b", "counselor_b"]:
        with pytest.raises(NotAllowed):
            ask(world, persona)
    recorded = ask(world, "counselor")  # recorded by the counselor: approved at once
    assert recorded.state == LeaveState.APPROVED and recorded.decided_by == world.counselor.user


def test_rules_of_a_request(world, evening):
    with pytest.raises(ServiceError, match="返校时间应晚于"):
        ask(world, end=at(NIGHT, 17))
    with pytest.raises(ServiceError, match="事由"):
        ask(world, reason=" ")
    with pytest.raises(ServiceError, match="11位"):
        ask(world, contact="12345")
    with pytest.raises(ServiceError, match="不超过60天"):
        ask(world, end=at(NIGHT + dt.timedelta(days=90), 18))
    with pytest.raises(ServiceError, match="补办"):
        ask(world, start=at(NIGHT - dt.timedelta(days=5), 8), end=at(NIGHT - dt.timedelta(days=3), 8))
    ask(world)
    with pytest.raises(Conflict, match="已有"):
        ask(world, start=at(NIGHT + dt.timedelta(days=1), 8))


@pytest.mark.parametrize("approver", ["counselor", "class_teacher", "leader"])
def test_counselor_class_teacher_or_leader_decides(world, evening, approver):
    leave = ask(world)
    approved = services.leave_decide(actor=world[approver].user, leave=leave, approve=True, comment="同意")
    assert approved.state == LeaveState.APPROVED and approved.comment == "同意"
    assert Notification.objects.filter(user=world.student.user, title__contains="已批准").exists()


def test_others_cannot_decide_and_refusing_needs_a_comment(world, evening):
    leave = ask(world)
    for persona in ["monitor", "dorm_head", "student", "counselor_b", "leader_b"]:
        with pytest.raises(NotAllowed):
            services.leave_decide(actor=world[persona].user, leave=leave, approve=True)
    with pytest.raises(ServiceError, match="请填写意见"):
        services.leave_decide(actor=world.counselor.user, leave=leave, approve=False)
    refused = services.leave_decide(
        actor=world.counselor.user, leave=leave, approve=False, comment="理由不充分"
    )
    assert refused.state == LeaveState.REFUSED
    with pytest.raises(Conflict):
        services.leave_decide(actor=world.class_teacher.user, leave=leave, approve=True)


def test_a_stale_decision_is_refused(world, evening):
    leave = ask(world)
    with pytest.raises(Conflict, match="旧版本"):
        services.leave_decide(actor=world.counselor.user, leave=leave, approve=True, expected_version=99)


def test_cancel_and_return(world, evening, travel):
    leave = ask(world, start=at(NIGHT, 22))
    services.leave_decide(actor=world.counselor.user, leave=leave, approve=True)
    with pytest.raises(Conflict, match="尚未开始"):
        services.leave_return(actor=world.student.user, leave=leave)
    travel(at(NIGHT, 23))
    with pytest.raises(Conflict, match="已开始"):
        services.leave_cancel(actor=world.student.user, leave=leave)
    with pytest.raises(NotAllowed):
        services.leave_return(actor=world.dorm_head.user, leave=leave)
    returned = services.leave_return(actor=world.student.user, leave=leave)
    assert returned.state == LeaveState.RETURNED and returned.returned_at == at(NIGHT, 23)
    other = ask(world, start=at(NIGHT + dt.timedelta(days=5), 8), end=at(NIGHT + dt.timedelta(days=6), 8))
    assert services.leave_cancel(actor=world.student.user, leave=other).state == LeaveState.CANCELLED


def test_overdue_returns_are_flagged_once_by_tick(world, evening):
    leave = ask(world)
    services.leave_decide(actor=world.counselor.user, leave=leave, approve=True)
    end = at(NIGHT + dt.timedelta(days=2), 18)
    assert run_due(end + dt.timedelta(minutes=59))["ledgers.leave_overdue"] == 0  # within the grace hour
    assert run_due(end + dt.timedelta(minutes=61))["ledgers.leave_overdue"] == 1
    assert run_due(end + dt.timedelta(minutes=62))["ledgers.leave_overdue"] == 0
    told = set(Notification.objects.filter(title__contains="到期").values_list("user__username", flat=True))
    assert told == {"C0001", "C0002", "A1002"}
    leave.refresh_from_db()
    assert leave.is_overdue(end + dt.timedelta(hours=2))


def test_the_page_flow_request_approve_return(world, evening, login, travel):
    client = login(world.student)
    response = client.post(
        reverse("ledgers:leave-new"),
        {
            "kind": "sick",
            "start": "2025-11-03T22:00",
            "end": "2025-11-05T08:00",
            "reason": "发烧回家休养",
            "contact": "13800000002",
        },
    )
    assert response.status_code == 302
    pk = int(response["Location"].rstrip("/").split("/")[-1])
    counselor = login(world.counselor)
    todo = counselor.get(reverse("ledgers:leave-list") + "?box=todo").content.decode()
    assert f'data-leave-id="{pk}"' in todo
    detail = counselor.get(reverse("ledgers:leave-detail", args=[pk])).content.decode()
    assert "发烧回家休养" in detail and 'data-action="approve"' in detail
    counselor.post(reverse("ledgers:leave-act", args=[pk, "approve"]), {"comment": "注意安全", "version": 1})
    travel(at(NIGHT + dt.timedelta(days=1), 10))
    client = login(world.student)
    assert 'data-action="return"' in client.get(reverse("ledgers:leave-detail", args=[pk])).content.decode()
    client.post(reverse("ledgers:leave-act", args=[pk, "return"]))
    assert "已销假" in client.get(reverse("ledgers:leave-detail", args=[pk])).content.decode()


def test_roommates_see_the_leave_but_not_its_reason_or_phone(world, evening, login):
    leave = ask(world, reason="就医复查")
    page = login(world.dorm_head).get(reverse("ledgers:leave-detail", args=[leave.pk])).content.decode()
    assert "就医复查" not in page and "13800000001" not in page and "138****0001" in page
    page = login(world.counselor).get(reverse("ledgers:leave-detail", args=[leave.pk])).content.decode()
    assert "就医复查" in page and "13800000001" in page


def test_refusal_without_comment_shows_an_error_on_the_page(world, evening, login):
    leave = ask(world)
    client = login(world.counselor)
    response = client.post(
        reverse("ledgers:leave-act", args=[leave.pk, "refuse"]), {"version": 1}, follow=True
    )
    assert "请填写意见" in response.content.decode()
    leave.refresh_from_db()
    assert leave.state == LeaveState.PENDING
