"""Roster and staff files for the import tests (SPEC §14 columns), written as
.xlsx with openpyxl or as CSV in a chosen encoding."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from campusgrid.core.validators import id_number_check_digit

ROSTER_HEADERS = [
    "学号",
    "姓名",
    "性别",
    "学院",
    "专业",
    "年级",
    "班级",
    "楼栋",
    "寝室号",
    "床位",
    "政治面貌",
    "职务",
    "手机号",
    "身份证号",
    "民族",
    "生源地",
    "家长电话",
]
STAFF_HEADERS = ["工号", "姓名", "角色", "学院", "负责班级", "手机号"]


def id_number(serial: int, birthday: str = "20050101") -> str:
    """A valid 18-digit ID number (GB 11643 check digit) for a test person."""
    first17 = f"110101{birthday}{serial % 1000:03d}"
    return first17 + id_number_check_digit(first17)


def student(no: str, name: str, **values) -> dict:
    """One roster row with sensible defaults (a 2024 chemistry student in 南苑1栋)."""
    row = {
        "学号": no,
        "姓名": name,
        "性别": "男",
        "学院": "化学学院",
        "专业": "应用化学",
        "年级": "2024",
        "班级": "应化2401",
        "楼栋": "南苑1栋",
        "寝室号": "101",
        "床位": "",
        "政治面貌": "共青团员",
        "职务": "",
        "手机号": "",
        "身份证号": "",
        "民族": "汉族",
        "生源地": "浙江杭州",
        "家长电话": "",
    }
    row.update(values)
    return row


def small_roster() -> list[dict]:
    """Six students, two classes, two rooms; a dorm head, a monitor, a league secretary."""
    return [
        student("S2401001", "赵一", 床位="1", 职务="舍长、班长", 手机号="13800000001", 身份证号=id_number(1)),
        student("S2401002", "钱二", 床位="2", 政治面貌="入党积极分子", 身份证号=id_number(2)),
        student("S2401003", "孙三", 床位="3", 政治面貌="中共预备党员", 职务="团支书"),
        student("S2401004", "李四", 床位="4"),
        student(
            "S2402001", "周五", 性别="女", 班级="应化2402", 楼栋="南苑2栋", 寝室号="201", 职务="舍长,班长"
        ),
        student("S2402002", "吴六", 性别="女", 班级="应化2402", 楼栋="南苑2栋", 寝室号="201"),
    ]


def write_xlsx(path: Path, rows: list[dict], headers: list[str] | None = None) -> Path:
    from openpyxl import Workbook

    headers = headers or list(rows[0])
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("名册")
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h, "") for h in headers])
    workbook.save(path)
    return path


def write_csv(path: Path, rows: list[dict], headers: list[str] | None = None, encoding="utf-8") -> Path:
    headers = headers or list(rows[0])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def renamed(rows: list[dict], names: dict[str, str]) -> list[dict]:
    """The same rows under other header names (aliases)."""
    return [{names.get(k, k): v for k, v in row.items()} for row in rows]
