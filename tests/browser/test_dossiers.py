"""The key-student journey in Chromium: a counselor accepts an early-warning
proposal, writes a talk record and exports the handover PDF; the monitor of the
same class cannot open the dossier, by link or by search."""

import datetime as dt
import io
import re

import pytest
from django.utils import timezone

from campusgrid.dossiers.models import KeyStudent, TalkRecord, WarningProposal
from campusgrid.dossiers.warnings import run_rules
from campusgrid.people.models import AccessLog
from campusgrid.reports.services import report_create
from tests.browser.conftest import PHONE, login_as
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _two_discipline_reports(world):
    now = timezone.now()
    for days, text in ((20, "晚归后翻越宿舍围墙"), (3, "寝室内使用违章电器且拒不配合检查")):
        report = report_create(
            actor=world.dorm_head.user,
            category="违纪",
            severity="normal",
            description=text,
            students=[world.student],
        )
        report.created_at = now - dt.timedelta(days=days)
        report.save(update_fields=["created_at"])
    assert run_rules() == 1


def test_counselor_accepts_a_proposal_talks_and_exports_the_handover(world, live_server, page, tmp_path):
    _two_discipline_reports(world)
    proposal = WarningProposal.objects.get()

    login_as(page, live_server, "C0001", PASSWORD)
    page.locator("#main-nav").get_by_role("link", name=re.compile("重点学生预警")).click()
    page.wait_for_url(f"{live_server.url}/dossiers/warnings/")
    card = page.locator(f"[data-proposal-id='{proposal.pk}']")
    assert "多次违纪" in card.inner_text() and "180天内有2次违纪上报" in card.inner_text()
    assert card.locator("ul.records li").count() == 2  # the records it rests on
    card.locator("select[name=risk_level]").select_option("key")
    card.locator("button.accept-proposal").click()
    page.wait_for_url(f"{live_server.url}/dossiers/A1002/")
    assert "违纪" in page.inner_text("#key-reasons") and page.inner_text("#key-level") == "重点关注"
    assert KeyStudent.objects.get().active

    page.click("#new-talk")
    page.wait_for_url(f"{live_server.url}/dossiers/A1002/talks/new/")
    page.fill("#id_place", "学院谈心室")
    page.fill("#id_summary", "谈及两次违纪的原因，学生表示认识到问题，愿意遵守宿舍规定。")
    page.fill("#id_next_step", "两周后复查，请舍长协助关注")
    page.click("#save-talk")
    page.wait_for_url(f"{live_server.url}/dossiers/A1002/#talks")
    assert "愿意遵守宿舍规定" in page.inner_text("#talks")
    assert TalkRecord.objects.get().place == "学院谈心室"

    with page.expect_download() as download_info:
        page.click("#export-pdf")
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf") and "张三" in download.suggested_filename
    path = tmp_path / "handover.pdf"
    download.save_as(path)
    from pypdf import PdfReader

    text = re.sub(
        r"[\s\x00]", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages)
    )
    assert "张三" in text and "愿意遵守宿舍规定" in text
    assert AccessLog.objects.filter(student_no="A1002", action="export", item="dossier").count() == 1


def test_monitor_of_the_same_class_cannot_open_the_dossier(world, live_server, new_page):
    _two_discipline_reports(world)
    from campusgrid.dossiers import services

    services.key_student_mark(
        actor=world.counselor.user, student=world.student, reasons=["心理"], risk_level="高危"
    )
    page = new_page(**PHONE)
    login_as(page, live_server, "A1004", PASSWORD)  # 班长丙, monitor of 化工2401 like 张三
    # By link.
    for path in ["/dossiers/A1002/", "/dossiers/A1002/pdf/", "/dossiers/", "/dossiers/warnings/"]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 404, path
        assert "高危" not in page.content()
    # By search: the student is found in the roster, but nothing leads to the file.
    page.goto(f"{live_server.url}/students/")
    page.fill("#student-search", "张三")
    results = page.locator("#list-rows")
    results.get_by_role("link", name="张三").click()
    page.wait_for_url(f"{live_server.url}/students/A1002/")
    assert page.locator("#dossier-link").count() == 0
    assert "一人一档" not in page.content() and "高危" not in page.content()
    response = page.goto(f"{live_server.url}/dossiers/?q=张三")
    assert response.status == 404
    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="菜单").click()
    assert page.locator("#sidebar").get_by_role("link", name="重点学生").count() == 0
    assert not AccessLog.objects.filter(actor=world.monitor.user).exists()
