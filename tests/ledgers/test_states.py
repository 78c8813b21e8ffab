"""Derived states follow the project's clock (issue 10 bug 2, issue 12 item 3):
leave "overdue" with its grace period, holiday 已登记（未离校） → 已离校 → 已返校 /
逾期未返, the same on every page, the API, the counts, the exports and tick; and
the departure/return dates a student may register, every error at once."""

import datetime as dt
import io
import itertools
import re

import openpyxl
import pytest
from django.urls import reverse

from campusgrid.core.errors import Conflict, ServiceError
from campusgrid.ledgers import selectors, services
from campusgrid.ledgers.models import (
    HOLIDAY_STATUS,
    HolidayPlan,
    HolidayRegistration,
    LeaveRequest,
)

from .conftest import at

pytestmark = pytest.mark.django_db

REGISTERED_ON = dt.date(2025, 12, 2)
DEPART = dt.date(2025, 12, 31)  # the day before 元旦 (2026-01-01 – 01-03)


# --- leave ---------------------------------------------------------------------------------------


@pytest.fixture
def approved_leave(world, term, travel):
    travel(at(dt.date(2025, 11, 3), 9))
    leave = services.leave_request(
        actor=world.student.user,
        student=world.student,
        start=at(dt.date(2025, 11, 4), 8),
        end=at(dt.date(2025, 11, 5), 18),
        reason="回家看病",
    )
    services.leave_decide(actor=world.counselor.user, leave=leave, approve=True)
    return LeaveRequest.objects.get(pk=leave.pk)


def test_leave_list_marks_overdue_by_the_clock_and_the_grace_period(world, approved_leave, login, travel):
    client = login(world.counselor)
    url = reverse("ledgers:leave-list")
    travel(at(dt.date(2025, 11, 5), 18, 30))  # past `end`, within the 60-minute grace
    client = login(world.counselor)  # a clock moved past the idle timeout signs out
    assert "到期未销假" not in client.get(url).content.decode()
    assert not approved_leave.is_overdue()
    assert not LeaveRequest.objects.overdue(at(dt.date(2025, 11, 5), 18, 30)).exists()
    travel(at(dt.date(2025, 11, 5), 19, 1))
    client = login(world.counselor)  # a clock moved past the idle timeout signs out
    assert "到期未销假" in client.get(url).content.decode()
    assert approved_leave.is_overdue()
    assert list(LeaveRequest.objects.overdue(at(dt.date(2025, 11, 5), 19, 1))) == [approved_leave]
    overdue_only = client.get(url, {"overdue": "on"}).content.decode()
    assert "回家看病" in overdue_only or world.student.name in overdue_only


def test_leave_detail_offers_actions_by_the_clock(world, approved_leave, login, travel):
    client = login(world.student)
    url = reverse("ledgers:leave-detail", args=[approved_leave.pk])
    travel(at(dt.date(2025, 11, 3), 20))  # approved, not started yet: cancel, no 销假
    client = login(world.student)  # a clock moved past the idle timeout signs out
    page = client.get(url).content.decode()
    assert reverse("ledgers:leave-act", args=[approved_leave.pk, "cancel"]) in page
    assert reverse("ledgers:leave-act", args=[approved_leave.pk, "return"]) not in page
    travel(at(dt.date(2025, 11, 4), 9))
    client = login(world.student)  # a clock moved past the idle timeout signs out
    page = client.get(url).content.decode()
    assert reverse("ledgers:leave-act", args=[approved_leave.pk, "return"]) in page
    assert reverse("ledgers:leave-act", args=[approved_leave.pk, "cancel"]) not in page


def test_leave_overdue_is_one_rule_for_api_panel_and_tick(world, approved_leave, api, travel):
    travel(at(dt.date(2025, 11, 5), 18, 30))
    row = api(world.counselor).get(f"/api/v1/leaves/{approved_leave.pk}/").json()
    assert row["overdue"] is False
    assert selectors.manager_todo(user=world.counselor.user)["overdue_leaves"] == 0
    assert services.leave_flag_overdue(at(dt.date(2025, 11, 5), 18, 30)) == 0
    travel(at(dt.date(2025, 11, 5), 19, 1))
    assert api(world.counselor).get(f"/api/v1/leaves/{approved_leave.pk}/").json()["overdue"] is True
    assert selectors.manager_todo(user=world.counselor.user)["overdue_leaves"] == 1


# --- holiday states ------------------------------------------------------------------------------


@pytest.fixture
def new_year_window(world, term, travel):
    travel(at(REGISTERED_ON, 10))
    return services.holiday_window_open(
        actor=world.counselor.user, holiday=term["new_year"], classes=[world.class_a1]
    )[0]


def register(world, window, who="student", **kwargs):
    values = {
        "plan": "leave",
        "destination": "浙江省杭州市",
        "depart_on": DEPART,
        "return_on": dt.date(2026, 1, 3),
        "transport": "高铁",
        "emergency_contact": "张父",
        "emergency_phone": "13900000001",
    }
    values.update(kwargs)
    return services.holiday_register(actor=world[who].user, window=window, student=world[who], **values)


def test_registered_departure_is_not_away_until_its_date(world, new_year_window, login, api, travel):
    registration = register(world, new_year_window)
    student = login(world.student)
    mine = student.get(reverse("ledgers:holiday-list")).content.decode()
    assert "已登记（未离校）" in mine and "我已返校" not in mine and "离校未返" not in mine
    assert "我已离校" not in mine  # a month before the holiday
    counts = selectors.window_counts(user=world.counselor.user, windows=[new_year_window])[new_year_window.pk]
    assert (counts["planned"], counts["away"], counts["overdue"]) == (1, 0, 0)
    counselor = login(world.counselor)
    profile = counselor.get(reverse("people:student", args=[world.student.student_no])).content.decode()
    assert "未确认返校" not in profile and "已登记（未离校）" in profile
    roster = counselor.get(reverse("ledgers:holiday-window", args=[new_year_window.pk])).content.decode()
    assert "确认返校" not in roster
    row = api(world.student).get(f"/api/v1/holiday-registrations/{registration.pk}/").json()
    assert (row["status"], row["status_display"]) == ("planned", "已登记（未离校）")
    with pytest.raises(Conflict, match="尚未到离校日期"):
        services.holiday_confirm_return(actor=world.student.user, registration=registration)
    book = openpyxl.load_workbook(io.BytesIO(counselor.get(reverse("ledgers:holiday-ledger")).content))
    assert [r[14] for r in book.active.iter_rows(min_row=4, values_only=True)] == ["已登记（未离校）"]

    # On the departure date the student is away and may confirm the return.
    travel(at(DEPART, 0, 30))
    student = login(world.student)  # the test client is shared: log the student back in
    mine = student.get(reverse("ledgers:holiday-list")).content.decode()
    assert "已离校" in mine and "我已返校" in mine
    counts = selectors.window_counts(user=world.counselor.user, windows=[new_year_window])[new_year_window.pk]
    assert (counts["planned"], counts["away"]) == (0, 1)
    assert (
        api(world.student).get(f"/api/v1/holiday-registrations/{registration.pk}/").json()["status"] == "away"
    )
    # Past the return deadline without a return: overdue, and tick flags it.
    travel(at(dt.date(2026, 1, 3), 22, 1))
    student = login(world.student)  # a clock moved past the idle timeout signs out
    assert registration.status() == "overdue"
    assert services.holiday_flag_overdue(at(dt.date(2026, 1, 3), 22, 1)) >= 1
    student.post(reverse("ledgers:holiday-return", args=[registration.pk]))
    registration.refresh_from_db()
    assert registration.status() == "back"


def test_a_student_leaving_early_confirms_the_departure(world, new_year_window, login, api, travel):
    registration = register(world, new_year_window, depart_on=dt.date(2026, 1, 1))
    roommate = register(world, new_year_window, "activist", depart_on=dt.date(2026, 1, 1))
    with pytest.raises(Conflict, match="还早"):
        services.holiday_confirm_departure(actor=world.student.user, registration=registration)
    travel(at(DEPART, 16))  # a day before the registered date
    page = login(world.student).get(reverse("ledgers:holiday-list")).content.decode()
    assert "我已离校" in page and "我已返校" not in page
    login(world.student).post(reverse("ledgers:holiday-depart", args=[registration.pk]))
    registration.refresh_from_db()
    assert registration.departed_at is not None and registration.status() == "away"
    assert registration.departure_confirmed_by_name == "张三"
    # The API does the same under the same rules.
    assert (
        api(world.student_b).post(f"/api/v1/holiday-registrations/{roommate.pk}/depart/").status_code == 404
    )
    body = api(world.dorm_head).post(f"/api/v1/holiday-registrations/{roommate.pk}/depart/").json()
    assert body["status"] == "away" and body["departure_confirmed_by"] == "舍长甲"
    again = api(world.dorm_head).post(f"/api/v1/holiday-registrations/{roommate.pk}/depart/")
    assert again.status_code == 409
    counts = selectors.window_counts(user=world.counselor.user, windows=[new_year_window])[new_year_window.pk]
    assert counts["away"] == 2
    services.holiday_confirm_return(actor=world.student.user, registration=registration)


def test_status_and_its_filter_are_the_same_rule(world, new_year_window, travel):
    """status() on a row and holiday_status_q in the database agree at every moment."""
    from campusgrid.ledgers.models import holiday_status_q

    register(world, new_year_window)  # departs 12-31
    register(world, new_year_window, "activist", depart_on=dt.date(2026, 1, 1))
    register(world, new_year_window, "dorm_head", plan=HolidayPlan.STAY)
    register(world, new_year_window, "monitor", depart_on=dt.date(2026, 1, 2), return_on=dt.date(2026, 1, 3))
    travel(at(DEPART, 20))
    services.holiday_confirm_departure(
        actor=world.activist.user, registration=HolidayRegistration.objects.get(student=world.activist)
    )
    moments = [
        at(REGISTERED_ON, 12),
        at(DEPART, 0, 0),
        at(DEPART, 23, 59),
        at(dt.date(2026, 1, 1), 0, 30),
        at(dt.date(2026, 1, 3), 21, 59),
        at(dt.date(2026, 1, 3), 22, 1),
    ]
    rows = list(HolidayRegistration.objects.all())
    seen = set()
    for now, registration in itertools.product(moments, rows):
        in_memory = registration.status(now)
        matching = [
            key
            for key, q in holiday_status_q(now).items()
            if HolidayRegistration.objects.filter(q, pk=registration.pk).exists()
        ]
        assert matching == [in_memory], (now, registration.student_id)
        seen.add(in_memory)
    assert seen == set(HOLIDAY_STATUS) - {"unregistered", "back"}


# --- holiday dates -------------------------------------------------------------------------------


def test_departure_dates_are_checked_and_every_error_shown_at_once(world, new_year_window, travel):
    with pytest.raises(ServiceError) as refused:
        register(
            world,
            new_year_window,
            depart_on=dt.date(2025, 12, 1),  # before today (12-02)
            return_on=dt.date(2026, 1, 10),  # after the 01-03 22:00 deadline, no reason
            emergency_phone="110",
            transport="",
        )
    errors = refused.value.errors
    assert set(errors) == {"depart_on", "late_reason", "emergency_phone", "transport"}
    assert "不能早于今天" in errors["depart_on"]
    assert "晚返原因" in errors["late_reason"]
    with pytest.raises(ServiceError, match="离校日期应在12月29日至1月3日之间") as outside:
        register(world, new_year_window, depart_on=dt.date(2025, 12, 20))
    assert set(outside.value.errors) == {"depart_on"}
    with pytest.raises(ServiceError, match="离校日期应在"):
        register(world, new_year_window, depart_on=dt.date(2026, 1, 4), return_on=dt.date(2026, 1, 4))
    late = register(world, new_year_window, return_on=dt.date(2026, 1, 5), late_reason="1月4日考驾照")
    assert late.late_reason == "1月4日考驾照"
    # Away already: the departure date, now in the past, may stay as it was.
    travel(at(dt.date(2026, 1, 1), 10))
    changed = register(world, new_year_window, return_on=dt.date(2026, 1, 3), expected_version=late.version)
    assert changed.depart_on == DEPART and changed.late_reason == ""


def test_register_page_and_api_show_every_error(world, new_year_window, login, api):
    page = login(world.student).post(
        reverse("ledgers:holiday-register", args=[new_year_window.pk]),
        {"plan": "leave", "destination": "", "depart_on": "2025-12-01", "return_on": "2026-01-10"},
    )
    text = page.content.decode()
    assert page.status_code == 200
    for message in ("离校日期不能早于今天", "请填写晚返原因", "离校请填写目的地", "离校请填写紧急联系人"):
        assert message in text, message
    # One summary at the top links to each field (issue 12 item 6).
    summary = text[text.index('id="form-errors"') :]
    summary = summary[: summary.index("</ul>")]
    links = set(re.findall(r'href="#(id_\w+)"', summary))
    assert {"id_depart_on", "id_destination", "id_late_reason", "id_transport"} <= links
    response = api(world.student).post(
        "/api/v1/holiday-registrations/",
        {"window": new_year_window.pk, "plan": "leave", "depart_on": "2025-12-01", "return_on": "2026-01-10"},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert {"depart_on", "late_reason", "destination", "emergency_phone"} <= set(body["errors"])
    assert not HolidayRegistration.objects.exists()
