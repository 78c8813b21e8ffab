"""The handover document: a PDF in Chinese (the text is really there, not boxes),
with the dossier's parts and the sections other apps register; each export logged."""

import io
import re

import pytest
from django.urls import reverse

from campusgrid.core import registry
from campusgrid.people.models import AccessLog

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    text = "".join(page.extract_text() for page in reader.pages)
    # pypdf may put spaces (and, for CID fonts, NULs) between CJK characters.
    return re.sub(r"[\s\x00]", "", text)


def test_handover_pdf_has_the_student_in_chinese_and_is_logged(world, files, login):
    response = login(world.counselor).get(reverse("dossiers:pdf", args=["A1002"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    content = response.content
    assert content.startswith(b"%PDF") and b"NotoSansCJK" in content  # the CJK font is embedded
    text = pdf_text(content)
    for expected in [
        "张三",
        "A1002",
        "重点学生档案（一人一档）交接文档",
        "心理、经济困难",
        "高危",
        "情绪低落，失眠两周",  # the talk record, decrypted for the document
        "预约心理咨询",
        "UPI总分32",
        "舍长甲",  # the management chain
        "辅导员甲",
        "移交人（签字）",
    ]:
        assert expected in text, expected
    assert "110101200501011239" not in text and "110***********1239" in text  # the ID number masked
    row = AccessLog.objects.get()
    assert (row.action, row.item, row.student_no, row.actor) == (
        "export",
        "dossier",
        "A1002",
        world.counselor.user,
    )


def test_sections_registered_for_the_dossier_are_in_the_document(world, files, login):
    section = registry.Section(
        "test-ledger",
        "dossiers/section_lines.html",
        lambda request, student: {"title": "测试台账", "lines": ["10月3日 夜不归宿"]},
        order=99,
    )
    registry.register_section("dossier", section)
    try:
        page = login(world.counselor).get(reverse("dossiers:dossier", args=["A1002"])).content.decode()
        assert "测试台账" in page and "10月3日 夜不归宿" in page
        text = pdf_text(login(world.counselor).get(reverse("dossiers:pdf", args=["A1002"])).content)
        assert "测试台账" in text and "10月3日夜不归宿" in text
    finally:
        registry.SECTIONS["dossier"].remove(section)


def test_a_student_without_a_file_still_has_a_document(world, login):
    text = pdf_text(login(world.leader).get(reverse("dossiers:pdf", args=["A2001"])).content)
    assert "李四" in text and "该学生未列入重点学生名单" in text


def test_handover_pdf_pages_render_with_their_chinese_headings(world, files, login):
    """Rendered by poppler, not only extracted: every page carries ink and the headings are
    drawn in the CJK font (tests/pdf_render.py)."""
    from .. import pdf_render

    content = login(world.counselor).get(reverse("dossiers:pdf", args=["A1002"])).content
    pdf_render.assert_headings(
        content, ["基本信息", "重点学生信息", "网格链", "谈心谈话记录", "交接确认"], size=12
    )
    pages = pdf_render.render_pages(content)
    assert pdf_render.heading_score(pages, "重点学生档案（一人一档）交接文档", 17) >= pdf_render.THRESHOLD
