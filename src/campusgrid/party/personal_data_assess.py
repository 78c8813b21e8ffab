"""What the party's assessments and awards hold about a student: their own-data download
(PIPL 第四十五条, people/personal_data.py) and the erasure when their retention ends."""

from __future__ import annotations

from campusgrid.people.personal_data import iso

from .models import Assessment, Award


def collect_assessments(student) -> list[dict]:
    """The assessments about the student (their own data: score and comment included)."""
    return [
        {
            "学期": a.semester.name,
            "评议类别": a.get_kind_display(),
            "评议人": a.assessor_name,
            "评分": a.score,
            "评语": a.comment,
            "评议时间": iso(a.updated_at),
        }
        for a in Assessment.objects.filter(subject=student).select_related("semester").order_by("created_at")
    ]


def collect_awards(student) -> list[dict]:
    return [
        {
            "学期": a.semester.name,
            "奖项": a.get_kind_display(),
            "党支部": a.branch.name,
            "状态": a.get_state_display(),
            "公布时间": iso(a.published_at),
        }
        for a in Award.objects.filter(student=student)
        .select_related("semester", "branch")
        .order_by("proposed_at")
    ]


def erase_assessments(students, dry_run: bool) -> int:
    """Assessments are sensitive: erased with the student's other sensitive data. Awards
    stay (a published honour is public record)."""
    rows = Assessment.objects.filter(subject__in=students)
    if dry_run:
        return rows.count()
    return rows.delete()[0]
