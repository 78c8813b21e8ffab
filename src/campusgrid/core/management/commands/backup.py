from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campusgrid.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "备份数据库、上传文件和清单到一个归档文件（不含字段加密密钥，密钥须另行备份）。服务运行时也可执行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", help="归档文件路径（默认：CAMPUSGRID_BACKUP_DIR 下按时间命名）")

    def handle(self, *args, **options):
        try:
            path, manifest = backup(Path(options["out"]) if options["out"] else None)
        except BackupError as exc:
            raise CommandError(exc.message)
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"已备份到 {path}：{len(manifest['tables'])} 张表，{rows} 行，{manifest['uploads']['files']} 个上传文件"
        )
