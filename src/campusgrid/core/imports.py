"""The import pipeline shared by every importer (SPEC §13): read .xlsx or .csv
(UTF-8 with or without BOM, or GB18030 as Excel in China writes it), map header
aliases in any order, check every row first and report each problem by row,
column and reason. Importers write nothing unless every row is right."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
from pathlib import Path


@dataclasses.dataclass(frozen=True)
class Column:
    key: str
    header: str  # the canonical Chinese header (used in messages and templates)
    aliases: tuple[str, ...] = ()
    required: bool = False

    def names(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)


@dataclasses.dataclass
class RowError:
    row: int
    column: str
    reason: str

    def __str__(self):
        return (
            f"第{self.row}行 [{self.column}]：{self.reason}"
            if self.row
            else f"[{self.column}]：{self.reason}"
        )

    def as_dict(self):
        return {"row": self.row, "column": self.column, "reason": self.reason}


@dataclasses.dataclass
class ImportResult:
    dry_run: bool
    rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = dataclasses.field(default_factory=list)
    changes: list[dict] = dataclasses.field(default_factory=list)  # preview: row, key, what, fields
    notes: list[str] = dataclasses.field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def rejected(self) -> int:
        return len({e.row for e in self.errors if e.row})

    def error(self, row: int, column: str, reason: str) -> None:
        self.errors.append(RowError(row, column, reason))

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "dry_run": self.dry_run,
            "applied": self.applied,
            "rows": self.rows,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "errors": [e.as_dict() for e in self.errors],
            "notes": self.notes,
        }

    def summary(self) -> str:
        verb = "可导入" if self.dry_run else "已导入"
        if not self.ok:
            return f"共{self.rows}行，{self.rejected}行有错误（{len(self.errors)}处），未写入任何数据。"
        return f"共{self.rows}行，{verb}：新增{self.new}，更新{self.updated}，无变化{self.unchanged}。"


@dataclasses.dataclass
class Table:
    rows: list[tuple[int, dict[str, str]]]  # (row number as in the file, values by column key)
    present: set[str]


_SPACE = re.compile(r"\s+")


def _header_key(text: str) -> str:
    text = _SPACE.sub("", str(text or "")).replace("（", "(").replace("）", ")")
    text = re.sub(r"\(.*?\)", "", text)  # "手机号(必填)" -> "手机号"
    return text.strip("*").strip()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        # Beyond 2**53 a float has lost digits (an 18-digit ID number typed as a
        # number): keep the exponent form so the importer can say so.
        if value.is_integer() and abs(value) < 2**53:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip().replace("\u3000", " ").strip()


def _read_rows(path: Path) -> list[list]:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from python_calamine import CalamineWorkbook

        try:
            workbook = CalamineWorkbook.from_path(str(path))
            return workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
        except Exception as exc:  # calamine raises its own error types for broken files
            raise ValueError(f"无法读取 Excel 文件：{exc}") from exc
    if suffix == ".csv":
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValueError("无法识别 CSV 文件的编码（请使用 UTF-8 或 GB18030/GBK）")
        return list(csv.reader(io.StringIO(text)))
    raise ValueError("只支持 .xlsx 或 .csv 文件")


def read_table(path: str | Path, columns: list[Column], result: ImportResult) -> Table | None:
    """Read the first sheet; the header row is the first non-empty row."""
    path = Path(path)
    try:
        raw_rows = _read_rows(path)
    except (ValueError, OSError) as exc:
        result.error(0, "文件", str(exc))
        return None
    header_index = next((i for i, r in enumerate(raw_rows) if any(_cell(c) for c in r)), None)
    if header_index is None:
        result.error(0, "文件", "文件是空的")
        return None
    lookup = {}
    for column in columns:
        for name in column.names():
            lookup[_header_key(name)] = column
    positions: dict[str, int] = {}
    for index, cell in enumerate(raw_rows[header_index]):
        column = lookup.get(_header_key(_cell(cell)))
        if column is None:
            continue
        if column.key in positions:
            result.error(header_index + 1, column.header, "表头中该列出现了两次")
            continue
        positions[column.key] = index
    for column in columns:
        if column.required and column.key not in positions:
            result.error(header_index + 1, column.header, f"缺少必需的列“{column.header}”")
    if not result.ok:
        return None
    rows = []
    for offset, raw in enumerate(raw_rows[header_index + 1 :], start=header_index + 2):
        values = {key: _cell(raw[i]) if i < len(raw) else "" for key, i in positions.items()}
        if not any(values.values()):
            continue
        rows.append((offset, values))
    result.rows = len(rows)
    return Table(rows=rows, present=set(positions))


def split_multi(value: str) -> list[str]:
    """Several values in one cell, separated by 、 , ， ; or spaces."""
    return [part.strip() for part in re.split(r"[、,，;；/\s]+", value or "") if part.strip()]


def write_template(
    path_or_buffer, headers: list[str], example: list[list[str]] | None = None, title: str = "导入模板"
):
    """An .xlsx template with the accepted headers (text-formatted so 学号 and
    身份证号 keep their digits)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for row in example or []:
        sheet.append(row)
    for index, header in enumerate(headers, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = max(10, len(header) * 2 + 4)
        for row in range(2, 502):
            sheet.cell(row=row, column=index).number_format = "@"
    workbook.save(path_or_buffer)
