import json

from django.core.management.base import BaseCommand

from campusgrid.demo import loadtest
from campusgrid.demo.bench import RESULTS_DIR
from campusgrid.demo.builder import DEMO_PASSWORD


class Command(BaseCommand):
    help = "负载测试：用 gunicorn 启动本系统，200 名不同身份的用户登录后模拟晚间操作（查寝、上报列表、工作台），输出吞吐量、延迟和错误数。只访问 127.0.0.1。"

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=200)
        parser.add_argument("--seconds", type=int, default=120)
        parser.add_argument("--workers", type=int, default=4)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--password", default=DEMO_PASSWORD, help="演示账号的密码")
        parser.add_argument("--think", help="所有用户两次操作之间的秒数，如 1:3（压力测试）；默认按晚间节奏")

    def handle(self, *args, **options):
        think = None
        if options["think"]:
            low, _, high = options["think"].partition(":")
            think = (float(low), float(high or low))
        result = loadtest.run(
            users=options["users"],
            seconds=options["seconds"],
            workers=options["workers"],
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
