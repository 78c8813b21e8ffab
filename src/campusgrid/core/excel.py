"""Ledger exports (台账) laid out as the paper ledger: a title row, a line saying
who exported what and when, the header row, then the rows; streamed as .xlsx."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone

from . import clock
from .names import person_name  # noqa: F401 - exported for the ledger exports

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def ledger_workbook(
    *,
    title: str,
    subtitle: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    widths: Sequence[int] | None = None,
) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = title[:31]
    columns = len(headers)
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([subtitle])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=columns)
    sheet.append(list(headers))
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    for row in rows:
        sheet.append([_value(v) for v in row])
    for row in sheet.iter_rows(min_row=4):
        for cell in row:
            cell.border = border
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    for index in range(1, columns + 1):
        width = widths[index - 1] if widths and index - 1 < len(widths) else 14
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A4"
    sheet.print_title_rows = "3:3"
    sheet.page_setup.orientation = "landscape"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _value(value):
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value.isoformat()
    return value


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
