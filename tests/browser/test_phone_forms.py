"""Phone-size journeys of issue 12 (items 3, 4, 6, 11): a report form whose errors are
summarised at the top and brought into view, a photo refused in the browser before it
is uploaded, ledger tables that scroll instead of squashing, and the student's
dashboard and holiday page with states and dates that follow the clock.

Screenshots go to $CAMPUSGRID_SHOTS (default /tmp/campusgrid-shots) for a person to look at."""

import datetime as dt
import os
import pathlib

import pytest
from django.utils import timezone

from campusgrid.ledgers import services
from campusgrid.ledgers.models import LeaveRequest, LeaveState
from campusgrid.org.models import Holiday, Semester
from campusgrid.reports.models import Report
from tests.browser.conftest import PHONE, login_as
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
SHOTS = pathlib.Path(os.environ.get("CAMPUSGRID_SHOTS", "/tmp/campusgrid-shots"))


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def test_report_form_refuses_a_big_photo_in_the_browser_and_summarises_errors(
    world, live_server, new_page, tmp_path
):
    big = tmp_path / "big.jpg"
    big.write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(6 * 1024 * 1024))
    phone = new_page(**PHONE)
    login_as(phone, live_server, "A1001", PASSWORD)
    phone.goto(f"{live_server.url}/reports/new/")
    phone.set_input_files("#id_photos", str(big))
    feedback = phone.locator("#id_photos + [data-file-error]")
    feedback.wait_for()
    assert "超过5MB" in feedback.inner_text()
    assert phone.eval_on_selector("#id_photos", "el => el.files.length") == 0  # nothing to upload

    # Submitted without a description: the page comes back with the summary in view, focused.
    phone.click("#submit-report")
    phone.wait_for_selector("#form-errors")
    assert phone.evaluate("document.activeElement.id") == "form-errors"
    box = phone.locator("#form-errors").bounding_box()
    navbar = phone.locator("nav.navbar").bounding_box()
    assert navbar["height"] <= box["y"] < PHONE["viewport"]["height"]  # below the sticky navbar
    shot(phone, "report-form-error-phone")
    phone.click("#form-errors a[data-field=description]")
    assert phone.evaluate("document.activeElement.id") == "id_description"
    assert not Report.objects.exists()


def _term_around_today():
    today = timezone.localdate()
    semester = Semester.objects.create(
        name="当前学期", start=today - dt.timedelta(days=60), end=today + dt.timedelta(days=90)
    )
    return today, Holiday.objects.create(
        semester=semester,
        name="元旦",
        start=today + dt.timedelta(days=30),
        end=today + dt.timedelta(days=32),
    )


def test_student_sees_a_registered_departure_and_leave_dates_in_beijing_time(world, live_server, new_page):
    today, holiday = _term_around_today()
    window = services.holiday_window_open(
        actor=world.counselor.user, holiday=holiday, classes=[world.class_a1]
    )[0]
    services.holiday_register(
        actor=world.student.user,
        window=window,
        student=world.student,
        plan="leave",
        destination="浙江省杭州市",
        depart_on=holiday.start - dt.timedelta(days=1),
        return_on=holiday.end,
        transport="高铁",
        emergency_contact="张父",
        emergency_phone="13900000001",
    )
    start = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=2), dt.time(2, 35)))
    LeaveRequest.objects.create(
        student=world.student,
        start=start,
        end=start + dt.timedelta(days=2),
        reason="回家",
        state=LeaveState.APPROVED,
    )
    phone = new_page(**PHONE)
    login_as(phone, live_server, "A1002", PASSWORD)
    panel = phone.locator("#panel-ledgers-student")
    text = panel.inner_text()
    first, last = start.date(), (start + dt.timedelta(days=2)).date()
    assert f"{first.year}年{first.month}月{first.day}日–{last.year}年{last.month}月{last.day}日" in text
    assert "已登记（未离校）" in text
    shot(phone, "student-dashboard-phone")
    phone.goto(f"{live_server.url}/ledgers/holiday/")
    mine = phone.locator("#my-holidays")
    assert "已登记（未离校）" in mine.inner_text() and "我已返校" not in mine.inner_text()
    shot(phone, "holiday-page-phone")


def test_ledger_tables_scroll_on_a_phone_instead_of_squashing(world, live_server, new_page):
    today, holiday = _term_around_today()
    services.holiday_window_open(
        actor=world.counselor.user, holiday=holiday, classes=[world.class_a1, world.class_a2]
    )
    phone = new_page(**PHONE)
    login_as(phone, live_server, "C0001", PASSWORD)
    phone.goto(f"{live_server.url}/ledgers/holiday/")
    table = phone.locator("#holiday-windows")
    table.wait_for()
    heights = phone.eval_on_selector_all(
        "#holiday-windows th, #holiday-windows td", "els => els.map(e => e.offsetHeight)"
    )
    line = phone.eval_on_selector("#holiday-windows td", "el => parseFloat(getComputedStyle(el).lineHeight)")
    assert max(heights) < 2.5 * line, heights  # one line per cell, not one character per line
    # The page itself does not scroll sideways: the table does.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]
    assert (
        phone.eval_on_selector("#holiday-windows", "el => el.closest('.table-responsive').scrollWidth") > 390
    )
    shot(phone, "ledger-table-phone")
    phone.goto(f"{live_server.url}/ledgers/night/records/")
    phone.locator("label[for=id_date_from]").wait_for()
    shot(phone, "night-ledger-phone")
