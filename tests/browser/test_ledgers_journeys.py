"""Ledger journeys in Chromium: a dorm head's night check on a phone (one absent
student, under ten taps, at most three requests) seen on the counselor's
dashboard; a counselor's inspection with a photo whose re-inspection after the
deadline reports it to the college."""

import datetime as dt

import pytest
from PIL import Image

from campusgrid.ledgers.models import Finding, LedgerSettings, NightCheck
from campusgrid.reports.models import Report
from tests.browser.conftest import DESKTOP, PHONE, login_as
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


class Taps:
    """Counts what a person taps (clicks, checks, selects) on the page."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def tap(self, selector):
        self.count += 1
        self.page.click(selector)


@pytest.fixture
def night_open_all_day(db):
    """The live server runs on the real clock: open tonight's check whatever the hour."""
    settings = LedgerSettings.get()
    settings.check_open_time = dt.time(0, 0)
    settings.correction_cutoff = dt.time(0, 0)
    settings.save()


def test_dorm_head_checks_tonight_on_a_phone_and_the_counselor_sees_it(
    world, live_server, new_page, night_open_all_day
):
    phone = new_page(**PHONE)
    login_as(phone, live_server, "A1001", PASSWORD)
    requests = []
    phone.on(
        "request",
        lambda r: (
            requests.append(r.method + " " + r.url)
            if r.resource_type in ("document", "xhr", "fetch")
            else None
        ),
    )
    taps = Taps(phone)
    taps.tap("#start-night-check")  # the home panel: 今晚查寝 → 开始查寝
    phone.wait_for_selector("#night-check-card")
    assert phone.inner_text("#night-state") == "未查寝"
    assert phone.locator("#night-check-card li[data-student]").count() == 4
    taps.tap("label[for=s-A1002-absent]")  # 张三 is not back
    assert phone.inner_text("#night-submit") == "提交查寝"
    taps.tap("#night-submit")
    phone.wait_for_selector("#night-saved")
    assert "未归1人" in phone.inner_text("#night-saved") and "在寝3人" in phone.inner_text("#night-saved")
    assert phone.inner_text("#night-state") == "已查寝"
    assert taps.count < 10
    check_requests = [r for r in requests if "/ledgers/night/" in r]
    assert len(check_requests) <= 3, check_requests
    check = NightCheck.objects.get(room=world.room_a1)
    assert (check.present_count, check.absent_count) == (3, 1)
    report = Report.objects.get(category__name="夜不归宿")
    assert report.level == 3

    counselor = new_page(**DESKTOP)
    login_as(counselor, live_server, "C0001", PASSWORD)
    panel = counselor.locator("#panel-night-progress")
    assert panel.locator("[data-room='东1/301']").count() == 1  # the room's check
    assert "张三" in panel.inner_text() and f"上报 #{report.pk}" in panel.inner_text()
    todo = counselor.inner_text("#todo-count")
    assert int(todo) >= 1
    counselor.click(f"text=夜不归宿 #{report.pk}")
    counselor.wait_for_selector("#timeline")
    assert "未归寝" in counselor.inner_text("main")
    assert "三级" in counselor.inner_text("#report-level")


def _photo(tmp_path):
    path = tmp_path / "heater.png"
    Image.new("RGB", (64, 48), "orange").save(path)
    return path


def test_counselor_inspects_with_a_photo_and_the_unfixed_finding_reaches_the_college(
    world, live_server, new_page, tmp_path
):
    page = new_page(**DESKTOP)
    login_as(page, live_server, "C0001", PASSWORD)
    page.goto(f"{live_server.url}/ledgers/inspections/new/")
    page.fill("#id_title", "第11周安全卫生检查")
    page.select_option("#id_kind", "both")
    page.fill("#id_rooms", "东1/301, 东1/302")
    page.click("#submit-round")
    page.wait_for_selector("#round-rooms")
    page.click("[data-room='东1/301']")
    page.wait_for_selector("#finding-form")
    page.select_option("#id_item", label="违章电器")
    page.fill("#id_description", "床下发现电热锅")
    page.set_input_files("#id_photo", str(_photo(tmp_path)))
    page.check("#resp-A1002")
    page.click("#submit-finding")
    page.wait_for_selector("[data-finding]")
    page.fill("#id_hygiene_score", "78")
    page.click("#submit-record")
    page.wait_for_selector("#round-figures")
    assert "有违章电器 1 间" in page.inner_text("#round-figures")
    finding = Finding.objects.get()
    assert finding.photo and finding.state == "open"

    # The rectification deadline passes (the live server keeps the real clock, so the
    # deadline is moved back instead) and the re-inspection finds it still there.
    Finding.objects.filter(pk=finding.pk).update(deadline=dt.date.today() - dt.timedelta(days=1))
    page.goto(f"{live_server.url}/ledgers/findings/{finding.pk}/")
    assert page.locator("img[alt=隐患照片]").evaluate("img => img.naturalWidth") == 64
    page.click("label[for=result-not_fixed]")
    page.fill("#recheck-form input[name=note]", "复查仍在使用")
    page.click("#submit-recheck")
    page.wait_for_selector("#finding-report")
    assert page.inner_text("#finding-state") == "已上报"
    report = Report.objects.get(source_key=f"finding:{finding.pk}")
    assert report.level == 4 and report.category.name == "违章电器"

    leader = new_page(**PHONE)
    login_as(leader, live_server, "L0001", PASSWORD)
    leader.goto(f"{live_server.url}/reports/todo/")
    leader.click(f"[data-report-id='{report.pk}']")
    leader.wait_for_selector("#timeline")
    assert "四级" in leader.inner_text("#report-level")
    assert "电热锅" in leader.inner_text("main") and "复查未整改" in leader.inner_text("main")
