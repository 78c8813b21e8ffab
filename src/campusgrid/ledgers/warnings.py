"""The early-warning rules over the ledgers (预警: 夜不归宿, 节假日逾期未返校), registered
into dossiers' rule registry. Direct imports: renaming a model or field used here breaks
the import or the tests, never silently a rule."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.urls import reverse

from campusgrid.core import clock
from campusgrid.dossiers.models import WarningRule
from campusgrid.dossiers.warnings import Finding, Record, int_param, iso_date, month_day, repeated, rule
from campusgrid.people.models import StudentStatus

from .models import HolidayPlan, HolidayRegistration, NightCheckEntry, NightStatus


@rule(WarningRule.Kind.NIGHT_ABSENCES)
def night_absences(rule_row: WarningRule, now: dt.datetime) -> list[Finding]:
    """N or more nights recorded 未归 (absent without leave) within D days."""
    count = int_param(rule_row, "count", 2)
    days = int_param(rule_row, "days", 30)
    today = clock.local(now).date()
    rows = (
        NightCheckEntry.objects.filter(
            status=NightStatus.ABSENT,
            date__gt=today - dt.timedelta(days=days),
            date__lte=today,
            student__status=StudentStatus.ENROLLED,
        )
        .values_list(
            "student_id", "pk", "date", "night_check__room__building__name", "night_check__room__number"
        )
        .order_by("student_id", "date", "pk")
    )
    url = reverse("ledgers:night-list")
    by_student = defaultdict(list)
    for student_id, pk, date, building, number in rows:
        by_student[student_id].append(
            Record(
                "night_check", pk, date.isoformat(), f"{month_day(date)} 夜不归宿（{building}/{number}）", url
            )
        )
    return repeated(
        by_student, count, lambda n, dates: f"{days}天内查寝记录夜不归宿{n}次（{dates}），达到规则的{count}次"
    )


@rule(WarningRule.Kind.HOLIDAY_OVERDUE)
def holiday_overdue(rule_row: WarningRule, now: dt.datetime) -> list[Finding]:
    """A holiday departure whose return is overdue (plus grace hours) and not confirmed."""
    grace = dt.timedelta(hours=max(0, int(rule_row.params.get("grace_hours", 0) or 0)))
    rows = (
        HolidayRegistration.objects.filter(
            plan=HolidayPlan.LEAVE,
            returned_at__isnull=True,
            return_due__lt=now - grace,
            student__status=StudentStatus.ENROLLED,
        )
        .values_list("student_id", "pk", "return_due", "holiday__name", "destination")
        .order_by("student_id", "return_due", "pk")
    )
    url = reverse("ledgers:holiday-ledger")
    by_student = defaultdict(list)
    for student_id, pk, due, holiday, destination in rows:
        due_local = clock.local(due)
        where = f"，去向{destination}" if destination else ""
        label = f"{holiday}：应于{month_day(due_local)} {due_local:%H:%M}前返校，尚未确认返校{where}"
        by_student[student_id].append(Record("holiday", pk, iso_date(due), label, url))
    return [
        Finding(student_id, records, "节假日逾期未返校：" + "；".join(r.label for r in records))
        for student_id, records in by_student.items()
    ]
