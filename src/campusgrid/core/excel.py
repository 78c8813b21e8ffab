"""Ledger exports (台账) laid out as the paper ledger: a title row, a line saying
who exported what and when, the header row, then the rows; streamed as .xlsx.

Every .xlsx the system writes goes through `new_workbook` and `Sheet`: streamed,
formats shared, and user text always text, never a formula."""

from __future__ import annotations

import contextlib
import io
import re
import tempfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone

from . import clock
from .names import person_name  # noqa: F401 - exported for the ledger exports

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Text that a spreadsheet would read as a formula (or as the start of one when the cell is
# edited): =, +, -, @, and a leading tab or carriage return (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_TEXT = 32767  # Excel's limit for one cell
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# The formats of the paper ledger, made once per workbook (a new style object per cell
# made a 50,000-row ledger take minutes).
FORMATS = {
    "title": {"bold": True, "font_size": 16, "align": "center"},
    "subtitle": {},
    "header": {
        "bold": True,
        "border": 1,
        "border_color": "#999999",
        "align": "center",
        "valign": "vcenter",
        "text_wrap": True,
    },
    "body": {"border": 1, "border_color": "#999999", "valign": "top", "text_wrap": True},
    "template_header": {"bold": True, "bg_color": "#DDEBF7", "num_format": "@"},
    "text": {"num_format": "@"},  # import templates: typed digits (学号, 身份证号) stay text
}


def safe_value(value):
    """What a cell stores for `value`: dates as local text, numbers as numbers, and any
    other value as text (line breaks as \\n, characters XML cannot hold dropped, at most
    32,767 characters)."""
    kind = type(value)
    if kind is str:
        text = value
    elif value is None or kind is int or kind is float or kind is bool:
        return value
    elif hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    elif hasattr(value, "isoformat"):
        return value.isoformat()
    elif isinstance(value, Decimal):
        return float(value)
    elif isinstance(value, int | float):
        return value
    else:
        text = str(value)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _XML_ILLEGAL.search(text):
        text = _XML_ILLEGAL.sub("", text)
    return text if len(text) <= MAX_CELL_TEXT else text[:MAX_CELL_TEXT]


class Sheet:
    """A streamed worksheet that every .xlsx of the system is written through: each value
    goes through `safe_value`, and text is always written as a string cell, never as a
    formula; text a spreadsheet would take for one (`FORMULA_TRIGGERS`) also gets Excel's
    quote prefix, so it stays text when somebody edits the cell.

    Built on XlsxWriter in constant-memory mode: rows go to disk as they are written,
    with formats shared by name."""

    def __init__(self, workbook, title: str):
        self.workbook = workbook
        self.sheet = workbook.add_worksheet(_sheet_title(title))
        self.row = 0
        self._formats = {}

    def format(self, name: str | None, quoted: bool = False):
        if name is None and not quoted:
            return None
        key = (name, quoted)
        if key not in self._formats:
            properties = dict(FORMATS.get(name) or {})
            if quoted:
                properties["quote_prefix"] = True
            self._formats[key] = self.workbook.add_format(properties)
        return self._formats[key]

    def append(self, values, style: str | None = None) -> None:
        sheet, row = self.sheet, self.row
        plain = self.format(style)
        for column, value in enumerate(values):
            value = safe_value(value)
            if value is None or value == "":
                if plain is not None:
                    sheet.write_blank(row, column, None, plain)
            elif isinstance(value, str):
                quoted = value.startswith(FORMULA_TRIGGERS)
                sheet.write_string(row, column, value, self.format(style, True) if quoted else plain)
            elif isinstance(value, bool):
                sheet.write_boolean(row, column, value, plain)
            else:
                sheet.write_number(row, column, value, plain)
        self.row += 1

    def merged(self, text, columns: int, style: str | None = None) -> None:
        """One line of text over `columns` columns (a ledger's title and subtitle)."""
        value = safe_value(text) or ""
        quoted = isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)
        fmt = self.format(style, quoted)
        if columns > 1:
            self.sheet.merge_range(self.row, 0, self.row, columns - 1, "", fmt)
        self.sheet.write_string(self.row, 0, str(value), fmt)
        self.row += 1


def _sheet_title(title: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", "", title or "").strip("'")[:31]
    return cleaned or "Sheet1"


@contextlib.contextmanager
def new_workbook(target):
    """A workbook written to `target` (a path or a binary file object) on leaving the block:
    user text is never a formula, a URL or a number."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "tmpdir": tempfile.gettempdir(),
        },
    )
    try:
        yield workbook
    finally:
        workbook.close()


def ledger_workbook(
    *,
    title: str,
    subtitle: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    widths: Sequence[int] | None = None,
) -> bytes:
    columns = max(len(headers), 1)
    buffer = io.BytesIO()
    with new_workbook(buffer) as workbook:
        sheet = Sheet(workbook, title)
        for index in range(columns):
            width = widths[index] if widths and index < len(widths) else 14
            sheet.sheet.set_column(index, index, width)
        sheet.sheet.freeze_panes(3, 0)
        sheet.sheet.repeat_rows(2)
        sheet.sheet.set_landscape()
        sheet.merged(title, columns, "title")
        sheet.merged(subtitle, columns, "subtitle")
        sheet.append(headers, "header")
        for row in rows:
            sheet.append(row, "body")
    return buffer.getvalue()


def ledger_response(
    *, filename: str, title: str, user_name: str, scope_label: str, headers, rows, widths=None
) -> HttpResponse:
    now = timezone.localtime(clock.now())
    subtitle = f"范围：{scope_label}　导出人：{user_name}　导出时间：{now:%Y-%m-%d %H:%M}"
    content = ledger_workbook(title=title, subtitle=subtitle, headers=headers, rows=rows, widths=widths)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def scope_label(user) -> str:
    """A short Chinese description of what the user's export covers."""
    from .scoping import scope_for

    scope = scope_for(user)
    if scope.everything:
        return "全校"
    if scope.manage_college_ids:
        return "本学院"
    if scope.manage_class_ids:
        return "所带班级"
    if scope.class_ids:
        return "本班"
    if scope.room_ids or scope.party_room_ids:
        return "本网格寝室"
    return "本人"
