import datetime as dt
import json
import os

from django.core.management.base import BaseCommand, CommandError

from campusgrid.demo import loadtest
from campusgrid.demo.bench import RESULTS_DIR
from campusgrid.demo.builder import DEMO_PASSWORD


class Command(BaseCommand):
    help = "负载测试：用 gunicorn 启动本系统，200 名不同身份的用户登录后模拟晚间操作（查寝、上报列表、工作台），输出吞吐量、延迟和错误数。只访问 127.0.0.1。"

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=200)
        parser.add_argument("--seconds", type=int, default=120)
        parser.add_argument(
            "--workers",
            type=int,
            help="gunicorn 进程数（evening 默认 4；evening-peak 默认与 campusgrid serve 相同）",
        )
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--password", default=DEMO_PASSWORD, help="演示账号的密码")
        parser.add_argument("--think", help="所有用户两次操作之间的秒数，如 1:3（压力测试）；默认按晚间节奏")
        parser.add_argument(
            "--profile",
            choices=["evening", "evening-peak"],
            default="evening",
            help="evening：200 名用户的晚间操作；evening-peak：21:00–21:20 查寝高峰（舍长按到达曲线，辅导员每30–60秒刷新进度，学院领导每几分钟，学生看请假/节假日）",
        )
        parser.add_argument(
            "--threads",
            type=int,
            help="每个 gunicorn 进程的线程数（evening-peak；默认与 campusgrid serve 相同）",
        )
        parser.add_argument(
            "--rate", type=float, help="evening-peak：保持总请求率（次/秒）不变，而不是按到达曲线"
        )
        parser.add_argument(
            "--night", type=dt.date.fromisoformat, help="evening-peak：查寝的晚上（默认服务器自己的“今晚”）"
        )
        parser.add_argument(
            "--start-minute",
            type=float,
            default=0.0,
            help="evening-peak：从查寝开始后第几分钟起（到达曲线上的位置）",
        )
        parser.add_argument(
            "--watchers", type=float, default=1.0, help="evening-peak：观看进度的辅导员、领导和学生人数的倍数"
        )
        parser.add_argument(
            "--profile-requests",
            type=int,
            metavar="N",
            help="evening-peak：不启动服务器，在本进程中把高峰的每类请求各重放 N 次，输出每次请求的 CPU 毫秒数和 cProfile 热点",
        )
        parser.add_argument(
            "--profile-top",
            type=int,
            default=25,
            help="--profile-requests：每类请求列出的 cProfile 条目数（0：不剖析）",
        )

    def handle(self, *args, **options):
        if options["profile"] == "evening-peak":
            return self.peak(options)
        think = None
        if options["think"]:
            low, _, high = options["think"].partition(":")
            think = (float(low), float(high or low))
        result = loadtest.run(
            users=options["users"],
            seconds=options["seconds"],
            workers=options["workers"] or 4,
            seed=options["seed"],
            password=options["password"],
            out=self.stdout,
            think=think,
        )
        w = self.stdout.write
        w(
            f"\n{result['users']} 名用户，{result['seconds']} 秒，{result['requests']} 次请求，"
            f"吞吐量 {result['throughput_rps']} 次/秒"
        )
        w(
            f"延迟 p50 {result['p50_ms']} ms，p95 {result['p95_ms']} ms，p99 {result['p99_ms']} ms；错误 {result['errors']} 次"
        )
        for label, row in result["by_request"].items():
            w(
                f"  {label:<10} n={row['n']:<6} p50 {row['p50_ms']:>7} ms  p95 {row['p95_ms']:>7} ms  错误 {row['errors']}"
            )
        for sample in result["error_samples"]:
            w(f"  错误示例：{sample}")
        RESULTS_DIR.mkdir(exist_ok=True)
        path = RESULTS_DIR / f"loadtest-{result['engine']}-{result['at'].replace(':', '')}.json"
        path.write_text(json.dumps(result, ensure_ascii=False, indent=2))
        w(f"结果已写入 {path}")

    def peak(self, options):
        from campusgrid.core.management.commands import serve
        from campusgrid.demo import peak

        if options["profile_requests"]:
            from campusgrid.demo import peak_profile

            peak_profile.run(
                requests=options["profile_requests"],
                night=options["night"],
                seed=options["seed"],
                top=options["profile_top"],
                out=self.stdout,
            )
            return

        if options["seconds"] > 300:
            raise CommandError("evening-peak 每次最多运行 300 秒")
        warning = autovacuum_warning()
        if warning:
            self.stdout.write(warning)
        result = peak.run(
            seconds=options["seconds"],
            workers=options["workers"] or serve.DEFAULT_WORKERS,
            threads=options["threads"] or serve.DEFAULT_THREADS,
            seed=options["seed"],
            out=self.stdout,
            night=options["night"],
            start_minute=options["start_minute"],
            rate=options["rate"],
            watchers=options["watchers"],
        )
        w = self.stdout.write
        w(
            f"\n{result['night']} 晚，时钟从 {result['clock_from']} 起，{result['seconds']} 秒，"
            f"查寝 {result['rooms_checked']} 间（其中更正 {result['rooms_rechecked']} 间），"
            f"{result['requests']} 次请求，吞吐量 {result['throughput_rps']} 次/秒"
        )
        w(
            "每分钟请求率："
            + "，".join(f"第{int(m) + 1}分钟 {v}" for m, v in result["per_minute_rps"].items())
        )
        w(
            f"延迟 p50 {result['p50_ms']} ms，p95 {result['p95_ms']} ms，p99 {result['p99_ms']} ms；错误 {result['errors']} 次"
        )
        for label, row in result["by_request"].items():
            w(
                f"  {label:<10} n={row['n']:<6} p50 {row['p50_ms']:>7} ms  p95 {row['p95_ms']:>7} ms  "
                f"p99 {row['p99_ms']:>7} ms  错误 {row['errors']}"
            )
        for kind, n in result["errors_by_kind"].items():
            w(f"  错误 {n} 次：{kind}")
        cpu = result["cpu"]
        w(
            "每个成功请求的 CPU 时间：应用 {app} ms，PostgreSQL {postgresql} ms，负载生成器 {load_generator} ms".format(
                **cpu["ms_per_answered_request"]
            )
            + f"；按此估算两个空闲核心约可承受 {cpu['two_idle_cores_rps']} 次/秒"
        )
        if cpu.get("machine_busy_share") is not None:
            w(
                f"运行期间整机 CPU 占用 {cpu['machine_busy_share']:.0%}（{os.cpu_count()} 核，含负载生成器与数据库）"
            )
        w("负载（uptime，1/5/15 分钟）：" + " ".join(f"{v:.2f}" for v in result["load_average"]))
        RESULTS_DIR.mkdir(exist_ok=True)
        path = RESULTS_DIR / f"loadtest-peak-{result['engine']}-{result['at'].replace(':', '')}.json"
        path.write_text(json.dumps(result, ensure_ascii=False, indent=2))
        w(f"结果已写入 {path}")


def autovacuum_warning() -> str:
    """A line to print when the server does not vacuum: the peak's writes then leave dead rows
    that every later read walks (the CI machines run PostgreSQL with autovacuum = off), and the
    figures are those of a server in a state no production one is in."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        (value,) = cursor.fetchone()
    if value == "on":
        return ""
    return (
        "注意：本数据库服务器关闭了 autovacuum，写入留下的死行不会自动清理，测得的延迟会高于正常运行的服务器；"
        "请在每次测试前运行 VACUUM (ANALYZE)。"
    )
