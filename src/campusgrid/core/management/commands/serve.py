import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

# Chosen by measurement on a 2-core server with PostgreSQL (README "Deployment"):
# see gunicorn_settings.
DEFAULT_WORKERS = int(os.environ.get("CAMPUSGRID_WORKERS", "3"))
DEFAULT_THREADS = int(os.environ.get("CAMPUSGRID_THREADS", "4"))


def gunicorn_settings(*, bind: str, workers: int, threads: int, access_log: bool) -> dict:
    """gunicorn's settings for CampusGrid; `campusgrid serve` and the load test both use them."""
    values = {
        "bind": bind,
        "workers": workers,
        "threads": threads,
        "timeout": 120,
    }
    if access_log:
        values["accesslog"] = "-"
    return values


def gunicorn_args(**kwargs) -> list[str]:
    """The same settings as gunicorn command-line options."""
    args = []
    for name, value in gunicorn_settings(**kwargs).items():
        args += [f"--{name.replace('_', '-')}", str(value)]
    return args


class Command(BaseCommand):
    help = "用 gunicorn 启动 CampusGrid，并每分钟运行一次定时任务（campusgrid tick）。"

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("CAMPUSGRID_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=DEFAULT_WORKERS, help="进程数（CAMPUSGRID_WORKERS）"
        )
        parser.add_argument(
            "--threads", type=int, default=DEFAULT_THREADS, help="每个进程的线程数（CAMPUSGRID_THREADS）"
        )
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
        values = gunicorn_settings(
            bind=options["bind"],
            workers=options["workers"],
            threads=options["threads"],
            access_log=not options["quiet"],
        )

        class App(BaseApplication):
            def load_config(self):
                for name, value in values.items():
                    self.cfg.set(name, value)

            def load(self):
                return application

        try:
            App().run()
        finally:
            if ticker is not None:
                ticker.send_signal(signal.SIGTERM)
                ticker.wait(timeout=10)
