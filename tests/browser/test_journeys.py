"""Journeys through the pages in Chromium (issue 2 §8, issue 3 Done-when)."""

import pytest

from campusgrid.people.models import Student
from tests.factories import PASSWORD
from tests.grid import rosters as r

from .conftest import login_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_counselor_logs_in_on_a_phone_and_finds_a_student_by_search(world, live_server, phone_page):
    page = phone_page
    login_as(page, live_server, "C0001", PASSWORD)
    # On a phone the navigation sits behind the menu button.
    page.get_by_role("button", name="菜单").click()
    page.locator("#sidebar").get_by_role("button", name="网格").click()  # the menu's 网格 group opens
    page.locator("#sidebar").get_by_role("link", name="学生名册").click()
    page.wait_for_url(f"{live_server.url}/students/")
    results = page.locator("#list-rows")
    results.get_by_text("共 11 人").wait_for()

    page.fill("#student-search", "张三")
    results.get_by_text("共 1 人").wait_for()  # htmx swapped the results in place
    assert "q=" in page.url  # and the search is in the address, for back and share
    rows = results.locator("tbody tr")
    assert rows.count() == 1 and "A1002" in rows.first.inner_text()

    page.fill("#student-search", "ls")  # pinyin initials find 李四
    results.get_by_role("link", name="李四").wait_for()
    assert results.locator("tbody tr").count() == 1

    page.fill("#student-search", "张三")
    results.get_by_role("link", name="张三").wait_for()
    results.get_by_role("link", name="张三").click()
    page.wait_for_url(f"{live_server.url}/students/A1002/")
    chains = page.locator("#chains")
    for name in ["舍长甲", "班长丙", "辅导员甲"]:
        chains.get_by_text(name).first.wait_for()
    # Nothing is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_counselor_imports_a_roster_and_sees_its_holes(world, live_server, page, tmp_path):
    rows = [
        r.student("A2101", "新生甲", 学院="化工学院", 班级="化工2402", 楼栋="东1", 寝室号="305"),
        r.student("A2102", "新生乙", 学院="化工学院", 班级="化工2402", 楼栋="东1", 寝室号="305"),
        r.student("A2103", "新生丙", 学院="化工学院", 班级="化工2402", 楼栋="", 寝室号=""),
    ]
    path = r.write_xlsx(
        tmp_path / "新生名册.xlsx", rows, headers=["学号", "姓名", "性别", "学院", "班级", "楼栋", "寝室号"]
    )
    login_as(page, live_server, "C0001", PASSWORD)
    page.locator("#sidebar").get_by_role("button", name="管理").click()  # the menu's 管理 group opens
    page.locator("#sidebar").get_by_role("link", name="导入名册").click()
    page.wait_for_url(f"{live_server.url}/grid/import/")
    page.select_option("#id_kind", "roster")
    page.set_input_files("#id_file", str(path))
    page.click("#upload-button")

    preview = page.locator("#import-preview")
    preview.wait_for()
    assert page.locator("#count-new").inner_text() == "3"
    assert page.locator("#count-rejected").inner_text() == "0"
    assert "新生名册.xlsx" in preview.inner_text()
    assert not Student.objects.filter(student_no__startswith="A21").exists()

    page.click("#confirm-import")
    page.wait_for_url(f"{live_server.url}/grid/coverage/")
    assert "已导入：新增3" in page.locator("main").inner_text()
    assert Student.objects.filter(student_no__startswith="A21").count() == 3
    gaps = page.locator("#gaps")
    room_hole = gaps.locator("[data-gap-kind=room_without_dorm_head]")
    assert room_hole.count() == 1 and "东1/305" in room_hole.inner_text()
    homeless = gaps.locator("[data-gap-kind=student_without_room]")
    assert homeless.count() == 1 and "A2103" in homeless.inner_text()
    assert page.locator("#gap-count").inner_text() == "2"

    # Each hole links to its fix: appoint a dorm head for 东1/305.
    room_hole.get_by_role("link", name="去处理").click()
    page.get_by_role("heading", name="任命舍长").wait_for()
    assert "新生甲" in page.locator("#candidates").inner_text()
