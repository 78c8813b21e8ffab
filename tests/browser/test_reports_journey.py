"""A report's whole life on phones: the dorm head reports a hazard with a photo,
the monitor escalates, the counselor accepts, handles and feeds back, the dorm
head confirms, and the timeline shows all of it."""

import pytest
from PIL import Image

from campusgrid.reports.models import Report
from tests.browser.conftest import login_as
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _png(tmp_path):
    path = tmp_path / "hazard.png"
    Image.new("RGB", (40, 30), "orange").save(path)
    return path


def _act(page, action, note=None):
    form = page.locator(f"form:has(button[data-action='{action}'])")
    if note is not None:
        form.locator("textarea[name=note]").fill(note)
    form.locator(f"button[data-action='{action}']").click()
    page.wait_for_load_state()


def test_report_from_phone_to_closed(world, live_server, new_page, tmp_path):
    from tests.browser.conftest import PHONE

    dorm_head = new_page(**PHONE)
    login_as(dorm_head, live_server, "A1001", PASSWORD)
    dorm_head.goto(f"{live_server.url}/reports/new/")
    dorm_head.select_option("#id_category", label="违章电器")
    dorm_head.click("label[for=sev-serious]")
    dorm_head.check("#stu-A1002")
    dorm_head.select_option("#id_room", "东1/301")
    dorm_head.fill("#id_description", "发现使用电热锅，已劝阻")
    dorm_head.set_input_files("#id_photos", str(_png(tmp_path)))
    dorm_head.click("#submit-report")
    dorm_head.wait_for_selector("#timeline")
    assert "二级" in dorm_head.inner_text("#report-level")
    report = Report.objects.get()
    assert report.photos.count() == 1
    # The photo is served back (only to those who may see the report) once it has loaded.
    dorm_head.wait_for_function(
        "() => { const i = document.querySelector('img[alt=现场照片]'); return i && i.complete; }"
    )
    assert dorm_head.locator("img[alt=现场照片]").evaluate("img => img.naturalWidth") == 40
    url = f"{live_server.url}/reports/{report.pk}/"

    monitor = new_page(**PHONE)
    login_as(monitor, live_server, "A1004", PASSWORD)
    monitor.goto(f"{live_server.url}/reports/todo/")
    monitor.click(f"[data-report-id='{report.pk}']")
    _act(monitor, "escalate", "宿舍内无法解决，请辅导员处理")
    assert "三级" in monitor.inner_text("#report-level")

    counselor = new_page(**PHONE)
    login_as(counselor, live_server, "C0001", PASSWORD)
    counselor.goto(f"{live_server.url}/reports/todo/")
    counselor.click(f"[data-report-id='{report.pk}']")
    _act(counselor, "accept")
    # Two steps here (处理完成, then 反馈结果): the one-step option is on by default.
    counselor.uncheck("#handle-also_feedback")
    _act(counselor, "handle", "电热锅已暂扣，已进行安全教育")
    _act(counselor, "feedback", "已处理，请督促寝室遵守用电规定")
    assert counselor.inner_text("#report-state") == "已反馈"

    dorm_head.goto(url)
    _act(dorm_head, "confirm")
    assert dorm_head.inner_text("#report-state") == "已办结"
    timeline = dorm_head.inner_text("#timeline")
    for word in ["上报", "上报上一级", "受理", "处理完成", "反馈结果", "确认办结", "电热锅已暂扣"]:
        assert word in timeline, word
