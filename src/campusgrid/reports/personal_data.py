"""The reports a student filed, for their own-data download (people/personal_data.py)."""

from campusgrid.people.personal_data import iso

from .models import Report


def collect_filed(student) -> list[dict]:
    if student.user_id is None:
        return []
    return [
        {
            "编号": report.pk,
            "上报时间": iso(report.created_at),
            "类别": report.category.name,
            "问题描述": report.description,
            "状态": report.get_state_display(),
        }
        for report in Report.objects.filter(reporter_id=student.user_id).select_related("category")
    ]
