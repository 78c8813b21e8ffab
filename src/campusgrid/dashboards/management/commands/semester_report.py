import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand

from campusgrid.dashboards import selectors_report, services_report

UNIVERSITY = "全校"


class Command(BaseCommand):
    help = (
        "生成学院（或全校）的学期工作报告：PDF（含图表）或 Excel（各项数据及其明细列表地址）。"
        f"--college {UNIVERSITY} 生成全校报告。学院或学期不存在时退出码为 1。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--college", required=True, help=f"学院名称，或“{UNIVERSITY}”")
        parser.add_argument("--semester", required=True, help="学期名称，如 2025-2026学年第一学期")
        parser.add_argument("--format", choices=["pdf", "xlsx"], default="pdf", help="pdf（默认）或 xlsx")
        parser.add_argument("--out", help="输出文件；默认为当前目录下的“学院学期学生网格化管理工作报告.pdf”")

    def handle(self, *args, **options):
        name = options["college"].strip()
        college = None
        if name != UNIVERSITY:
            college = selectors_report.college_by_name(name)
            if college is None:
                self.stderr.write(f"找不到学院“{name}”（--college 请填写学院名称，或“{UNIVERSITY}”）")
                sys.exit(1)
        semester = selectors_report.semester_by_name(options["semester"])
        if semester is None:
            self.stderr.write(f"找不到学期“{options['semester'].strip()}”（--semester 请填写学期名称）")
            sys.exit(1)
        fmt = options["format"]
        scope_name = college.name if college else UNIVERSITY
        out = Path(options["out"] or f"{scope_name}{semester.name}学生网格化管理工作报告.{fmt}")
        started = time.perf_counter()
        verbose = options["verbosity"] > 1

        def progress(done, total, label):
            if verbose:
                self.stderr.write(f"[{done}/{total}] {label}")

        _, content = services_report.report_generate(
            college=college, semester=semester, fmt=fmt, progress=progress
        )
        try:
            out.write_bytes(content)
        except OSError as exc:
            self.stderr.write(f"无法写入文件“{out}”：{exc.strerror}")
            sys.exit(1)
        self.stdout.write(
            f"已生成 {out}（{len(content) // 1024} KB，用时 {time.perf_counter() - started:.1f} 秒）"
        )
