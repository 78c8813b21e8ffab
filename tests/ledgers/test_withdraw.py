"""A rule-made report whose cause is undone is withdrawn (issue 12 item 1): the
dorm head's correction of an absence, a leave approved after the check; a
correction back to 未归 reopens the same report."""

import datetime as dt

import pytest
from django.urls import reverse

from campusgrid.core.errors import NotAllowed
from campusgrid.ledgers import services
from campusgrid.ledgers.models import LeaveRequest, LeaveState, NightCheckEntry
from campusgrid.notifications.models import Notification
from campusgrid.reports import selectors as report_selectors
from campusgrid.reports import services as report_services
from campusgrid.reports.models import Report, State

from .conftest import NIGHT, at

pytestmark = pytest.mark.django_db


def submit(world, who="dorm_head", **entries):
    return services.night_check_submit(
        actor=world[who].user,
        room=world.room_a1,
        date=NIGHT,
        entries={no: {"status": v} for no, v in entries.items()},
    )


def todo_ids(world, who="counselor"):
    return set(report_selectors.report_todo(user=world[who].user).values_list("pk", flat=True))


def test_corrected_absence_withdraws_its_report(world, evening, travel):
    submit(world, A1002="absent")
    report = Report.objects.get()
    assert report.pk in todo_ids(world)
    travel(at(NIGHT, 22, 10))
    submit(world, A1002="present")
    report.refresh_from_db()
    assert report.state == State.WITHDRAWN
    assert report.pk not in todo_ids(world)
    event = report.events.get(action="withdraw")
    assert event.note == "查寝更正：在寝"
    assert (event.from_state, event.to_state, event.actor_id, event.actor_name) == (
        State.REPORTED,
        State.WITHDRAWN,
        None,
        "系统",
    )
    assert Notification.objects.filter(user=world.counselor.user, title__contains="已撤销").exists()
    # Withdrawn is terminal for people: nobody may act on it.
    assert report_services.allowed_actions(world.counselor.user, report) == []
    assert not Report.objects.open().filter(pk=report.pk).exists()


def test_correction_back_to_absent_reopens_the_same_report(world, evening):
    submit(world, A1002="absent")
    submit(world, A1002="late")
    submit(world, A1002="absent")
    report = Report.objects.get()
    assert report.state == State.REPORTED and report.level == 3
    assert [e.action for e in report.events.all()] == ["create", "withdraw", "reopen"]
    assert report.events.get(action="withdraw").note == "查寝更正：晚归"
    assert report.pk in todo_ids(world)


def test_a_report_someone_already_accepted_is_withdrawn_and_its_handler_told(world, evening):
    submit(world, A1002="absent")
    report = Report.objects.get()
    report_services.report_act(actor=world.counselor.user, report=report, action="accept")
    Notification.objects.all().delete()
    submit(world, A1002="present")
    report.refresh_from_db()
    assert report.state == State.WITHDRAWN
    assert report.events.get(action="withdraw").from_state == State.ACCEPTED
    assert Notification.objects.filter(user=world.counselor.user, title__contains="已撤销").exists()


def test_a_closed_report_stays_closed_after_a_correction(world, evening):
    submit(world, A1002="absent")
    report = Report.objects.get()
    Report.objects.filter(pk=report.pk).update(state=State.CLOSED)
    submit(world, "counselor", A1002="present")
    report.refresh_from_db()
    assert report.state == State.CLOSED


def test_people_cannot_withdraw_only_the_system(world, evening):
    submit(world, A1002="absent")
    report = Report.objects.get()
    for who in ("counselor", "leader", "office", "dorm_head"):
        with pytest.raises(NotAllowed):
            report_services.report_act(actor=world[who].user, report=report, action="withdraw", note="x")


def test_withdraw_and_reopen_are_not_api_actions(world, evening, api):
    submit(world, A1002="absent")
    report = Report.objects.get()
    client = api(world.counselor)
    response = client.post(f"/api/v1/reports/{report.pk}/withdraw/", {"note": "x"}, format="json")
    assert response.status_code == 404


def test_check_page_says_withdrawn_not_reported(world, evening, client):
    submit(world, A1002="absent")
    report = Report.objects.get()
    submit(world, A1002="present")
    client.force_login(world.dorm_head.user)
    page = client.get(reverse("ledgers:night-check", args=[world.room_a1.pk]) + f"?date={NIGHT}")
    text = page.content.decode()
    assert f"已撤销 #{report.pk}" in text and f"已上报 #{report.pk}" not in text


def test_leave_approved_after_the_check_withdraws_the_absence_report(world, evening, travel):
    submit(world, A1002="absent")
    report = Report.objects.get()
    leave = LeaveRequest.objects.create(
        student=world.student,
        start=at(NIGHT, 18),
        end=at(NIGHT + dt.timedelta(days=1), 12),
        reason="家中急事",
        state=LeaveState.PENDING,
    )
    travel(at(NIGHT + dt.timedelta(days=1), 9))
    services.leave_decide(actor=world.counselor.user, leave=leave, approve=True, comment="补批")
    report.refresh_from_db()
    assert report.state == State.WITHDRAWN
    assert "请假已批准" in report.events.get(action="withdraw").note
    entry = NightCheckEntry.objects.get(student=world.student, date=NIGHT)
    assert entry.status == "leave" and entry.leave_id == leave.pk
    assert entry.night_check.absent_count == 0 and entry.night_check.leave_count == 1
    assert entry.corrections.filter(from_status="absent", to_status="leave").exists()


def test_leave_for_another_night_withdraws_nothing(world, evening, travel):
    submit(world, A1002="absent")
    leave = LeaveRequest.objects.create(
        student=world.student,
        start=at(NIGHT + dt.timedelta(days=3), 8),
        end=at(NIGHT + dt.timedelta(days=4), 12),
        reason="回家",
        state=LeaveState.PENDING,
    )
    services.leave_decide(actor=world.counselor.user, leave=leave, approve=True)
    assert Report.objects.get().state == State.REPORTED


def test_corrected_screening_result_withdraws_and_restores_its_crisis_report(world, tmp_path, travel):
    import csv

    from campusgrid.dossiers.imports import import_screening
    from campusgrid.org.models import Semester

    travel(at(dt.date(2026, 11, 2), 9))
    Semester.objects.create(name="2026-2027学年第一学期", start=dt.date(2026, 9, 1), end=dt.date(2027, 1, 17))

    def write(crisis):
        path = tmp_path / f"筛查{crisis}.csv"
        with open(path, "w", newline="", encoding="utf-8-sig") as out:
            writer = csv.writer(out)
            writer.writerow(["学号", "姓名", "量表", "总分", "标记", "危机"])
            writer.writerow(["A1002", "张三", "UPI", "45", "", crisis])
        return path

    import_screening(write("是"), semester="2026-2027学年第一学期", actor=world.counselor.user)
    report = Report.objects.get(source="screening")
    import_screening(write("否"), semester="2026-2027学年第一学期", actor=world.counselor.user)
    report.refresh_from_db()
    assert report.state == State.WITHDRAWN
    assert report.events.get(action="withdraw").note == "心理筛查结果更正：已无危机标记"
    import_screening(write("是"), semester="2026-2027学年第一学期", actor=world.counselor.user)
    report.refresh_from_db()
    assert report.state == State.REPORTED and Report.objects.filter(source="screening").count() == 1
