"""The attendance journey on phones (390x844): the organiser opens a session's code, two
students sign in by typing it in WeChat's browser, the organiser ends the session and
credits the hours, and the students see them on 我的时长."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from campusgrid.core import clock
from campusgrid.service import services
from campusgrid.service.models import Attendance, HoursCredit
from tests.browser.conftest import PHONE, login_as
from tests.browser.test_csp import Watcher
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = "/tmp/service-shots"


def _shot(page, name):
    import os

    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_two_students_sign_in_by_code_and_see_their_hours(world, live_server, new_page):
    now = clock.now()  # the live server runs on the real clock
    session = services.session_create(
        actor=world.counselor.user,
        kind="education",
        title="反诈宣传主题班会",
        topic="反诈宣传",
        starts_at=now - dt.timedelta(minutes=2),
        ends_at=now + dt.timedelta(hours=1),
        place="教学楼A101",
        hours=Decimal("1.5"),
        audience_classes=[world.class_a1],
    )
    organiser = new_page(**PHONE)
    watcher = Watcher(organiser)  # no CSP violation, no script error on the organiser's pages
    login_as(organiser, live_server, "C0001", PASSWORD)
    organiser.goto(f"{live_server.url}/service/sessions/{session.pk}/")
    organiser.click("#open-code")
    organiser.wait_for_selector("#signin-code")
    qr = organiser.locator("img.qr-code")
    for _ in range(50):  # the SVG loads after the page
        if qr.evaluate("img => img.complete && img.naturalWidth > 0"):
            break
        organiser.wait_for_timeout(100)
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0"), "the QR code did not load"
    _shot(organiser, "code-page")

    for number in ("A1002", "A1004"):  # 张三 and 班长丙 type the code on their phones
        phone = new_page(**PHONE)
        login_as(phone, live_server, number, PASSWORD)
        phone.goto(f"{live_server.url}/service/my/")
        phone.click("#go-sign-in")
        code = organiser.inner_text("#signin-code").strip()
        phone.fill("#id_code", code)
        phone.click("#submit-sign-in")
        phone.wait_for_selector(".alert-success")
        assert "签到成功" in phone.inner_text(".alert-success")
        if number == "A1002":
            _shot(phone, "student-signed-in")
    # A student outside the audience is told why, in Chinese.
    outsider = new_page(**PHONE)
    login_as(outsider, live_server, "A2001", PASSWORD)
    outsider.goto(f"{live_server.url}/service/sign-in/")
    outsider.fill("#id_code", organiser.inner_text("#signin-code").strip())
    outsider.click("#submit-sign-in")
    outsider.wait_for_selector("#form-errors")
    assert "参加范围" in outsider.inner_text("#form-errors")
    _shot(outsider, "outsider-refused")

    expect(organiser.locator("#signed-count strong")).to_have_text(
        "2", timeout=15_000
    )  # htmx polls every 5 s
    assert set(Attendance.objects.filter(session=session).values_list("student__student_no", flat=True)) == {
        "A1002",
        "A1004",
    }
    organiser.click("#end-session")
    organiser.wait_for_selector("#credit-hours")
    organiser.click("#credit-hours")
    expect(organiser.locator(".alert-success")).to_contain_text("已为2人认定时长")
    _shot(organiser, "session-detail")
    assert HoursCredit.objects.filter(session=session).count() == 2
    watcher.assert_clean()

    for number in ("A1002", "A1004"):
        phone = new_page(**PHONE)
        login_as(phone, live_server, number, PASSWORD)
        phone.goto(f"{live_server.url}/service/my/hours/")
        assert phone.inner_text("#total-study").strip() == "1.5"
        assert "反诈宣传主题班会" in phone.inner_text("#hours-rows")
        if number == "A1002":
            _shot(phone, "my-hours")
