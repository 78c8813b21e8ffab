import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from campusgrid.demo.builder import DEMO_PASSWORD, build
from campusgrid.people.models import Student

LOGINS_FILE = "demo_logins.txt"


class Command(BaseCommand):
    help = "生成演示学院（确定性数据）：campusgrid demo [--students N] [--seed S]。默认约2000名学生；50000 时生成约30个学院的大学。"

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--if-empty", action="store_true", help="数据库已有学生时不生成，只显示演示账号")
        parser.add_argument(
            "--replace", action="store_true", help="清空数据库后重新生成（危险：删除所有数据）"
        )

    def handle(self, *args, **options):
        path = Path(settings.DATA_DIR) / LOGINS_FILE
        if Student.objects.exists():
            if options["if_empty"]:
                if path.exists():
                    self.stdout.write(path.read_text())
                return
            if not options["replace"]:
                raise CommandError(
                    "数据库中已有学生数据。如需重建演示数据，请加 --replace（将删除所有数据）。"
                )
            call_command("flush", interactive=False, verbosity=0)
        if options["students"] < 50:
            raise CommandError("--students 至少为 50")
        started = time.monotonic()
        demo = build(students=options["students"], seed=options["seed"], stdout=self.stdout)
        elapsed = time.monotonic() - started
        lines = [f"演示账号（密码均为 {DEMO_PASSWORD}；用户名为学号或工号）："]
        for role, username, name in demo.logins:
            lines.append(f"  {username:<13} {name}\t{role}")
        text = "\n".join(lines) + "\n"
        path.write_text(text)
        self.stdout.write(f"用时 {elapsed:.1f} 秒")
        self.stdout.write(text)
