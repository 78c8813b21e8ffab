from django.db import migrations

CATEGORIES = [
    # name, urgent (levels 3 and 4 at once), sensitive (level 3 and above only)
    ("安全隐患", False, False),
    ("违章电器", False, False),
    ("矛盾纠纷", False, False),
    ("心理健康", True, True),
    ("舆情", False, False),
    ("违纪", False, True),
    ("夜不归宿", False, False),
    ("学业", False, False),
    ("生活困难", False, True),
    ("意识形态", False, False),
    ("突发事件", True, False),
    ("其他", False, False),
]
DEADLINES = [("urgent", 30, 240), ("major", 120, 1440), ("serious", 720, 4320), ("normal", 1440, 10080)]


def forwards(apps, schema_editor):
    Category = apps.get_model("reports", "Category")
    DeadlinePolicy = apps.get_model("reports", "DeadlinePolicy")
    for order, (name, urgent, sensitive) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(name=name, defaults={"urgent": urgent, "sensitive": sensitive,
                                                            "order": order * 10})
    for severity, accept, handle in DEADLINES:
        DeadlinePolicy.objects.get_or_create(severity=severity, defaults={"accept_minutes": accept,
                                                                          "handle_minutes": handle})


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
