"""Issue 12 item 1 on phones: the dorm head marks 张三 未归 and submits (a 夜不归宿
report reaches the counselor), then corrects her to 在寝; the check page says the
report was withdrawn, the counselor's 待办 no longer holds it, and its timeline
says why."""

import datetime as dt
import os

import pytest

from campusgrid.ledgers.models import LedgerSettings
from campusgrid.reports.models import Report, State
from tests.browser.conftest import PHONE, login_as
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
SHOTS = os.environ.get("CAMPUSGRID_SCREENSHOTS")  # a folder: keep PNGs of the pages to look at


@pytest.fixture
def night_open_all_day(db):
    """The live server runs on the real clock: open tonight's check whatever the hour."""
    settings = LedgerSettings.get()
    settings.check_open_time = dt.time(0, 0)
    settings.correction_cutoff = dt.time(0, 0)
    settings.save()


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_corrected_absence_leaves_the_counselors_todo_with_the_reason(
    world, live_server, new_page, night_open_all_day
):
    phone = new_page(**PHONE)
    login_as(phone, live_server, "A1001", PASSWORD)
    phone.click("#start-night-check")
    phone.wait_for_selector("#night-check-card")
    phone.click("label[for=s-A1002-absent]")
    phone.click("#night-submit")
    phone.wait_for_selector("#night-saved")
    report = Report.objects.get(category__name="夜不归宿")
    badge = phone.locator("li[data-student=A1002] [data-report-state]")
    assert badge.inner_text() == f"已上报 #{report.pk}"

    counselor = new_page(**PHONE)
    login_as(counselor, live_server, "C0001", PASSWORD)
    counselor.goto(f"{live_server.url}/reports/todo/")
    assert counselor.locator(f"[data-report-id='{report.pk}']").count() == 1
    # The notice of the new report is counted on the phone header, not only inside ☰.
    assert int(counselor.inner_text("#header-unread")) >= 1
    assert counselor.locator("#header-unread").is_visible()

    # The dorm head corrects 张三 to 在寝 before the cut-off.
    phone.click("label[for=s-A1002-present]")
    # #night-saved is still on the page from the first submit: wait for this correction's answer.
    with phone.expect_response(lambda r: r.request.method == "POST" and "/ledgers/night/" in r.url):
        phone.click("#night-submit")
    phone.reload()
    phone.wait_for_selector("#night-check-card")
    badge = phone.locator("li[data-student=A1002] [data-report-state]")
    assert badge.inner_text() == f"已撤销 #{report.pk}"
    assert "已上报" not in phone.inner_text("li[data-student=A1002]")
    _shot(phone, "withdraw-dorm-head-check")
    report.refresh_from_db()
    assert report.state == State.WITHDRAWN

    counselor.goto(f"{live_server.url}/reports/todo/")
    assert counselor.locator(f"[data-report-id='{report.pk}']").count() == 0
    counselor.goto(f"{live_server.url}/reports/{report.pk}/")
    counselor.wait_for_selector("#timeline")
    assert counselor.inner_text("#report-state") == "已撤销"
    timeline = counselor.inner_text("#timeline")
    assert "撤销" in timeline and "查寝更正：在寝" in timeline and "系统" in timeline
    assert counselor.locator("#report-actions").count() == 0  # nothing left to do
    _shot(counselor, "withdraw-counselor-report")
    counselor.goto(f"{live_server.url}/notifications/")
    assert "已撤销" in counselor.inner_text("main")


def test_failed_transfer_on_a_phone_keeps_what_was_typed(world, live_server, new_page):
    from campusgrid.reports import services

    report = services.report_create(
        actor=world.monitor.user,
        category="安全隐患",
        severity="normal",
        description="插线板冒烟",
        students=[world.student],
    )
    counselor = new_page(**PHONE)
    login_as(counselor, live_server, "C0001", PASSWORD)
    counselor.goto(f"{live_server.url}/reports/{report.pk}/")
    form = counselor.locator("#action-transfer")
    form.locator("textarea[name=note]").fill("请班主任跟进")
    form.locator("input[name=assignee]").fill("T9999")
    form.locator("button[data-action=transfer]").click()
    counselor.wait_for_selector("[data-action-error=transfer]")
    form = counselor.locator("#action-transfer")
    assert "“同级转办”未完成" in form.inner_text() and "T9999" in form.inner_text()
    assert form.locator("input[name=assignee]").input_value() == "T9999"
    assert form.locator("textarea[name=note]").input_value() == "请班主任跟进"
    # The field with the error has the focus, so the phone shows it (not the top of the page).
    assert counselor.evaluate("document.activeElement.name") == "assignee"
    _shot(counselor, "failed-transfer")
