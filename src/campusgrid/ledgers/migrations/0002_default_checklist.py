from django.db import migrations

ITEMS = [
    # name, counts in the illegal-appliance rate, report category when it cannot be fixed
    ("违章电器", True, "违章电器"),
    ("私拉电线", False, "安全隐患"),
    ("吸烟", False, "安全隐患"),
    ("易燃物", False, "安全隐患"),
    ("消防通道堵塞", False, "安全隐患"),
    ("门窗损坏", False, "安全隐患"),
    ("卫生", False, "其他"),
    ("节水节电", False, "其他"),
]


def forwards(apps, schema_editor):
    InspectionItem = apps.get_model("ledgers", "InspectionItem")
    LedgerSettings = apps.get_model("ledgers", "LedgerSettings")
    for order, (name, illegal, category) in enumerate(ITEMS, start=1):
        InspectionItem.objects.get_or_create(
            name=name, defaults={"illegal_appliance": illegal, "report_category": category, "order": order * 10}
        )
    LedgerSettings.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("ledgers", "0001_initial"), ("reports", "0002_default_categories")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
