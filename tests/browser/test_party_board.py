"""The secretary's desk on a desktop: the board shows a warning (the branch meeting is overdue a
month after the 预审), the secretary schedules the 支部党员大会, takes attendance and records
the vote; the file shows the meeting and its resolution; the college's leader records the
committee's approval and the student's political status becomes 中共预备党员."""

import datetime as dt

import pytest

from campusgrid.core import clock
from campusgrid.party.models import DevelopmentFile, Step
from campusgrid.people.models import Student
from tests.browser.conftest import DESKTOP, login_as
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _candidate(world):
    """李四 (A2001): a development candidate whose 预审 passed 40 days ago (2026 rules)."""
    today = clock.today()
    Student.objects.filter(pk=world.mixed_a2.pk).update(political_status="candidate")
    file = DevelopmentFile.objects.create(
        student=world.mixed_a2,
        branch=world.branch,
        college=world.college_a,
        rule_version="2026",
        applied_on=today - dt.timedelta(days=800),
        stage="candidate",
        status_before="league_member",
    )
    for code, days, data in (
        ("application", 800, {}),
        ("talk", 790, {}),
        ("activist", 700, {}),
        ("report", 450, {}),
        ("publicity", 300, {"end": str(today - dt.timedelta(days=290))}),
        ("candidate", 280, {}),
        ("sponsors", 270, {"names": ["党员戊", "书记辛"]}),
        ("political_review", 260, {"conclusion": "合格"}),
        ("training", 250, {"hours": 24}),
        ("pre_review", 40, {"result": "合格"}),
    ):
        Step.objects.create(file=file, code=code, on=today - dt.timedelta(days=days), data=data)
    return file


def test_secretary_sees_the_warning_schedules_and_records_the_meeting(world, live_server, new_page, tmp_path):
    file = _candidate(world)
    page = new_page(**DESKTOP)
    login_as(page, live_server, "A2005", PASSWORD)  # 书记辛
    page.goto(f"{live_server.url}/party/")
    warning = page.locator("#board-warnings [data-warning='meeting_overdue']")
    assert warning.count() == 1 and "支部党员大会" in warning.inner_text()
    page.screenshot(path=str(tmp_path / "board.png"), full_page=True)

    page.click("#meetings-link")
    page.get_by_label("李四（发展对象）").check()
    page.click("#meeting-schedule")
    page.wait_for_selector("#meeting-record")
    assert "已安排" in page.inner_text("#meeting-state")

    today = clock.today().isoformat()
    page.fill("#id_held_on", today)
    page.fill("#id_members_due", "5")
    page.fill("#id_present", "3")
    page.fill("#id_written_opinions", "1")
    page.fill("#id_ballots_issued", "3")
    page.fill("#id_ballots_returned", "3")
    page.screenshot(path="/tmp/party_debug.png", full_page=True)
    for name in ("班长丙", "党员戊", "书记辛"):
        page.get_by_label(name, exact=True).check()
    page.fill(f"#id_v{file.pk}_yes", "3")
    page.fill(f"#id_v{file.pk}_no", "0")
    page.fill(f"#id_v{file.pk}_abstain", "1")
    page.fill(f"#id_v{file.pk}_resolution", "支部党员大会同意接收李四为中共预备党员")
    page.screenshot(path=str(tmp_path / "meeting.png"), full_page=True)
    page.click("#meeting-record")
    page.wait_for_selector("#meeting-votes")
    assert "已召开" in page.inner_text("#meeting-state")
    assert "通过" in page.inner_text("#meeting-votes")

    page.click("#meeting-votes a")
    page.wait_for_selector("#timeline")
    assert "table-success" in page.get_attribute("#timeline tr[data-step='meeting']", "class")
    assert "同意接收李四" in page.inner_text("#file-votes")
    assert page.locator("[data-warning='meeting_overdue']").count() == 0
    assert page.inner_text("#political-status") == "发展对象"  # admitted by the committee's approval

    leader = new_page(**DESKTOP)
    login_as(leader, live_server, "L0001", PASSWORD)
    leader.goto(f"{live_server.url}/party/files/A2001/")
    leader.fill("#id_probationary-date", today)
    leader.click("button[data-record='probationary']")
    leader.wait_for_selector("#file-stage")
    assert "中共预备党员" in leader.inner_text("#file-stage")
    assert leader.inner_text("#political-status") == "中共预备党员"
    leader.screenshot(path=str(tmp_path / "file.png"), full_page=True)
    assert Student.objects.get(pk=world.mixed_a2.pk).political_status == "probationary"
    page.goto(f"{live_server.url}/party/files/A2001/")
    assert page.inner_text("#political-status") == "中共预备党员"
    import shutil

    for name in ("board.png", "meeting.png", "file.png"):
        shutil.copy(tmp_path / name, f"/tmp/party_{name}")
