"""What pairing and 舆情 hold about a student, for their own-data download (PIPL 第四十五条):
their employment pairing with its contacts, and the 舆情 reports they filed."""

from campusgrid.people.personal_data import iso

from .models import OpinionItem, Pairing


def collect_pairing(student) -> list[dict]:
    rows = []
    for pairing in Pairing.objects.filter(student=student).prefetch_related("contacts"):
        rows.append(
            {
                "结对党员": pairing.mentor_name,
                "帮扶目标": pairing.goal,
                "结对日期": iso(pairing.started_on),
                "去向": pairing.get_outcome_display(),
                "去向日期": iso(pairing.outcome_on) if pairing.outcome_on else "",
                "联系记录": [
                    {
                        "日期": iso(c.contacted_on),
                        "方式": c.get_way_display(),
                        "内容": c.content,
                        "下一步": c.next_step,
                    }
                    for c in pairing.contacts.all()
                ],
            }
        )
    return rows


def collect_opinion(student) -> list[dict]:
    if student.user_id is None:
        return []
    return [
        {
            "周期": item.report.period_label,
            "类别": item.get_kind_display(),
            "来源": item.get_source_display(),
            "内容摘要": item.summary,
            "报送时间": iso(item.created_at),
        }
        for item in OpinionItem.objects.filter(report__reporter_id=student.user_id).select_related("report")
    ]
