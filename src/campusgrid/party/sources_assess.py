"""Assessment sources the party app registers itself (core.registry.AssessmentSource): the
volunteer hours and 学时 of the service app's one hours ledger. Other apps (service's 舆情
reports, on its own branch) register theirs from their hooks the same way."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

ACTIVE_HOURS = Decimal(5)  # "active volunteer": more than 5 hours (REFERENCE.md §2)


def _hours(value) -> str:
    return f"{(value or Decimal(0)).normalize():f}小时"


def service_hours_lines(*, user, student, semester) -> list[dict]:
    """The semester's volunteer hours and 学时 of the student (their own ledger's figures)."""
    from campusgrid.service.selectors.sessions import hours_of

    row = next((s for s in hours_of(student=student)["semesters"] if s["name"] == semester.name), None)
    return [
        {"label": "志愿时长", "value": _hours(row["volunteer"] if row else 0)},
        {"label": "学时", "value": _hours(row["study"] if row else 0)},
    ]


def service_hours_points(*, user, students, semester) -> dict[int, list[tuple[int, str]]]:
    """Award points for volunteer hours in the semester, one query for all the candidates."""
    from campusgrid.service.models import HoursCredit, HoursKind

    totals = (
        HoursCredit.objects.filter(
            student_id__in=[s.pk for s in students], semester=semester, kind=HoursKind.VOLUNTEER
        )
        .values("student_id")
        .annotate(total=Sum("hours"))
        .values_list("student_id", "total")
    )
    result = {}
    for student_id, total in totals:
        if total and total > 0:
            points = 2 if total > ACTIVE_HOURS else 1
            result[student_id] = [(points, f"本学期志愿服务{_hours(total)}")]
    return result
