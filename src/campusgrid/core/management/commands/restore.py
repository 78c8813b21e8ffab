from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campusgrid.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "把 backup 生成的归档恢复到一个新建的空数据库（尚未 migrate）；密钥无法解密时拒绝恢复。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="backup 生成的 .tar.gz 文件")

    def handle(self, *args, **options):
        try:
            report = restore(Path(options["file"]))
        except BackupError as exc:
            raise CommandError(exc.message)
        self.stdout.write(
            f"已恢复：{report['tables']} 张表，{report['rows']} 行；抽查解密 {report['decrypted_sample']} 个敏感字段，均正常"
        )
