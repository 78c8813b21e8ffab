"""The dossier as a handover document (交接文档): a PDF in Chinese, set in the
Noto Sans CJK SC font that the installed `mplfonts` package ships.

Sections that other apps register for the dossier page (night checks, leave,
inspections, …) are included as text, rendered from their own templates, so this
module knows nothing of those apps."""

from __future__ import annotations

import functools
import re
from html.parser import HTMLParser
from pathlib import Path

from django.template.loader import get_template
from django.utils import timezone

from campusgrid.core import clock
from campusgrid.core.excel import person_name
from campusgrid.core.registry import render_sections
from campusgrid.core.validators import mask_id_number


@functools.cache
def font_path() -> Path:
    import mplfonts

    return Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"


def _date(value) -> str:
    if not value:
        return "—"
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
        return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
    return f"{value.year}年{value.month}月{value.day}日"


class _Document:
    def __init__(self, title: str, exported_by: str):
        from fpdf import FPDF

        exported_at = _date(clock.now())

        class Page(FPDF):
            def header(self):
                self.set_font("noto", size=8)
                self.set_text_color(150, 0, 0)
                self.cell(0, 5, "含敏感个人信息 · 仅限工作交接使用 · 请勿转发、复印或遗失", align="R")
                self.ln(7)
                self.set_text_color(0, 0, 0)

            def footer(self):
                self.set_y(-12)
                self.set_font("noto", size=8)
                self.set_text_color(110, 110, 110)
                self.cell(
                    0,
                    5,
                    f"{title} · 导出人：{exported_by} · {exported_at} · 第{self.page_no()}/{{nb}}页",
                    align="C",
                )
                self.set_text_color(0, 0, 0)

        self.pdf = Page(orientation="P", unit="mm", format="A4")
        self.pdf.set_auto_page_break(auto=True, margin=16)
        self.pdf.set_margins(16, 12, 16)
        self.pdf.add_font("noto", "", str(font_path()))
        self.pdf.set_title(title)
        self.pdf.set_author(exported_by)
        self.pdf.set_creator("CampusGrid")
        self.pdf.alias_nb_pages()
        self.pdf.add_page()

    def title(self, text: str, subtitle: str) -> None:
        pdf = self.pdf
        pdf.set_font("noto", size=17)
        pdf.cell(0, 10, text, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("noto", size=9)
        pdf.set_text_color(90, 90, 90)
        pdf.multi_cell(0, 5, subtitle, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        pdf.ln(3)

    def heading(self, text: str) -> None:
        pdf = self.pdf
        if pdf.get_y() > pdf.h - 40:
            pdf.add_page()
        pdf.ln(2)
        pdf.set_font("noto", size=12)
        pdf.set_fill_color(226, 236, 248)
        pdf.cell(0, 8, " " + text, fill=True, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)

    def pairs(self, rows: list[tuple[str, str]]) -> None:
        pdf = self.pdf
        pdf.set_font("noto", size=10)
        for label, value in rows:
            pdf.set_text_color(90, 90, 90)
            pdf.cell(32, 6.5, label)
            pdf.set_text_color(0, 0, 0)
            pdf.multi_cell(0, 6.5, str(value or "—"), new_x="LMARGIN", new_y="NEXT")

    def lines(self, rows: list[str], empty: str = "无") -> None:
        pdf = self.pdf
        pdf.set_font("noto", size=10)
        if not rows:
            pdf.set_text_color(120, 120, 120)
            pdf.multi_cell(0, 6, empty, new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_color(0, 0, 0)
            return
        for row in rows:
            pdf.multi_cell(0, 6, "· " + row, new_x="LMARGIN", new_y="NEXT")

    def block(self, head: str, body: list[tuple[str, str]]) -> None:
        pdf = self.pdf
        pdf.set_font("noto", size=10.5)
        pdf.multi_cell(0, 6.5, head, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("noto", size=10)
        for label, value in body:
            if value:
                pdf.set_x(pdf.l_margin + 4)
                pdf.multi_cell(0, 6, f"{label}：{value}", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)

    def signatures(self) -> None:
        pdf = self.pdf
        if pdf.get_y() > pdf.h - 50:
            pdf.add_page()
        self.heading("交接确认")
        pdf.set_font("noto", size=10.5)
        for label in ("移交人（签字）：", "接收人（签字）：", "交接日期："):
            pdf.cell(0, 11, label + "_" * 28, new_x="LMARGIN", new_y="NEXT")

    def output(self) -> bytes:
        return bytes(self.pdf.output())


class _Text(HTMLParser):
    """The text of a rendered section, one line per block element."""

    BLOCKS = {"p", "div", "li", "tr", "br", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "table", "ul", "ol"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "form", "button"):
            self.skip += 1
        if tag in self.BLOCKS:
            self.parts.append("\n")
        elif tag in ("td", "th", "dd"):
            self.parts.append("  ")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "form", "button"):
            self.skip = max(0, self.skip - 1)
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)

    def lines(self) -> list[str]:
        text = "".join(self.parts)
        return [re.sub(r"\s+", " ", line).strip() for line in text.splitlines() if line.strip()]


def section_text(request, block: dict) -> tuple[str, list[str]]:
    values = dict(block["context"])
    values.setdefault("request", request)
    values.setdefault("user", getattr(request, "user", None))
    html = get_template(block["template"]).render(values, request)
    parser = _Text()
    parser.feed(html)
    lines = parser.lines()
    return (lines[0] if lines else block["key"]), lines[1:]


def dossier_pdf(*, request, data: dict) -> bytes:
    student = data["student"]
    key_file = data["key_file"]
    user = request.user
    title = "重点学生档案（一人一档）交接文档"
    doc = _Document(title, person_name(user))
    doc.title(
        title,
        f"{student.name}（{student.student_no}） · 导出人：{person_name(user)} · 导出时间：{_date(clock.now())}",
    )

    doc.heading("基本信息")
    school_class = student.school_class
    doc.pairs(
        [
            ("姓名", student.name),
            ("学号", student.student_no),
            ("性别", student.gender),
            ("学院", student.college.name),
            ("班级", school_class.name if school_class else "未分班"),
            ("寝室", f"{student.bed.room.label} {student.bed.number}号床" if student.bed_id else "未分配"),
            ("学籍状态", student.get_status_display()),
            ("政治面貌", student.get_political_status_display()),
            ("手机号", student.phone or "—"),
            ("家长电话", student.parent_phone or "—"),
            ("身份证号", mask_id_number(student.id_number or "") or "—"),
            ("民族 / 生源地", f"{student.ethnicity or '—'} / {student.origin or '—'}"),
        ]
    )

    doc.heading("重点学生信息")
    if key_file is None:
        doc.lines([], "该学生未列入重点学生名单。")
    else:
        doc.pairs(
            [
                (
                    "状态",
                    "在重点名单中"
                    if key_file.active
                    else f"已移出（{_date(key_file.removed_at)}：{key_file.removed_reason}）",
                ),
                ("原因", key_file.reasons_text()),
                ("风险等级", key_file.get_risk_level_display()),
                ("负责人", key_file.responsible.name if key_file.responsible_id else "—"),
                ("复查间隔", f"{key_file.review_interval_days}天"),
                ("上次复查", _date(key_file.last_reviewed)),
                ("下次复查", _date(key_file.next_review)),
                ("建档时间", _date(key_file.created_at)),
                ("跟进计划", key_file.follow_up_plan or "—"),
            ]
        )
        doc.heading("原因与风险等级变更记录")
        doc.lines(
            [
                f"{_date(c.at)} {c.actor_name} {c.get_action_display()}：{c.reasons}（{c.get_risk_level_display()}）"
                + (f"。{c.note}" if c.note else "")
                for c in data["changes"]
            ]
        )

    doc.heading("网格链")
    chains = data["chains"]
    rows = []
    for link in chains["management"]:
        names = "、".join(f"{p.holder_name}（{p.get_kind_display()}）" for p in link["posts"])
        rows.append(f"{link['title']}：{names or ('空缺' if link['applies'] else '不适用')}")
    for link in chains["party"]:
        if link["applies"]:
            names = "、".join(p.holder_name for p in link["posts"])
            rows.append(f"{link['title']}：{names or '空缺'}")
    doc.lines(rows)

    doc.heading("谈心谈话记录")
    if not data["talks"]:
        doc.lines([], "暂无谈话记录。")
    for talk in data["talks"]:
        doc.block(
            f"{_date(talk.talked_on)} · {talk.place} · 谈话人：{talk.participants}",
            [("谈话内容", talk.summary), ("下一步措施", talk.next_step), ("记录人", talk.recorded_by_name)],
        )

    doc.heading("心理筛查")
    doc.lines(
        [
            f"{r.semester.name} {r.instrument.name} 总分{r.total_score.normalize():f}"
            + ("（达到阈值）" if r.over_threshold else "")
            + ("，危机标记" if r.crisis else "")
            + (f"；标记：{r.flags}" if r.flags else "")
            + f"；{r.get_follow_up_display()}"
            + (f"：{r.follow_up_note}" if r.follow_up_note else "")
            for r in data["screening"]
        ],
        "暂无筛查记录。",
    )

    doc.heading("相关问题上报")
    doc.lines(
        [
            f"{_date(r.created_at)} {r.category.name}（{r.get_severity_display()}）#{r.pk} {r.get_state_display()}：{r.description}"
            for r in data["reports"]
        ],
        "暂无相关上报。",
    )

    doc.heading("任职与党建记录")
    doc.lines(
        [
            f"{p.get_kind_display()} {p.place_label}：{_date(p.start_date)}至{_date(p.end_date) if p.end_date else '今'}"
            for p in data["posts"]
        ]
        + [
            f"{_date(h.changed_on)} 政治面貌：{h.get_status_display()}" + (f"（{h.note}）" if h.note else "")
            for h in data["political_history"]
        ],
        "暂无任职与党建记录。",
    )

    for block in render_sections("dossier", request, student):
        heading, lines = section_text(request, block)
        doc.heading(heading)
        doc.lines(lines)

    doc.signatures()
    return doc.output()
