import json
import sys

from django.core.management.base import BaseCommand

from campusgrid.grid.coverage import GAP_KINDS, compute


class Command(BaseCommand):
    help = "网格覆盖审计（不漏一人）：列出所有漏洞。没有漏洞时退出码为 0，否则为 1。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--json", action="store_true", help="以 JSON 输出（students_total, students_fully_covered, gaps）"
        )

    def handle(self, *args, **options):
        result = compute(None)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(
                f"在校学生 {result.students_total} 人，完全覆盖 {result.students_fully_covered} 人"
                f"（{result.rate * 100:.1f}%），漏洞 {len(result.gaps)} 处"
            )
            for kind, count in result.counts_by_kind().items():
                self.stdout.write(f"  {GAP_KINDS[kind]}（{kind}）：{count}")
            for gap in result.gaps[:200]:
                where = " ".join(
                    str(gap[k]) for k in ("college", "class", "room", "student_no", "staff_no") if gap.get(k)
                )
                self.stdout.write(f"  - {gap['label']}：{where} {gap.get('detail', '')}".rstrip())
            if len(result.gaps) > 200:
                self.stdout.write(f"  ……另有 {len(result.gaps) - 200} 处，使用 --json 查看全部")
        sys.exit(1 if result.gaps else 0)
