import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from campusgrid.core.registry import TICK_JOBS
from campusgrid.core.tick import run_due


class Command(BaseCommand):
    help = "执行所有到期的定时任务（超时升级、查寝未完成提醒、返校逾期、复查提醒等）。可重复执行，第二次不会重复处理。"

    def add_arguments(self, parser):
        parser.add_argument("--now", help="以该时间（ISO-8601，如 2026-11-26T22:30:00+08:00）为当前时间执行")
        parser.add_argument(
            "--every", type=int, default=0, help="每隔若干秒执行一次，持续运行（由 serve 使用）"
        )

    def handle(self, *args, **options):
        now = None
        if options["now"]:
            try:
                now = dt.datetime.fromisoformat(options["now"])
            except ValueError:
                raise CommandError("--now 需要 ISO-8601 时间，例如 2026-11-26T22:30:00+08:00")
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        if options["every"]:
            while True:
                close_old_connections()
                run_due()
                time.sleep(options["every"])
        done = run_due(now)
        if done is None:
            self.stdout.write("另一进程（或另一台服务器）正在执行定时任务，本次跳过")
            return
        for name, count in done.items():
            self.stdout.write(f"{name}: {count}")
        if not TICK_JOBS:
            self.stdout.write("没有定时任务")
