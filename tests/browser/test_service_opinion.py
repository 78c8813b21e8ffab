"""A party member files this week's 舆情 report on a phone with one item naming a student; the
counselor, at a desk, finds it in the week's summary and turns it into a problem report (舆情),
and the report page links back to the item."""

import pytest

from campusgrid.reports.models import Report
from campusgrid.service.models import OpinionItem
from tests.browser.conftest import DESKTOP, PHONE, login_as
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_party_member_files_an_item_and_the_counselor_turns_it_into_a_report(
    world, live_server, new_page, tmp_path
):
    member = new_page(**PHONE)
    login_as(member, live_server, "A2002", PASSWORD)
    # The home page tells the grid worker this week's report is due.
    member.wait_for_selector("#panel-opinion")
    member.click("#panel-opinion a")
    member.wait_for_selector("#opinion-nothing")
    member.select_option("#id_kind", label="思想动态")
    member.check("#id_source_1")  # 线下
    member.fill("#id_summary", "张三近来情绪低落，常熬夜，不愿与室友交流")
    member.fill("#id_students", "A1002")
    member.select_option("#id_severity", label="较重")
    member.screenshot(path=str(tmp_path / "member-form.png"), full_page=True)
    member.click("#opinion-submit")
    member.wait_for_selector("#opinion-done")
    assert "已报送 1 条" in member.inner_text("#opinion-status")
    member.screenshot(path=str(tmp_path / "member-filed.png"), full_page=True)
    item = OpinionItem.objects.get()
    assert item.report.reporter.username == "A2002" and list(
        item.students.values_list("student_no", flat=True)
    ) == ["A1002"]

    counselor = new_page(**DESKTOP)
    login_as(counselor, live_server, "C0001", PASSWORD)
    counselor.goto(f"{live_server.url}/service/opinion/summary/")
    assert counselor.inner_text("#count-filed") == "1"
    assert "党员戊" not in counselor.inner_text("#opinion-missing")
    assert "舍长甲" in counselor.inner_text("#opinion-missing")
    counselor.screenshot(path=str(tmp_path / "counselor-summary.png"), full_page=True)
    counselor.click(f"[data-item-id='{item.pk}']")
    counselor.click("#item-escalate")
    counselor.wait_for_selector("#report-opinion-item")
    report = Report.objects.get()
    assert report.category.name == "舆情" and report.reporter.username == "A2002"
    assert counselor.url.endswith(f"/reports/{report.pk}/")
    assert "三级" in counselor.inner_text("#report-level")
    counselor.screenshot(path=str(tmp_path / "counselor-report.png"), full_page=True)
    counselor.click("#report-opinion-item a")
    counselor.wait_for_selector("#item-problem")
    assert f"#{report.pk}" in counselor.inner_text("#item-problem")
    assert counselor.locator("#item-escalate").count() == 0
    # The party member sees the report among theirs, as its reporter.
    member.goto(f"{live_server.url}/reports/mine/")
    assert "舆情" in member.inner_text("main")
