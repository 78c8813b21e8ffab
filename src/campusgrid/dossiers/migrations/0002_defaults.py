from django.db import migrations

REASONS = ["心理", "学业困难", "经济困难", "违纪", "身心疾病", "家庭变故", "就业困难", "其他"]
INSTRUMENTS = [
    ("UPI", 25, 60, "大学生人格问卷：总分25分及以上为第一类筛查对象"),
    ("SCL-90", 160, 450, "症状自评量表：总分160分及以上为阳性"),
    ("PHQ-9", 10, 27, "抑郁筛查：10分及以上为中度及以上"),
    ("GAD-7", 10, 21, "焦虑筛查：10分及以上为中度及以上"),
    ("SDS", 53, 100, "抑郁自评量表（标准分）：53分及以上"),
    ("SAS", 50, 100, "焦虑自评量表（标准分）：50分及以上"),
]
# key, kind, name, description, params, suggested reason, suggested level (as in models.DEFAULT_RULES)
RULES = [
    ("night-absences", "night_absences", "多次夜不归宿", "30天内夜不归宿2次及以上",
     {"count": 2, "days": 30}, "其他", "attention"),
    ("holiday-overdue", "holiday_overdue", "节假日逾期未返校", "节假日离校后超过应返校时间仍未返校",
     {"grace_hours": 0}, "其他", "attention"),
    ("repeated-discipline", "repeated_reports", "多次违纪", "180天内被上报违纪2次及以上",
     {"categories": ["违纪"], "count": 2, "days": 180}, "违纪", "key"),
    ("repeated-disputes", "repeated_reports", "多次矛盾纠纷", "90天内涉及矛盾纠纷上报2次及以上",
     {"categories": ["矛盾纠纷"], "count": 2, "days": 90}, "其他", "attention"),
    ("screening-flag", "screening_flag", "心理筛查预警", "心理筛查总分达到量表阈值或有危机标记",
     {"days": 365}, "心理", "key"),
]


def forwards(apps, schema_editor):
    KeyReason = apps.get_model("dossiers", "KeyReason")
    Instrument = apps.get_model("dossiers", "ScreeningInstrument")
    WarningRule = apps.get_model("dossiers", "WarningRule")
    for order, name in enumerate(REASONS, start=1):
        KeyReason.objects.get_or_create(name=name, defaults={"order": order * 10})
    for name, threshold, max_score, description in INSTRUMENTS:
        Instrument.objects.get_or_create(
            name=name, defaults={"threshold": threshold, "max_score": max_score, "description": description}
        )
    for order, (key, kind, name, description, params, reason, level) in enumerate(RULES, start=1):
        WarningRule.objects.get_or_create(
            key=key,
            defaults={
                "kind": kind,
                "name": name,
                "description": description,
                "params": params,
                "suggested_reason": KeyReason.objects.get(name=reason),
                "suggested_level": level,
                "order": order * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
