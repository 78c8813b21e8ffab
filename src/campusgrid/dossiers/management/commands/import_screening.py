from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from campusgrid.core.actors import SYSTEM
from campusgrid.core.imports import report_to_command
from campusgrid.dossiers.imports import import_screening


class Command(BaseCommand):
    help = (
        "导入心理筛查结果（.xlsx/.csv：学号、量表、总分、标记、危机）。任何一行有误则不写入任何数据；"
        "达到阈值的学生进入辅导员跟进名单，危机标记立即上报三级、四级网格员。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--semester", required=True, help="学期名称，如 2026-2027学年第一学期")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")
        parser.add_argument("--user", help="以该账号（用户名）的名义导入；默认为系统账号")

    def handle(self, *args, **options):
        actor = SYSTEM
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"找不到账号“{options['user']}”")
        result = import_screening(
            options["file"], semester=options["semester"], actor=actor, dry_run=options["dry_run"]
        )
        report_to_command(self, result, as_json=options["json"])
