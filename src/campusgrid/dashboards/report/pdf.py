"""The semester report as a PDF (fpdf2, the project's PDF library, in the Noto Sans CJK SC font
dossiers/pdf.py uses): a table of figures per section, each value a link to its rows, and the
breakdowns drawn as bar and line charts."""

from __future__ import annotations

import math

from campusgrid.dossiers.pdf import font_path

from .compute import absolute

BLUE = (52, 101, 164)
GREY = (110, 110, 110)
HEADING_FILL = (226, 236, 248)
PAGE_W = 210
MARGIN = 16
WIDTH = PAGE_W - 2 * MARGIN


def _document(title: str, footer: str):
    from fpdf import FPDF

    class Page(FPDF):
        def footer(self):
            self.set_y(-12)
            self.set_font("noto", size=8)
            self.set_text_color(*GREY)
            self.cell(0, 5, f"{footer} · 第{self.page_no()}/{{nb}}页", align="C")
            self.set_text_color(0, 0, 0)

    pdf = Page(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.set_margins(MARGIN, 14, MARGIN)
    pdf.add_font("noto", "", str(font_path()))
    pdf.set_title(title)
    pdf.set_creator("CampusGrid")
    pdf.alias_nb_pages()
    pdf.add_page()
    return pdf


def _room(pdf, height: float) -> None:
    if pdf.get_y() + height > pdf.h - 18:
        pdf.add_page()


def heading(pdf, text: str) -> None:
    _room(pdf, 30)
    pdf.ln(3)
    pdf.set_font("noto", size=13)
    pdf.set_fill_color(*HEADING_FILL)
    pdf.cell(0, 9, " " + text, fill=True, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)


def _lines(pdf, width: float, text: str, size: float) -> int:
    pdf.set_font("noto", size=size)
    return max(1, len(pdf.multi_cell(width, 5, text or "", dry_run=True, output="LINES")))


def _figure_row(pdf, figure: dict) -> None:
    """One figure: its label, its value (a link to its rows) and the line of detail."""
    label_w, value_w = 58, 30
    detail_w = WIDTH - label_w - value_w - 3
    lines = max(_lines(pdf, label_w, figure["label"], 10), _lines(pdf, detail_w, figure["detail"], 9))
    height = max(7, lines * 5 + 2)
    _room(pdf, height)
    x, y = MARGIN, pdf.get_y()
    pdf.set_xy(x, y + 1)
    pdf.set_font("noto", size=10)
    pdf.multi_cell(label_w, 5, figure["label"], align="L")
    pdf.set_xy(x + label_w, y)
    pdf.set_font("noto", size=11)
    pdf.set_text_color(*(BLUE if figure["enabled"] else GREY))
    link = absolute(figure["url"]) if figure["url"] else ""
    pdf.cell(value_w, min(height, 7), figure["display"], align="R", link=link)
    pdf.set_text_color(*GREY)
    pdf.set_xy(x + label_w + value_w + 3, y + 1)
    pdf.set_font("noto", size=9)
    pdf.multi_cell(detail_w, 5, figure["detail"] or "", align="L")
    pdf.set_text_color(0, 0, 0)
    pdf.set_draw_color(210, 210, 210)
    pdf.set_line_width(0.2)
    pdf.line(x, y + height, x + WIDTH, y + height)
    pdf.set_xy(x, y + height)


def _table(pdf, figure: dict) -> None:
    columns = figure["columns"]
    if not columns or not figure["rows"]:
        return
    label_w = 42
    count_w = 14
    col_w = (WIDTH - label_w - count_w) / len(columns)
    _room(pdf, 12 + 6 * min(len(figure["rows"]), 4))
    pdf.ln(1)
    pdf.set_font("noto", size=8)
    pdf.set_fill_color(240, 240, 240)
    pdf.cell(label_w, 9, "项目", border=1, fill=True, align="C")
    pdf.cell(count_w, 9, "数量", border=1, fill=True, align="C")
    for _, title in columns:
        x, y = pdf.get_x(), pdf.get_y()
        pdf.multi_cell(col_w, 4.5, title, border=1, fill=True, align="C", new_x="RIGHT", new_y="TOP")
        pdf.set_xy(x + col_w, y)
    pdf.ln(9)
    pdf.set_font("noto", size=9)
    for row in figure["rows"]:
        _room(pdf, 6)
        pdf.cell(label_w, 6, row["label"], border=1, link=absolute(row.get("url") or ""))
        pdf.cell(count_w, 6, str(row["value"]), border=1, align="R")
        for key, _ in columns:
            value = row.get(key)
            pdf.cell(
                col_w,
                6,
                "—" if value is None else f"{value:g}" if isinstance(value, float) else str(value),
                border=1,
                align="R",
            )
        pdf.ln(6)
    pdf.ln(1)


def bar_chart(pdf, title: str, rows: list[dict], unit: str = "") -> None:
    """Horizontal bars, one a row (Chinese labels read best beside the bar)."""
    if not rows:
        return
    bar_h, gap, label_w = 5, 2.2, 34
    height = 9 + len(rows) * (bar_h + gap) + 3
    _room(pdf, height)
    pdf.ln(2)
    pdf.set_font("noto", size=9)
    pdf.set_text_color(*GREY)
    pdf.cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    top = pdf.get_y() + 1
    left = MARGIN + label_w
    span = WIDTH - label_w - 22
    largest = max((r["value"] or 0) for r in rows) or 1
    pdf.set_draw_color(160, 160, 160)
    pdf.set_line_width(0.2)
    pdf.line(left, top - 1, left, top + len(rows) * (bar_h + gap))
    for i, row in enumerate(rows):
        y = top + i * (bar_h + gap)
        pdf.set_xy(MARGIN, y)
        pdf.cell(label_w - 2, bar_h, row["label"], align="R")
        width = span * (row["value"] or 0) / largest
        pdf.set_fill_color(*BLUE)
        if width > 0:
            pdf.rect(left, y, width, bar_h, style="F")
        pdf.set_xy(left + width + 1.5, y)
        value = row["value"]
        pdf.cell(20, bar_h, f"{value:g}{unit}" if isinstance(value, float) else f"{value}{unit}")
    pdf.set_xy(MARGIN, top + len(rows) * (bar_h + gap) + 2)


def line_chart(pdf, title: str, rows: list[dict], unit: str = "%") -> None:
    """The rate over the rounds: points joined by a line, each with its value."""
    if not rows:
        return
    height = 62
    _room(pdf, height + 8)
    pdf.ln(2)
    pdf.set_font("noto", size=9)
    pdf.set_text_color(*GREY)
    pdf.cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")
    top = pdf.get_y() + 2
    left, plot_w, plot_h = MARGIN + 12, WIDTH - 16, 42
    bottom = top + plot_h
    values = [r["value"] or 0 for r in rows]
    ceiling = max(10.0, math.ceil(max(values) / 10) * 10)
    pdf.set_draw_color(200, 200, 200)
    pdf.set_line_width(0.15)
    pdf.set_font("noto", size=7)
    for step in range(5):
        level = ceiling * step / 4
        y = bottom - plot_h * step / 4
        pdf.line(left, y, left + plot_w, y)
        pdf.set_xy(MARGIN - 2, y - 2)
        pdf.cell(13, 4, f"{level:g}{unit}", align="R")
    n = len(rows)
    xs = [left + plot_w * (i + 0.5) / n for i in range(n)]
    ys = [bottom - plot_h * v / ceiling for v in values]
    pdf.set_draw_color(*BLUE)
    pdf.set_fill_color(*BLUE)
    pdf.set_line_width(0.6)
    for i in range(1, n):
        pdf.line(xs[i - 1], ys[i - 1], xs[i], ys[i])
    pdf.set_text_color(0, 0, 0)
    for x, y, row in zip(xs, ys, rows, strict=True):
        pdf.rect(x - 1, y - 1, 2, 2, style="F")
        pdf.set_xy(x - 10, y - 6)
        pdf.cell(20, 4, f"{row['value']:g}{unit}", align="C")
        pdf.set_xy(x - 14, bottom + 1)
        pdf.set_text_color(*GREY)
        pdf.cell(28, 4, row["label"][:10], align="C")
        pdf.set_text_color(0, 0, 0)
    pdf.set_line_width(0.2)
    pdf.set_xy(MARGIN, bottom + 8)


def report_pdf(data: dict, *, exported_by: str = "") -> bytes:
    footer = f"{data['title']} · 生成时间：{data['generated_at']}"
    pdf = _document(data["title"], footer)
    pdf.set_font("noto", size=17)
    pdf.multi_cell(0, 10, data["title"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("noto", size=9)
    pdf.set_text_color(*GREY)
    subtitle = (
        f"统计范围：{data['scope_name']} · 学期：{data['semester']}（{data['start']} 至 {data['end']}）"
    )
    subtitle += f" · 生成时间：{data['generated_at']}" + (f" · 生成人：{exported_by}" if exported_by else "")
    pdf.multi_cell(0, 5, subtitle, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(
        0,
        5,
        "各项数据均由系统记录计算；点击数值可打开对应的明细列表。“未启用”表示该项数据来源的模块尚未启用。",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_text_color(0, 0, 0)
    for section in data["sections"]:
        heading(pdf, section["title"])
        for figure in section["figures"]:
            _figure_row(pdf, figure)
        for figure in section["figures"]:
            if not figure["enabled"] or not figure["rows"]:
                continue
            _table(pdf, figure)
            if figure["chart"] == "bar":
                bar_chart(pdf, f"图：{figure['label']}", figure["rows"])
            elif figure["chart"] == "line":
                line_chart(pdf, f"图：{figure['label']}（各轮检查）", figure["rows"])
    coverage = [f for s in data["sections"] if s["key"] == "coverage" for f in s["figures"] if f["enabled"]]
    if coverage and all(f["value"] is not None for f in coverage):
        bar_chart(
            pdf,
            "图：学期初与学期末网格覆盖率",
            [{"label": f["label"][:3], "value": f["value"]} for f in coverage],
            "%",
        )
    return bytes(pdf.output())
