"""The report workflow: routing, every transition and its refusals, deadlines."""

import datetime as dt

import pytest
from django.core.management import call_command

from campusgrid.core import clock
from campusgrid.core.errors import Conflict, NotAllowed, ServiceError
from campusgrid.grid.models import Post
from campusgrid.notifications.models import Notification
from campusgrid.reports import services
from campusgrid.reports.models import Report, ReportEvent, State

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 11, 2, 9, 0)


@pytest.fixture(autouse=True)
def _time(travel):
    from django.utils import timezone

    travel(timezone.make_aware(T0))


def create(world, who="dorm_head", **kwargs):
    defaults = {
        "category": "安全隐患",
        "severity": "normal",
        "description": "插线板冒烟",
        "students": [world.student],
    }
    defaults.update(kwargs)
    return services.report_create(actor=world[who].user, **defaults)


def act(world, who, report, action, **kwargs):
    return services.report_act(actor=world[who].user, report=report, action=action, **kwargs)


def test_dorm_head_report_goes_to_the_monitor(world):
    report = create(world)
    assert report.level == 2 and report.state == State.REPORTED and report.reporter_level == 1
    assert Notification.objects.filter(user=world.monitor.user).exists()
    assert not Notification.objects.filter(user=world.counselor.user).exists()


def test_monitor_report_goes_to_counselor_and_student_report_to_dorm_head(world):
    assert create(world, "monitor").level == 3
    assert create(world, "student").level == 1
    assert create(world, "counselor").level == 4
    assert create(world, "leader").level == 5


def test_skip_levels_but_never_down(world):
    assert create(world, to_level=4).level == 4
    with pytest.raises(ServiceError):
        create(world, "counselor", to_level=2)


def test_urgent_and_crisis_categories_reach_levels_three_and_four(world):
    urgent = create(world, severity="urgent")
    assert urgent.level == 3 and urgent.urgent
    assert Notification.objects.filter(user=world.counselor.user, title__contains="新的问题上报").exists()
    assert Notification.objects.filter(user=world.leader.user, title__contains="紧急").exists()
    crisis = create(world, category="心理健康", description="情绪低落，有自伤言语")
    assert crisis.level == 3 and crisis.urgent
    emergency = create(world, category="突发事件", description="寝室漏水")
    assert emergency.level == 3


def test_mixed_room_routes_to_the_classes_of_everyone_concerned(world):
    report = create(world, "dorm_head_mixed", students=[], room=world.room_mixed, description="违章电器")
    assert report.level == 2
    notified = set(
        Notification.objects.filter(title__contains="新的问题上报").values_list("user__username", flat=True)
    )
    assert notified == {world.monitor.student_no, world.monitor_a2.student_no}
    assert set(report.classes.values_list("name", flat=True)) == {"化工2401", "化工2402"}


def test_vacant_level_is_passed_over(world):
    Post.objects.filter(kind="monitor", school_class=world.class_a1).update(end_date="2026-01-01")
    report = create(world)
    assert report.level == 3
    assert "空缺" in report.events.get(action="create").note


def test_reporter_must_stay_in_scope(world):
    with pytest.raises(NotAllowed):
        create(world, students=[world.student_b])
    with pytest.raises(NotAllowed):
        create(world, "student", students=[world.monitor])


def test_full_cycle_with_timeline(world):
    report = create(world)
    report = act(world, "monitor", report, "escalate", note="无法协调")
    assert report.level == 3 and report.state == State.REPORTED
    report = act(world, "counselor", report, "accept")
    assert report.handler == world.counselor.user
    report = act(world, "counselor", report, "handle", note="已没收插线板")
    report = act(world, "counselor", report, "feedback", note="已处理，请注意用电安全")
    assert report.state == State.FED_BACK
    report = act(world, "dorm_head", report, "confirm")
    assert report.state == State.CLOSED and report.closed_at
    actions = list(report.events.values_list("action", "from_state", "to_state"))
    assert actions == [
        ("create", "", "reported"),
        ("escalate", "reported", "reported"),
        ("accept", "reported", "accepted"),
        ("handle", "accepted", "handled"),
        ("feedback", "handled", "fed_back"),
        ("confirm", "fed_back", "closed"),
    ]


def test_objection_reopens(world):
    report = create(world, "monitor")
    for who, action, note in [
        ("counselor", "accept", ""),
        ("counselor", "handle", "谈话"),
        ("counselor", "feedback", "好了"),
    ]:
        report = act(world, who, report, action, note=note)
    report = act(world, "monitor", report, "object", note="问题仍在")
    assert report.state == State.ACCEPTED and report.handler == world.counselor.user


def test_refusals(world):
    report = create(world)
    with pytest.raises(NotAllowed):
        act(world, "student", report, "accept")  # not a holder
    with pytest.raises(NotAllowed):
        act(world, "dorm_head", report, "accept")  # below the report's level
    with pytest.raises(Conflict):
        act(world, "monitor", report, "handle", note="x")  # not accepted yet
    report = act(world, "monitor", report, "accept")
    with pytest.raises(Conflict):
        act(world, "monitor", report, "accept")
    with pytest.raises(ServiceError):
        act(world, "monitor", report, "handle")  # note required
    with pytest.raises(NotAllowed):
        act(world, "monitor_b", report, "handle", note="x")
    with pytest.raises(Conflict):
        act(world, "monitor", report, "confirm")


def test_stale_version_is_refused(world):
    report = create(world)
    stale = report.version
    act(world, "monitor", report, "accept")
    with pytest.raises(Conflict):
        act(world, "monitor", report, "return", note="补充照片", expected_version=stale)


def test_return_and_resubmit(world):
    report = create(world)
    report = act(world, "monitor", report, "return", note="请补充照片")
    assert report.state == State.RETURNED
    assert Notification.objects.filter(user=world.dorm_head.user, title__contains="退回").exists()
    report = act(world, "dorm_head", report, "resubmit", note="已补充")
    assert report.state == State.REPORTED and "【补充】已补充" in report.description


def test_transfer_within_level(world):
    report = create(world, "monitor")  # level 3: counselor and class teacher of 化工2401
    report = act(
        world, "counselor", report, "transfer", note="请班主任处理", assignee=world.class_teacher.user
    )
    assert report.assignee == world.class_teacher.user
    with pytest.raises(NotAllowed):
        act(world, "counselor", report, "accept")
    act(world, "class_teacher", report, "accept")
    with pytest.raises(ServiceError):
        report2 = create(world, "monitor")
        act(world, "counselor", report2, "transfer", note="x", assignee=world.counselor_b.user)


def test_major_event_to_university(world):
    report = create(world, "counselor", severity="major")
    report = act(world, "leader", report, "escalate", note="重大事件", to_level=5)
    assert report.level == 5 and report.major_event
    assert Notification.objects.filter(user=world.office.user).exists()


def test_deadline_escalates_once_per_deadline(world, travel):
    from django.utils import timezone

    report = create(world)  # normal: 24 h to accept, 7 days to handle
    assert services.escalate_overdue(timezone.make_aware(T0 + dt.timedelta(hours=23))) == 0
    later = timezone.make_aware(T0 + dt.timedelta(hours=25))
    assert services.escalate_overdue(later) == 1
    assert services.escalate_overdue(later) == 0
    report.refresh_from_db()
    assert report.level == 3
    assert report.events.filter(action="auto_escalate").count() == 1
    titles = Notification.objects.filter(title__contains="超时")
    assert (
        titles.filter(user=world.monitor.user).exists() and titles.filter(user=world.counselor.user).exists()
    )
    # The counselor accepts; the handle deadline (7 days) escalates it once more.
    act(world, "counselor", report, "accept")
    week = timezone.make_aware(T0 + dt.timedelta(days=7, hours=1))
    assert services.escalate_overdue(week) == 1
    assert services.escalate_overdue(week) == 0
    report.refresh_from_db()
    assert report.level == 4 and report.handle_escalated


def test_tick_command_runs_escalation_idempotently(world):
    report = create(world)
    call_command("tick", "--now", "2026-11-03T10:00:00+08:00")
    call_command("tick", "--now", "2026-11-03T10:00:00+08:00")
    assert ReportEvent.objects.filter(report=report, action="auto_escalate").count() == 1


def test_students_do_not_see_sensitive_reports_about_others(world):
    crisis = create(world, "monitor", category="心理健康", description="情绪低落")
    assert not Report.objects.visible_to(world.dorm_head.user).filter(pk=crisis.pk).exists()
    assert not Report.objects.visible_to(world.student.user).filter(pk=crisis.pk).exists()
    assert Report.objects.visible_to(world.monitor.user).filter(pk=crisis.pk).exists()  # filed it
    assert Report.objects.visible_to(world.counselor.user).filter(pk=crisis.pk).exists()
    assert not Report.objects.visible_to(world.counselor_b.user).filter(pk=crisis.pk).exists()
    ordinary = create(world)
    assert Report.objects.visible_to(world.monitor.user).filter(pk=ordinary.pk).exists()
    assert not Report.objects.visible_to(world.student.user).filter(pk=ordinary.pk).exists()
    assert clock.now()
