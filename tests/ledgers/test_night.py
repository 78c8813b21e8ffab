"""Night checks (查寝): the rules of submitting and correcting, the automatic
夜不归宿 reports, the unchecked-room flags, and the phone page in few requests."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from campusgrid.core.errors import NotAllowed, ServiceError
from campusgrid.core.tick import run_due
from campusgrid.ledgers import services
from campusgrid.ledgers.models import (
    LeaveRequest,
    LeaveState,
    LedgerSettings,
    NightCheck,
    NightCheckCorrection,
    NightCheckEntry,
    NightCheckFlag,
)
from campusgrid.notifications.models import Notification
from campusgrid.reports.models import Report

from .conftest import NIGHT, at

pytestmark = pytest.mark.django_db


def submit(world, who="dorm_head", room=None, date=NIGHT, **entries):
    return services.night_check_submit(
        actor=world[who].user,
        room=room or world.room_a1,
        date=date,
        entries={no: ({"status": v} if isinstance(v, str) else v) for no, v in entries.items()},
    )


def approved_leave(world, student=None, start=None, end=None):
    return LeaveRequest.objects.create(
        student=student or world.student,
        start=start or at(NIGHT, 8),
        end=end or at(NIGHT + dt.timedelta(days=2), 18),
        reason="回家",
        state=LeaveState.APPROVED,
    )


def test_all_present_is_one_call_with_no_entries(world, evening):
    check = submit(world)
    assert (check.present_count, check.leave_count, check.late_count, check.absent_count) == (4, 0, 0, 0)
    assert set(NightCheckEntry.objects.filter(night_check=check).values_list("status", flat=True)) == {
        "present"
    }
    assert not Report.objects.exists()


def test_a_counselors_own_record_of_an_absence_still_reaches_the_counselors(world, evening):
    submit(world, "counselor", A1002="absent")
    report = Report.objects.get()
    assert report.level == 3 and report.reporter == world.counselor.user


def test_absence_without_leave_reports_to_the_counselor_once_per_night(world, evening):
    check = submit(world, A1002="absent")
    report = Report.objects.get()
    assert report.category.name == "夜不归宿" and report.level == 3
    assert report.source_key == f"night:{NIGHT.isoformat()}:A1002"
    assert list(report.students.values_list("student_no", flat=True)) == ["A1002"]
    assert NightCheckEntry.objects.get(night_check=check, student=world.student).report == report
    assert Notification.objects.filter(user=world.counselor.user, title__contains="夜不归宿").exists()
    # Corrected to present and back to absent the same night: still one report.
    submit(world, A1002="present")
    submit(world, A1002="absent")
    assert Report.objects.count() == 1
    # Another night is another report.
    submit(world, "counselor", date=NIGHT - dt.timedelta(days=1), A1002="absent")
    assert Report.objects.count() == 2


def test_approved_leave_prefills_leave_and_raises_no_report(world, evening, login):
    leave = approved_leave(world)
    page = (
        login(world.dorm_head).get(reverse("ledgers:night-check", args=[world.room_a1.pk])).content.decode()
    )
    assert 'id="s-A1002-leave" value="leave" autocomplete="off"\n                 checked' in page
    check = submit(world)  # one tap: the member on leave is "leave", the others present
    entry = NightCheckEntry.objects.get(night_check=check, student=world.student)
    assert entry.status == "leave" and entry.leave == leave
    assert (check.present_count, check.leave_count) == (3, 1)
    assert not Report.objects.exists()


def test_leave_ended_by_return_no_longer_covers_the_night(world, evening):
    leave = approved_leave(world)
    services.leave_return(actor=world.student.user, leave=leave)
    check = submit(world)
    assert NightCheckEntry.objects.get(night_check=check, student=world.student).status == "present"


def test_dorm_head_cannot_mark_leave_without_approved_leave(world, evening):
    with pytest.raises(ServiceError, match="没有已批准的请假"):
        submit(world, A1002="leave")
    LeaveRequest.objects.create(
        student=world.student, start=at(NIGHT, 8), end=at(NIGHT, 23, 59), reason="x", state=LeaveState.PENDING
    )
    with pytest.raises(ServiceError):
        submit(world, A1002="leave")
    # The counselor, who approves leave, may record it.
    check = submit(world, "counselor", A1002="leave")
    assert check.leave_count == 1


def test_late_return_keeps_the_time(world, evening):
    check = submit(world, A1002={"status": "late", "time": "23:40"})
    entry = NightCheckEntry.objects.get(night_check=check, student=world.student)
    assert entry.status == "late" and entry.time == dt.time(23, 40)
    with pytest.raises(ServiceError, match="格式不正确"):
        submit(world, A1003={"status": "late", "time": "半夜"})


def test_corrections_keep_history_until_the_cutoff(world, evening, travel):
    check = submit(world, A1002="absent")
    travel(at(NIGHT, 23, 50))
    submit(world, A1002={"status": "late", "time": "23:45"})
    correction = NightCheckCorrection.objects.get()
    assert (correction.from_status, correction.to_status, correction.to_time) == (
        "absent",
        "late",
        dt.time(23, 45),
    )
    assert correction.actor == world.dorm_head.user
    check.refresh_from_db()
    assert (check.late_count, check.absent_count, check.version) == (1, 0, 2)
    # Next morning before 08:00 the dorm head may still correct; after, only the counselor.
    travel(at(NIGHT + dt.timedelta(days=1), 7, 59))
    submit(world, A1002="present")
    travel(at(NIGHT + dt.timedelta(days=1), 8, 1))
    with pytest.raises(ServiceError, match="已过更正截止时间"):
        submit(world, A1002="absent")
    submit(world, "counselor", A1002="absent")
    assert NightCheckCorrection.objects.count() == 3
    assert NightCheckCorrection.objects.last().actor == world.counselor.user


def test_cutoff_and_opening_are_configurable(world, travel, term):
    settings = LedgerSettings.get()
    settings.check_open_time, settings.correction_cutoff = dt.time(22, 0), dt.time(6, 0)
    settings.save()
    travel(at(NIGHT, 21, 30))
    with pytest.raises(ServiceError, match="22:00开始"):
        submit(world)
    travel(at(NIGHT + dt.timedelta(days=1), 5, 59))
    assert submit(world).date == NIGHT  # before the cut-off, "tonight" is still last night
    travel(at(NIGHT + dt.timedelta(days=1), 6, 1))
    with pytest.raises(ServiceError, match="06:00"):
        submit(world)


def test_no_checks_for_future_nights(world, evening):
    with pytest.raises(ServiceError, match="不能提前"):
        submit(world, date=NIGHT + dt.timedelta(days=1))


def test_only_the_rooms_dorm_head_or_level_three_may_check(world, evening):
    for persona in [
        "dorm_head_b",
        "dorm_head_a2",
        "monitor",
        "student",
        "activist",
        "small_grid_leader",
        "leader_b",
    ]:
        with pytest.raises(NotAllowed):
            submit(world, persona)
    for persona in ["counselor", "class_teacher", "leader", "office"]:
        submit(world, persona)
    assert NightCheck.objects.count() == 1


def test_class_teacher_of_a_mixed_room_checks_only_their_students(world, evening):
    check = submit(world, "class_teacher", room=world.room_mixed)
    assert set(
        NightCheckEntry.objects.filter(night_check=check).values_list("student__student_no", flat=True)
    ) == {
        "A1005",
        "A1006",
    }
    with pytest.raises(ServiceError, match="不是本寝室"):
        submit(world, "class_teacher", room=world.room_mixed, A2001="absent")
    # The dorm head completes the room.
    check = submit(world, "dorm_head_mixed", room=world.room_mixed)
    assert check.present_count == 4


def test_unknown_members_and_statuses_are_refused(world, evening):
    with pytest.raises(ServiceError, match="不是本寝室的在校学生：B1002"):
        submit(world, B1002="absent")
    with pytest.raises(ServiceError, match="情况应为"):
        submit(world, A1002="missing")


# --- flags (tick) ------------------------------------------------------------------------------


def test_rooms_not_checked_by_the_flag_time_are_flagged_once(world, evening, travel):
    submit(world)  # 301 is checked; 302, 303 (college A) and 101 (college B) are not
    travel(at(NIGHT, 22, 59))
    assert services.night_flag_unchecked() == 0
    travel(at(NIGHT, 23, 1))
    assert services.night_flag_unchecked() == 3
    flagged = set(NightCheckFlag.objects.filter(date=NIGHT).values_list("room__number", flat=True))
    assert flagged == {"302", "303", "101"}
    titles = dict(
        Notification.objects.filter(title__contains="未查寝").values_list("user__username", "title")
    )
    assert set(titles) == {"A1004", "A2004", "C0001", "B1003", "C0003"}  # monitors and counselors
    assert "东1/302" in titles["A1004"] and "东1/303" not in titles["A1004"]
    assert "东1/302" in titles["C0001"] and "东1/303" in titles["C0001"]
    assert "西1/101" in titles["C0003"] and "东1" not in titles["C0003"]
    # A second run, and a check submitted late, change nothing.
    assert services.night_flag_unchecked() == 0
    travel(at(NIGHT, 23, 30))
    submit(world, "dorm_head_a2", room=world.room_a2)
    assert services.night_flag_unchecked() == 0
    assert Notification.objects.filter(title__contains="未查寝").count() == 5


def test_flags_run_through_campusgrid_tick_and_skip_holidays(world, term, capsys):
    call_command("tick", "--now", "2025-11-03T23:05:00+08:00")
    assert "ledgers.night_flag_unchecked: 4" in capsys.readouterr().out
    call_command("tick", "--now", "2025-11-03T23:06:00+08:00")
    assert "ledgers.night_flag_unchecked: 0" in capsys.readouterr().out
    # National day: no checks expected.
    assert run_due(at(dt.date(2025, 10, 2), 23, 30))["ledgers.night_flag_unchecked"] == 0
    # Summer vacation (outside any semester): none either.
    assert run_due(at(dt.date(2026, 8, 1), 23, 30))["ledgers.night_flag_unchecked"] == 0


def test_a_missed_flag_time_is_caught_up_after_downtime(world, term):
    # The scheduler was down at 23:00; the first run the next morning flags last night once.
    assert run_due(at(NIGHT + dt.timedelta(days=1), 7, 0))["ledgers.night_flag_unchecked"] == 4
    assert set(NightCheckFlag.objects.values_list("date", flat=True)) == {NIGHT}
    assert run_due(at(NIGHT + dt.timedelta(days=1), 7, 1))["ledgers.night_flag_unchecked"] == 0


# --- the phone page -----------------------------------------------------------------------------


def test_a_six_bed_room_is_checked_in_two_requests_from_the_phone_page(world, evening, login, client):
    from tests import factories as f

    room = f.RoomFactory(building=world.room_a1.building, number="310", capacity=6)
    members = [f.StudentFactory(school_class=world.class_a1, room=room) for _ in range(6)]
    f.PostFactory(kind="dorm_head", student=members[0], room=room, start_date=dt.date(2025, 9, 1))
    client = login(members[0])
    url = reverse("ledgers:night-check", args=[room.pk])
    requests = 0
    page = client.get(url)  # 1: the form
    requests += 1
    assert page.status_code == 200 and page.content.decode().count('class="btn-check"') == 24
    absent = members[3].student_no
    response = client.post(url, {f"s-{absent}": "absent"}, HTTP_HX_REQUEST="true")  # 2: one tap + submit
    requests += 1
    assert response.status_code == 200 and requests <= 3
    text = response.content.decode()
    assert 'id="night-saved"' in text and "未归1人" in text and "<html" not in text
    check = NightCheck.objects.get(room=room)
    assert (check.present_count, check.absent_count) == (5, 1)
    assert Report.objects.get().students.get() == members[3]


def test_without_htmx_the_post_redirects_back_to_the_form(world, evening, login):
    client = login(world.dorm_head)
    url = reverse("ledgers:night-check", args=[world.room_a1.pk])
    response = client.post(url, {"s-A1002": "absent"})
    assert response.status_code == 302 and response["Location"].startswith(url)
    assert "已提交" in client.get(response["Location"]).content.decode()


def test_the_page_shows_errors_in_chinese(world, evening, login):
    response = login(world.dorm_head).post(
        reverse("ledgers:night-check", args=[world.room_a1.pk]), {"s-A1002": "leave"}, HTTP_HX_REQUEST="true"
    )
    assert "没有已批准的请假" in response.content.decode()
    assert not NightCheck.objects.exists()


def test_dorm_head_home_panel_links_to_tonights_check(world, evening, login):
    page = login(world.dorm_head).get("/").content.decode()
    assert 'id="panel-night-mine"' in page and reverse("ledgers:night-check", args=[world.room_a1.pk]) in page
    assert "未查寝" in page
    submit(world)
    assert "已查寝" in login(world.dorm_head).get("/").content.decode()


def test_counselor_dashboard_shows_tonights_checks_and_absences(world, evening, login):
    submit(world, A1002="absent")
    page = login(world.counselor).get("/").content.decode()
    assert 'id="panel-night-progress"' in page
    assert 'data-room="东1/301"' in page and "张三" in page and "上报 #" in page
    assert "4/11" in page  # the four students of one room, of college A's eleven


def test_the_phone_pages_stylesheet_is_served(client):
    # Tap targets of at least 44px come from campusgrid/app.css.
    response = client.get("/static/campusgrid/app.css")
    assert response.status_code == 200 and b".tap-target" in b"".join(response.streaming_content)


def test_dashboards_show_last_night_until_tonights_check_opens(world, evening, travel, login):
    submit(world, A1002="absent")
    travel(at(NIGHT + dt.timedelta(days=1), 15))  # the next afternoon
    page = login(world.counselor).get("/").content.decode()
    assert "昨晚查寝进度" in page and "张三" in page
    progress = login(world.counselor).get(reverse("ledgers:night-progress")).content.decode()
    assert 'value="2025-11-03"' in progress
    travel(at(NIGHT + dt.timedelta(days=1), 21, 5))
    assert "今晚查寝进度" in login(world.counselor).get("/").content.decode()


def test_group_robots_get_no_personal_data_from_the_ledgers(world, evening, travel, settings):
    from campusgrid.notifications.models import Delivery, WebhookEndpoint

    settings.CAMPUSGRID_DELIVER_ON_COMMIT = False
    WebhookEndpoint.objects.create(kind="wecom", name="学工群", url="https://example.invalid/hook")
    WebhookEndpoint.objects.create(
        kind="wecom", name="化工群", url="https://example.invalid/a", college=world.college_a
    )
    submit(world, A1002="absent")  # a 夜不归宿 report
    leave = services.leave_request(
        actor=world.student_b.user,
        student=world.student_b,
        start=at(NIGHT, 22),
        end=at(NIGHT + dt.timedelta(days=1), 22),
        reason="看病",
    )
    services.leave_decide(
        actor=world.counselor_b.user, leave=leave, approve=False, comment="王五需先提交病历"
    )
    travel(at(NIGHT, 23, 5))
    services.night_flag_unchecked()
    texts = list(Delivery.objects.values_list("text", flat=True))
    assert texts
    for text in texts:
        for personal in ["张三", "A1002", "王五", "B1002", "病历", "看病"]:
            assert personal not in text, text
