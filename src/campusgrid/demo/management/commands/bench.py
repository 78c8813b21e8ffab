from django.core.management.base import BaseCommand, CommandError

from campusgrid.demo import bench


class Command(BaseCommand):
    help = "大学规模基准测试：名册导入、覆盖审计、主要页面与接口的服务器耗时和 SQL 次数（结果写入 bench-results/）。"

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, default=50000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--runs", type=int, default=30, help="每个页面计时的请求次数")
        parser.add_argument("--skip-import", action="store_true", help="不测名册导入")
        parser.add_argument(
            "--only",
            default="",
            help="只测其中几组，逗号分隔：import, coverage, pages, exports（默认全部）",
        )
        parser.add_argument(
            "--pages",
            default="",
            help="只测名称含其中某个词的页面行，逗号分隔（如 名册,admin；底线总是计时，admin 对比行随其页面）",
        )

    def handle(self, *args, **options):
        out = self.stdout
        only = {part.strip() for part in options["only"].split(",") if part.strip()}
        unknown = only - set(bench.GROUPS)
        if unknown:
            raise CommandError(f"未知的分组：{'、'.join(sorted(unknown))}（可选：{', '.join(bench.GROUPS)}）")
        results = bench.run(
            students=options["students"],
            seed=options["seed"],
            runs=options["runs"],
            skip_import=options["skip_import"],
            out=out,
            only=only or None,
            page_words=[word.strip() for word in options["pages"].split(",") if word.strip()],
        )
        bench.report(results, out)
        path = bench.save(results)
        out.write(f"结果已写入 {path}")
