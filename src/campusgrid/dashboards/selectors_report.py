"""Reads of the semester report: the runs a person may open, the colleges and semesters they
may report on."""

from __future__ import annotations

from campusgrid.core.scoping import get_visible_or_404, scope_for
from campusgrid.org.models import College, Semester

from .models import SemesterReportRun

HEAVY = ("data", "pdf", "xlsx")


def report_run_list(*, user, limit: int = 20):
    """The latest runs in reach, without their documents."""
    return (
        SemesterReportRun.objects.visible_to(user)
        .select_related("college", "semester")
        .defer(*HEAVY)
        .order_by("-requested_at", "-id")[:limit]
    )


def report_run_get(*, user, pk: int, with_documents: bool = False) -> SemesterReportRun:
    qs = SemesterReportRun.objects.select_related("college", "semester")
    if not with_documents:
        qs = qs.defer("pdf", "xlsx")
    return get_visible_or_404(qs, user, pk=pk)


def report_colleges(*, user) -> list[College]:
    """The colleges the user may report on (the office: all; a leader: theirs)."""
    scope = scope_for(user)
    qs = College.objects.order_by("name")
    if not scope.manage_everything:
        qs = qs.filter(pk__in=scope.manage_college_ids)
    return list(qs)


def semester_list():
    return list(Semester.objects.order_by("-start"))


def college_by_name(name: str) -> College | None:
    return College.objects.filter(name=(name or "").strip()).first()


def semester_by_name(name: str) -> Semester | None:
    return Semester.objects.filter(name=(name or "").strip()).first()
