"""Routing by who actually holds a post (issue 10 bug 1) and the timeline of
automatic escalation (bug 3)."""

import datetime as dt

import pytest
from django.utils import timezone

from campusgrid.grid.models import PostKind
from campusgrid.grid.selectors import holder_users, post_holders
from campusgrid.notifications.models import Notification
from campusgrid.reports import services
from campusgrid.reports.models import State

pytestmark = pytest.mark.django_db
T0 = timezone.make_aware(dt.datetime(2026, 11, 2, 9, 0))


@pytest.fixture(autouse=True)
def _time(travel):
    travel(T0)


def _report_about_a2(world, **kwargs):
    # 李四 is in class 化工2402, whose only level-3 holder is the counselor.
    return services.report_create(
        actor=world.monitor_a2.user,
        category="安全隐患",
        severity="normal",
        description="寝室插线板冒烟",
        students=[world.mixed_a2],
        **kwargs,
    )


def test_level_whose_only_counselor_left_is_skipped(world):
    world.counselor.active = False
    world.counselor.save(update_fields=["active"])
    report = _report_about_a2(world)
    assert report.level == 4
    note = report.events.get(action="create").note
    assert "三级（辅导员、班主任）空缺，已越过" in note
    assert Notification.objects.filter(user=world.leader.user).exists()
    assert not Notification.objects.filter(user=world.counselor.user).exists()


def test_counselor_with_disabled_login_does_not_hold_the_level(world):
    world.counselor.user.is_active = False
    world.counselor.user.save(update_fields=["is_active"])
    assert _report_about_a2(world).level == 4


def test_active_counselor_still_receives_the_report(world):
    assert _report_about_a2(world).level == 3


def test_post_holders_one_rule_for_students_and_staff(world):
    posts = post_holders(kinds=[PostKind.COUNSELOR, PostKind.CLASS_TEACHER], classes=[world.class_a1])
    assert {u.username for u in holder_users(posts)} == {
        world.counselor.staff_no,
        world.class_teacher.staff_no,
    }
    world.class_teacher.active = False
    world.class_teacher.save(update_fields=["active"])
    world.monitor.status = "suspended"
    world.monitor.save(update_fields=["status"])
    posts = post_holders(kinds=[PostKind.COUNSELOR, PostKind.CLASS_TEACHER], classes=[world.class_a1])
    assert {p.user.username for p in posts} == {world.counselor.staff_no}
    assert post_holders(kinds=PostKind.MONITOR, classes=[world.class_a1]) == []
    rooms = post_holders(kinds=PostKind.DORM_HEAD, rooms=[world.room_a1.pk, world.room_mixed.pk])
    assert {p.room_id for p in rooms} == {world.room_a1.pk, world.room_mixed.pk}


def test_leave_approvers_skip_a_departed_counselor(world):
    from campusgrid.ledgers.services.common import holders_by_class

    world.counselor.active = False
    world.counselor.save(update_fields=["active"])
    found = holders_by_class([world.class_a2.pk], ["counselor", "class_teacher"])
    assert found.get(world.class_a2.pk, []) == []


def test_auto_escalation_records_the_state_it_left(world, travel):
    report = services.report_create(
        actor=world.dorm_head.user,
        category="安全隐患",
        severity="normal",
        description="插线板冒烟",
        students=[world.student],
    )
    report = services.report_act(actor=world.monitor.user, report=report, action="accept")
    assert report.state == State.ACCEPTED
    travel(T0 + dt.timedelta(days=8))
    assert services.escalate_overdue() == 1
    event = report.events.get(action="auto_escalate")
    assert (event.from_state, event.to_state) == (State.ACCEPTED, State.REPORTED)
    assert (event.from_level, event.to_level) == (2, 3)
