from django.core.management.base import BaseCommand

from campusgrid.core.actors import SYSTEM
from campusgrid.core.imports import report_to_command
from campusgrid.grid.imports import import_roster


class Command(BaseCommand):
    help = "导入学生名册（.xlsx/.csv）：学生、班级、寝室与学生职务。任何一行有误则不写入任何数据。"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args, **options):
        result = import_roster(options["file"], actor=SYSTEM, dry_run=options["dry_run"])
        report_to_command(self, result, as_json=options["json"])
