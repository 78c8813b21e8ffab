"""The semester report's tables as .xlsx, written through core/excel (user text stays text):
one sheet of every figure with the URL of its rows, then one sheet per breakdown."""

from __future__ import annotations

import io

from campusgrid.core.excel import Sheet, new_workbook

from .compute import DISABLED, absolute

HEADERS = ["部分", "指标", "数值", "单位", "说明", "数据来源", "明细列表"]


def report_xlsx(data: dict, *, exported_by: str = "") -> bytes:
    buffer = io.BytesIO()
    with new_workbook(buffer) as workbook:
        sheet = Sheet(workbook, "学期报告")
        for column, width in enumerate([20, 30, 12, 10, 60, 12, 60]):
            sheet.sheet.set_column(column, column, width)
        sheet.merged(data["title"], len(HEADERS), "title")
        by = f"　生成人：{exported_by}" if exported_by else ""
        sheet.merged(
            f"范围：{data['scope_name']}　学期：{data['semester']}（{data['start']} 至 {data['end']}）"
            f"　生成时间：{data['generated_at']}{by}",
            len(HEADERS),
            "subtitle",
        )
        sheet.append(HEADERS, "header")
        breakdowns = []
        for section in data["sections"]:
            for figure in section["figures"]:
                value = figure["value"] if figure["enabled"] else DISABLED
                sheet.append(
                    [
                        section["title"],
                        figure["label"],
                        "—" if value is None else value,
                        figure["unit"] if figure["enabled"] else "",
                        figure["detail"],
                        figure["source"],
                        absolute(figure["url"]) if figure["url"] else "",
                    ],
                    "body",
                )
                if figure["enabled"] and figure["rows"]:
                    breakdowns.append(figure)
        for figure in breakdowns:
            table = Sheet(workbook, figure["label"])
            columns = figure["columns"]
            headers = ["项目", "数量", *[title for _, title in columns], "明细列表"]
            for column in range(len(headers)):
                table.sheet.set_column(column, column, 60 if column == len(headers) - 1 else 16)
            table.merged(f"{data['title']}：{figure['label']}", len(headers), "title")
            table.append(headers, "header")
            for row in figure["rows"]:
                table.append(
                    [
                        row["label"],
                        row["value"],
                        *["—" if row.get(key) is None else row.get(key) for key, _ in columns],
                        absolute(row.get("url") or ""),
                    ],
                    "body",
                )
    return buffer.getvalue()
