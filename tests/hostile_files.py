"""Hostile upload files, generated small in the test (issue 11): spreadsheets that made a
reader allocate 500 GB or gigabytes of rows, and images that are decompression bombs."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="名册" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _xlsx(path: Path, write_sheet) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            write_sheet(sheet)
    return path


def sparse_xlsx(path: Path) -> Path:
    """A 1–2 KB sheet that declares, and has, a cell at XFD1048576 (the last cell of Excel):
    a dense reader allocates 16,384 × 1,048,576 cells."""

    def write(sheet):
        sheet.write(
            (
                SHEET_HEAD + '<dimension ref="A1:XFD1048576"/><sheetData>'
                f'<row r="1">{_cell("A1", "学号")}{_cell("B1", "姓名")}</row>'
                f'<row r="1048576">{_cell("XFD1048576", "x")}</row>'
                "</sheetData></worksheet>"
            ).encode()
        )

    return _xlsx(path, write)


def row_bomb_xlsx(path: Path, rows: int = 150_000) -> Path:
    """More rows than any roster (the cap is 100,000): the same row over and over, which
    compresses to almost nothing and inflates to as much as one wants."""

    def write(sheet):
        sheet.write((SHEET_HEAD + '<dimension ref="A1:B1"/><sheetData>').encode())
        sheet.write(f'<row r="1">{_cell("A1", "学号")}{_cell("B1", "姓名")}</row>'.encode())
        chunk = []
        for n in range(2, rows + 2):
            chunk.append(f'<row r="{n}">{_cell(f"A{n}", "2024010101")}{_cell(f"B{n}", "张三")}</row>')
            if len(chunk) == 5000:
                sheet.write("".join(chunk).encode())
                chunk = []
        sheet.write(("".join(chunk) + "</sheetData></worksheet>").encode())

    return _xlsx(path, write)


def whitespace_bomb_xlsx(path: Path, megabytes: int = 300) -> Path:
    """A sheet of a few cells padded with hundreds of MB of spaces (deflate makes ~1,000:1)."""
    spaces = b" " * (1 << 20)

    def write(sheet):
        sheet.write((SHEET_HEAD + "<sheetData>").encode())
        for _ in range(megabytes):
            sheet.write(spaces)
        sheet.write(f'<row r="1">{_cell("A1", "学号")}</row></sheetData></worksheet>'.encode())

    return _xlsx(path, write)


def whitespace_cell_xlsx(path: Path, megabytes: int = 20) -> Path:
    """A sheet whose one cell holds 20 MB of spaces (under the unzipped limit, over the cell limit)."""
    spaces = b" " * (1 << 20)

    def write(sheet):
        sheet.write((SHEET_HEAD + '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>').encode())
        for _ in range(megabytes):
            sheet.write(spaces)
        sheet.write(b"</t></is></c></row></sheetData></worksheet>")

    return _xlsx(path, write)


def wide_csv(path: Path, columns: int = 5_000_000) -> Path:
    """A 5 MB CSV of one row with five million empty fields (a list of 5M strings)."""
    path.write_bytes(b"," * columns + b"\n")
    return path


def long_field_csv(path: Path, megabytes: int = 20) -> Path:
    path.write_bytes("学号,姓名\n2024010101,".encode() + b" " * (megabytes << 20) + b"\n")
    return path


def png_bomb(width: int = 20_000, height: int = 20_000) -> bytes:
    """A valid 1-bit PNG of width × height black pixels: ~48 KB for 20,000 × 20,000
    (400 megapixels, which a decoder turns into hundreds of MB)."""
    raw_row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed pixels
    compressor = zlib.compressobj(9)
    block = raw_row * 100
    body = b"".join(compressor.compress(block) for _ in range(height // 100))
    body += compressor.compress(raw_row * (height % 100)) + compressor.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def jpeg_with_gps(size=(1200, 900), orientation: int | None = None) -> bytes:
    """A phone-like JPEG carrying a GPS position (and optionally an EXIF orientation)."""
    from PIL import ExifTags, Image

    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (30.0, 31.0, 12.5),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (114.0, 21.0, 3.2),
    }
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), quality=80)
    return out.getvalue()
