from django.core.management.base import BaseCommand

from campusgrid.core.actors import SYSTEM
from campusgrid.core.imports import report_to_command
from campusgrid.grid.imports import import_staff


class Command(BaseCommand):
    help = (
        "导入教职工（.xlsx/.csv）：工号、姓名、角色、学院、负责班级、手机号。任何一行有误则不写入任何数据。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args, **options):
        result = import_staff(options["file"], actor=SYSTEM, dry_run=options["dry_run"])
        report_to_command(self, result, as_json=options["json"])
