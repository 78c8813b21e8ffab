import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "用 gunicorn 启动 CampusGrid，并每分钟运行一次定时任务（campusgrid tick）。"

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("CAMPUSGRID_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("CAMPUSGRID_WORKERS", "3")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("CAMPUSGRID_THREADS", "4")))
        parser.add_argument(
            "--no-tick",
            action="store_true",
            help="不在本进程旁运行定时任务（生产环境用 systemd timer/cron 时）",
        )
        parser.add_argument("--quiet", action="store_true", help="不输出访问日志")

    def handle(self, *args, **options):
        from gunicorn.app.base import BaseApplication

        from campusgrid.wsgi import application

        ticker = None
        if settings.CAMPUSGRID_TICK_SECONDS and not options["no_tick"]:
            ticker = subprocess.Popen(
                [sys.executable, "-m", "campusgrid", "tick", "--every", str(settings.CAMPUSGRID_TICK_SECONDS)]
            )

        class App(BaseApplication):
            def load_config(self):
                self.cfg.set("bind", options["bind"])
                self.cfg.set("workers", options["workers"])
                self.cfg.set("threads", options["threads"])
                if not options["quiet"]:
                    self.cfg.set("accesslog", "-")
                self.cfg.set("timeout", 120)

            def load(self):
                return application

        try:
            App().run()
        finally:
            if ticker is not None:
                ticker.send_signal(signal.SIGTERM)
                ticker.wait(timeout=10)
