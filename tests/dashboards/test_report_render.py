"""The semester report's PDF rendered by poppler: pages not blank, every section heading drawn
in Chinese, the charts drawn; and the check itself fails on a heading that is not there."""

import io

import pytest
from openpyxl import load_workbook

from campusgrid.dashboards.report.compute import build
from campusgrid.dashboards.report.figures import SECTIONS
from campusgrid.dashboards.report.pdf import report_pdf
from campusgrid.dashboards.report.xlsx import report_xlsx

from .. import pdf_render
from . import report_records

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("apps_above_unregistered")]


@pytest.fixture
def data(world):
    records = report_records.build(world)
    return build(college=world.college_a, semester=records["semester"])


def test_the_report_pdf_renders_every_section_heading_in_chinese(data):
    content = report_pdf(data, exported_by="院领导甲")
    assert content.startswith(b"%PDF") and b"NotoSansCJK" in content
    pages = pdf_render.assert_headings(content, [title for _, title in SECTIONS], size=13)
    assert len(pages) >= 2
    assert pdf_render.heading_score(pages, data["title"], 17) >= pdf_render.THRESHOLD
    # The charts' bars and lines are drawn in the report's blue (52, 101, 164).
    assert pdf_render.colour_pixels(content, (52, 101, 164)) > 200


def test_the_render_check_fails_for_a_heading_the_pdf_does_not_have(data):
    content = report_pdf(data)
    pages = pdf_render.render_pages(content)
    assert pdf_render.heading_score(pages, "十、不存在的标题", 13) < pdf_render.THRESHOLD
    assert pdf_render.heading_score(pages, "四、公寓安全与党建", 13) < pdf_render.THRESHOLD  # 2 of 9 differ
    with pytest.raises(AssertionError, match="not drawn"):
        pdf_render.assert_headings(content, ["十、不存在的标题"], size=13)


def test_a_blank_page_fails_the_render_check():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    page = pdf_render.render_pages(bytes(pdf.output()))[0]
    with pytest.raises(AssertionError, match="blank"):
        pdf_render.assert_not_blank(page)


def test_the_xlsx_has_every_figure_with_its_list_url(data):
    book = load_workbook(io.BytesIO(report_xlsx(data)), read_only=True)
    rows = list(book["学期报告"].iter_rows(values_only=True))
    assert rows[2] == ("部分", "指标", "数值", "单位", "说明", "数据来源", "明细列表")
    by_label = {r[1]: r for r in rows[3:]}
    assert by_label["违章电器使用率变化"][2] == -60
    assert (
        by_label["违章电器使用率变化"][6].startswith("http://")
        and "/ledgers/inspections/" in by_label["违章电器使用率变化"][6]
    )
    assert by_label["发展党员人数"][2] == "未启用"
    assert "问题上报（按类别）" in book.sheetnames
    category = list(book["问题上报（按类别）"].iter_rows(values_only=True))
    assert category[1][:3] == ("项目", "数量", "受理用时中位数（小时）")
    assert {r[0]: r[1] for r in category[2:]}["违章电器"] == 2
