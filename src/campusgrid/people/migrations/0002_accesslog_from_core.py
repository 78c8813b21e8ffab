# The sensitive-data access log moves from core to people (core knows nothing of
# students). State only: the table core_accesslog and every row in it stay as they are.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import campusgrid.core.clock


def move_content_type(apps, schema_editor, old="core", new="people"):
    """Admin history and permissions follow the model to its new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new, model="accesslog").exists():
        ContentType.objects.filter(app_label=old, model="accesslog").update(app_label=new)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, old="people", new="core")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("core", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AccessLog",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("at", models.DateTimeField(db_index=True, default=campusgrid.core.clock.now, verbose_name="时间")),
                        ("actor_name", models.CharField(blank=True, max_length=64, verbose_name="访问人姓名")),
                        ("action", models.CharField(choices=[("view", "查看"), ("export", "导出"), ("api_read", "接口读取")], max_length=16, verbose_name="方式")),
                        ("item", models.CharField(db_index=True, max_length=32, verbose_name="数据项")),
                        ("student_no", models.CharField(blank=True, db_index=True, max_length=32, verbose_name="学号")),
                        ("path", models.CharField(blank=True, max_length=255, verbose_name="地址")),
                        ("ip", models.GenericIPAddressField(blank=True, null=True, verbose_name="IP")),
                        ("purpose", models.CharField(blank=True, max_length=255, verbose_name="用途")),
                        ("actor", models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="访问人")),
                        ("student", models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="people.student", verbose_name="学生")),
                    ],
                    options={
                        "verbose_name": "敏感信息访问日志",
                        "verbose_name_plural": "敏感信息访问日志",
                        "ordering": ["-at", "-id"],
                        "db_table": "core_accesslog",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
