"""The import pipeline shared by every importer (SPEC §13): read .xlsx or .csv
(UTF-8 with or without BOM, or GB18030 as Excel in China writes it) through the
one guard (`read_rows`: size, zip, dimension, row, column and cell limits, parsed
in a capped child process), map header aliases in any order, check every row
first and report each problem by row, column and reason. Importers write nothing
unless every row is right."""

from __future__ import annotations

import dataclasses
import io
import json
import logging
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from django.conf import settings

from .sheet_child import cell_text as _cell

log = logging.getLogger("campusgrid.imports")


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


def report_to_command(command, result: ImportResult, *, as_json: bool) -> None:
    """An import's result printed by its management command (as JSON with `--json`); exit 1
    when any row is wrong (nothing was written)."""
    if as_json:
        command.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        for error in result.errors:
            command.stderr.write(str(error))
        for note in result.notes:
            command.stdout.write(note)
        command.stdout.write(result.summary())
    if not result.ok:
        sys.exit(1)


@dataclasses.dataclass
class Table:
    rows: list[tuple[int, dict[str, str]]]  # (row number as in the file, values by column key)
    present: set[str]


_SPACE = re.compile(r"\s+")


def _header_key(text: str) -> str:
    text = _SPACE.sub("", str(text or "")).replace("（", "(").replace("）", ")")
    text = re.sub(r"\(.*?\)", "", text)  # "手机号(必填)" -> "手机号"
    return text.strip("*").strip()


class ReadStats:
    """What reading the last file cost the child (logged; the tests measure it)."""

    def __init__(self, seconds: float, peak_kb: int, status: int):
        self.seconds, self.peak_kb, self.status = seconds, peak_kb, status


def _limits() -> dict:
    return {
        "max_rows": settings.IMPORT_MAX_ROWS,
        "max_columns": settings.IMPORT_MAX_COLUMNS,
        "max_cell_chars": settings.IMPORT_MAX_CELL_CHARS,
        "max_uncompressed_bytes": settings.IMPORT_MAX_UNCOMPRESSED_BYTES,
        "max_zip_entries": settings.IMPORT_MAX_ZIP_ENTRIES,
    }


def _mb(size: int) -> int:
    return size // (1024 * 1024)


def check_size(size: int) -> None:
    """The one size limit of every import file (pages, API, commands)."""
    if size > settings.IMPORT_MAX_BYTES:
        raise ValueError(f"文件超过 {_mb(settings.IMPORT_MAX_BYTES)} MB 的大小上限")


def read_rows(path: str | Path) -> list[list[str]]:
    """The rows of the first sheet of an .xlsx, or of a .csv, as text; raises ValueError
    with a Chinese message naming the limit a file breaks.

    Every import reads its file here. The file is read by `sheet_child.py` in a fresh
    interpreter whose address space and CPU time are capped (`IMPORT_PARSE_*`), after it
    has checked the zip, the declared dimension, every cell reference and every text
    against the `IMPORT_MAX_*` limits; so whatever a file does, only that child dies."""
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".csv"):
        raise ValueError("只支持 .xlsx 或 .csv 文件")
    check_size(path.stat().st_size)
    request = {
        "path": str(path.resolve()),
        "limits": _limits(),
        "memory_bytes": settings.IMPORT_PARSE_MEMORY_BYTES,
        "seconds": settings.IMPORT_PARSE_SECONDS,
    }
    timeout = settings.IMPORT_PARSE_SECONDS
    started = time.monotonic()
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(
            [sys.executable, "-I", str(Path(__file__).with_name("sheet_child.py")), json.dumps(request)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=errors,
            close_fds=True,
        )
        chunks: list[bytes] = []
        reader = threading.Thread(target=lambda: chunks.append(child.stdout.read()), daemon=True)
        reader.start()
        reader.join(timeout)
        timed_out = reader.is_alive()
        if timed_out:
            child.kill()
            reader.join()
        # wait4, not wait: it also gives the child's peak memory.
        _pid, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        child.stdout.close()
        errors.seek(0)
        stderr = errors.read()[-2000:].decode("utf-8", "replace")
    try:
        answer = json.loads(b"".join(chunks) or b"{}")
    except ValueError:
        answer = {}
    # The child's own peak; when it was killed, what the kernel says (which also counts
    # the pages it shared with this process before it started the interpreter).
    stats = ReadStats(time.monotonic() - started, answer.get("peak_kb") or usage.ru_maxrss, child.returncode)
    log.info(
        "read %s: %.2f s, child peak %d MB, exit %s",
        path.name,
        stats.seconds,
        stats.peak_kb // 1024,
        stats.status,
        extra={"read_stats": stats},
    )
    memory = f"{_mb(settings.IMPORT_PARSE_MEMORY_BYTES)} MB"
    if timed_out or child.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        raise ValueError(f"文件过于复杂：读取超过 {settings.IMPORT_PARSE_SECONDS} 秒的时间上限")
    if "rows" in answer:
        return answer["rows"]
    if answer.get("error") == "memory" or child.returncode != 0:
        if child.returncode != 0:
            log.warning("reading %s failed (exit %s): %s", path.name, child.returncode, stderr)
        raise ValueError(f"文件过于复杂：读取超过 {memory} 的内存上限")
    raise ValueError(answer.get("error") or "无法读取文件")


def read_table(path: str | Path, columns: list[Column], result: ImportResult) -> Table | None:
    """Read the first sheet; the header row is the first non-empty row."""
    path = Path(path)
    try:
        raw_rows = read_rows(path)
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
    from .excel import Sheet, new_workbook

    buffer = io.BytesIO()
    with new_workbook(buffer) as workbook:
        sheet = Sheet(workbook, title)
        text = sheet.format("text")
        for index, header in enumerate(headers):
            sheet.sheet.set_column(index, index, max(10, len(header) * 2 + 4), text)
        sheet.append(headers, "template_header")
        for row in example or []:
            sheet.append([str(v) for v in row], "text")
    if hasattr(path_or_buffer, "write"):
        path_or_buffer.write(buffer.getvalue())
    else:
        Path(path_or_buffer).write_bytes(buffer.getvalue())
