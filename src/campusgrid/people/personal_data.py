"""A student's own data as a file (PIPL 第四十五条: the right to access and copy).

Each app contributes what it holds about the student (`core.registry.PersonalDataPart`);
this module assembles them. The counselors' working notes in the key-student dossier
are not part of it: a student asks their counselor for those (README)."""

from __future__ import annotations

from django.utils import timezone

from campusgrid.core import clock
from campusgrid.core.registry import PERSONAL_DATA

from .models import Student


def _iso(value):
    if value is None:
        return None
    if hasattr(value, "tzinfo") and getattr(value, "hour", None) is not None:
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def profile(student: Student) -> dict:
    return {
        "学号": student.student_no,
        "姓名": student.name,
        "性别": student.get_gender_display(),
        "学院": str(student.college) if student.college_id else None,
        "班级": str(student.school_class) if student.school_class_id else None,
        "学籍状态": student.get_status_display(),
        "政治面貌": student.get_political_status_display(),
        "政治面貌变更": [
            {"日期": _iso(change.changed_on), "政治面貌": change.get_status_display()}
            for change in student.political_history.order_by("changed_on", "id")
        ],
        "身份证号": student.id_number or None,
        "手机号": student.phone or None,
        "民族": student.ethnicity or None,
        "生源地": student.origin or None,
        "家长电话": student.parent_phone or None,
        "床位": str(student.bed) if student.bed_id else None,
    }


def personal_data_export(student: Student) -> dict:
    data = {"导出时间": _iso(clock.now()), "个人信息": profile(student)}
    for part in PERSONAL_DATA:
        data[part.label] = part.collect(student)
    return data


iso = _iso
