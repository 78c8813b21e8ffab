"""Reads one uploaded spreadsheet in a child process (run as a script by
`core.imports.read_rows`, never imported by the server): the guard every import
file passes before any parser sees it.

The child caps its own address space, CPU time and file writes first, then:
  - .xlsx: checks the zip (entry count, summed uncompressed size), streams every
    worksheet's XML and the shared strings through expat to check the declared
    <dimension>, every row and cell reference and the length of every text
    against the limits, and only then lets python-calamine read the first sheet;
  - .csv: decodes (UTF-8 with or without BOM, or GB18030), streams the rows with
    the same row, column and cell-length limits.
It prints one JSON object: {"rows": [[str, ...], ...]} or {"error": "<Chinese>"}.
Whatever a file does (a 500 GB allocation, an hour of parsing), only this process
dies, and the server answers with the limit that was hit.

Standard library and python-calamine only: no Django, no campusgrid imports (it
runs with `python -I` from the file's path, so it reads the code it sits beside).
The server imports one function from it, `cell_text`, so that a cell reads the same
whether the child or the import's own header and row code turns it into text; importing
the module runs nothing (`main` runs only as a script).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import resource
import sys
import zipfile
from xml.parsers import expat


class Refused(Exception):
    """The file breaks a limit; the message (Chinese) names it."""


_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")


def _column_number(letters: str) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


def _ref(text: str) -> tuple[int, int] | None:
    """'XFD1048576' -> (row, column); None when the text is no cell reference."""
    found = _REF.match(text or "")
    if not found:
        return None
    return int(found.group(2)), _column_number(found.group(1))


class _Limits:
    def __init__(self, raw: dict):
        self.rows = int(raw["max_rows"])
        self.columns = int(raw["max_columns"])
        self.cell_chars = int(raw["max_cell_chars"])
        self.unzipped = int(raw["max_uncompressed_bytes"])
        self.entries = int(raw["max_zip_entries"])

    def row(self, number: int) -> None:
        if number > self.rows:
            raise Refused(f"表格超过 {self.rows} 行的上限（第{number}行）")

    def column(self, number: int, row: int) -> None:
        if number > self.columns:
            raise Refused(f"表格超过 {self.columns} 列的上限（第{row}行第{number}列）")

    def text(self, length: int, row: int) -> None:
        if length > self.cell_chars:
            where = f"（第{row}行）" if row else ""
            raise Refused(f"单元格内容超过 {self.cell_chars} 个字符的上限{where}")


class _SheetScan:
    """Streams one part's XML and checks every reference and text against the limits."""

    TEXT = {"v", "t", "f"}

    def __init__(self, limits: _Limits):
        self.limits = limits
        self.row = 0
        self.column = 0
        self.in_text = False
        self.in_string = False  # inside a shared or inline string (<si>, <is>) of several runs
        self.text_length = 0
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.data
        parser.StartDoctypeDeclHandler = self.doctype
        parser.EntityDeclHandler = self.doctype
        self.parser = parser

    def doctype(self, *args):
        raise Refused("Excel 文件中含有不允许的 DTD 声明")

    def start(self, name, attrs):
        local = name.rpartition(":")[2]
        if local == "c":
            ref = _ref(attrs.get("r", ""))
            if ref is not None:
                row, self.column = ref
                self.limits.row(row)
            else:
                self.column += 1
            self.limits.column(self.column, self.row)
        elif local == "row":
            number = attrs.get("r")
            self.row = int(number) if number and number.isdigit() else self.row + 1
            self.column = 0
            self.limits.row(self.row)
        elif local in self.TEXT:
            self.in_text = True
            if not self.in_string:
                self.text_length = 0
        elif local in ("si", "is"):
            self.in_string, self.text_length = True, 0
        elif local == "dimension":
            for part in (attrs.get("ref") or "").split(":"):
                ref = _ref(part)
                if ref is not None:
                    self.limits.row(ref[0])
                    self.limits.column(ref[1], ref[0])

    def end(self, name):
        local = name.rpartition(":")[2]
        if local in self.TEXT:
            self.in_text = False
        elif local in ("si", "is"):
            self.in_string = False

    def data(self, text):
        if self.in_text:
            self.text_length += len(text)
            self.limits.text(self.text_length, self.row)

    def feed(self, stream) -> None:
        while True:
            chunk = stream.read(1 << 20)
            if not chunk:
                break
            self.parser.Parse(chunk, False)
        self.parser.Parse(b"", True)


def check_xlsx(path: str, limits: _Limits) -> None:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise Refused("无法读取 Excel 文件：不是有效的 .xlsx 文件")
    with archive:
        entries = archive.infolist()
        if len(entries) > limits.entries:
            raise Refused(f"Excel 文件包含 {len(entries)} 个部件，超过 {limits.entries} 个的上限")
        total = sum(entry.file_size for entry in entries)
        if total > limits.unzipped:
            raise Refused(
                f"Excel 文件解压后为 {total // (1 << 20)} MB，超过 {limits.unzipped // (1 << 20)} MB 的上限"
            )
        parts = [
            entry
            for entry in entries
            if (entry.filename.startswith("xl/worksheets/") and entry.filename.endswith(".xml"))
            or entry.filename.lower() == "xl/sharedstrings.xml"
        ]
        for entry in parts:
            try:
                # zipfile never yields more than the declared size, and checks the CRC.
                with archive.open(entry) as stream:
                    _SheetScan(limits).feed(stream)
            except expat.ExpatError as exc:
                raise Refused(f"无法读取 Excel 文件：{entry.filename} 不是有效的 XML（{exc}）")
            except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError) as exc:
                raise Refused(f"无法读取 Excel 文件：{exc}")


def cell_text(value) -> str:
    """A cell as the text an import compares and stores."""
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


def _trimmed(values: list[str]) -> list[str]:
    while values and values[-1] == "":
        values.pop()
    return values


def read_xlsx(path: str, limits: _Limits) -> list[list[str]]:
    check_xlsx(path, limits)
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(path)
        sheet = workbook.get_sheet_by_index(0)
        if sheet.height > limits.rows:
            raise Refused(f"表格超过 {limits.rows} 行的上限")
        if sheet.width > limits.columns:
            raise Refused(f"表格超过 {limits.columns} 列的上限")
        rows = []
        for raw in sheet.iter_rows():
            rows.append(_trimmed([cell_text(value) for value in raw]))
            if len(rows) > limits.rows:
                raise Refused(f"表格超过 {limits.rows} 行的上限")
        return rows
    except Refused:
        raise
    except MemoryError:
        raise
    except Exception as exc:  # calamine raises its own error types for broken files
        raise Refused(f"无法读取 Excel 文件：{exc}")


def read_csv(path: str, limits: _Limits) -> list[list[str]]:
    with open(path, "rb") as handle:
        raw = handle.read()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise Refused("无法识别 CSV 文件的编码（请使用 UTF-8 或 GB18030/GBK）")
    del raw
    csv.field_size_limit(limits.cell_chars + 1)
    rows = []
    reader = csv.reader(io.StringIO(text))
    try:
        for values in reader:
            number = reader.line_num
            limits.row(len(rows) + 1)
            limits.column(len(values), number)
            for value in values:
                limits.text(len(value), number)
            rows.append(_trimmed([cell_text(value) for value in values]))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise Refused(f"单元格内容超过 {limits.cell_chars} 个字符的上限（第{reader.line_num}行）")
        raise Refused(f"CSV 文件格式有误（第{reader.line_num}行）：{exc}")
    return rows


def _cap(memory_bytes: int, seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # it writes no file
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # and no core dump of personal data


def _peak_kb() -> int:
    """This program's own peak memory (VmHWM: not the parent's pages it started from)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main(argv: list[str]) -> int:
    request = json.loads(argv[1])
    _cap(int(request["memory_bytes"]), int(request["seconds"]))
    limits = _Limits(request["limits"])
    path = request["path"]
    try:
        if path.lower().endswith(".xlsx"):
            rows = read_xlsx(path, limits)
        elif path.lower().endswith(".csv"):
            rows = read_csv(path, limits)
        else:
            raise Refused("只支持 .xlsx 或 .csv 文件")
        answer = {"rows": rows}
    except Refused as exc:
        answer = {"error": str(exc)}
    except MemoryError:
        answer = {"error": "memory"}
    answer["peak_kb"] = _peak_kb()
    sys.stdout.buffer.write(json.dumps(answer, ensure_ascii=False).encode("utf-8"))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
