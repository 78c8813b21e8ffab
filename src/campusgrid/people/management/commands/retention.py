from django.core.management.base import BaseCommand

from campusgrid.core.actors import SYSTEM
from campusgrid.people.retention import due_students, retention_run


class Command(BaseCommand):
    help = "按保留期限删除离校学生（毕业、退学）的身份证号、联系方式、重点学生档案、谈话记录、心理筛查和敏感上报；--dry-run 只列出。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只列出将被删除的内容，不写入")

    def handle(self, *args, **options):
        dry = options["dry_run"]
        if dry:
            for student in due_students().select_related("school_class")[:1000]:
                self.stdout.write(
                    f"{student.student_no} {student.name} {student.get_status_display()} 离校于 {student.left_on}"
                )
        result = retention_run(actor=SYSTEM, dry_run=dry)
        verb = "将删除" if dry else "已删除"
        self.stdout.write(f"{verb}：{result.pop('students')} 名学生")
        for label, count in result.items():
            self.stdout.write(f"  {label}：{count}")
