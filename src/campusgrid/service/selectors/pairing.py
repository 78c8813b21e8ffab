"""Every read of pairings and job posts that pages, the API and exports share."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from campusgrid.core.scoping import get_visible_or_404, scope_for

from ..models import JobPost, Outcome, Pairing, PairingSettings
from ..models.pairing import DIFFICULTY_REASON, SETTLED


def pairing_list(
    *, user, quiet: bool = False, outcome: str | None = None, filters=None, with_contacts: bool = False
) -> QuerySet:
    """The pairings in reach; `filters` (query parameters) through the page's FilterSet."""
    from ..filters_more import PairingFilter, filtered

    qs = (
        Pairing.objects.visible_to(user)
        .select_related("student__school_class", "student__college")
        .annotate(contact_count=Count("contacts"))
        .order_by("outcome", "last_contact_on", "id")
    )
    if quiet:
        qs = qs.quiet()
    if outcome in Outcome.values:
        qs = qs.filter(outcome=outcome)
    if with_contacts:
        qs = qs.prefetch_related("contacts")
    if filters is not None:
        qs = filtered(PairingFilter, filters, qs)[1]
    return qs


def pairing_get(*, user, pk) -> Pairing:
    qs = Pairing.objects.select_related(
        "student__school_class", "student__college", "mentor"
    ).prefetch_related("contacts")
    return get_visible_or_404(qs, user, pk=pk)


def outcome_rate(pairings) -> dict:
    """去向落实率: settled (签约、升学、出国、灵活就业) over all pairings shown, by one aggregate."""
    figures = pairings.order_by().aggregate(
        total=Count("id", distinct=True), settled=Count("id", filter=Q(outcome__in=SETTLED), distinct=True)
    )
    total, settled = figures["total"] or 0, figures["settled"] or 0
    return {"total": total, "settled": settled, "rate": round(settled * 100 / total, 1) if total else None}


def difficulty_candidates(*, user) -> list:
    """Students marked 就业困难 (active key-student reason) in the user's reach who have no pairing yet."""
    from campusgrid.dossiers.models import KeyStudent

    if not scope_for(user).is_manager:
        return []
    files = (
        KeyStudent.objects.visible_to(user, "change")
        .filter(active=True, reasons__name=DIFFICULTY_REASON, student__pairing__isnull=True)
        .select_related("student__school_class")
        .order_by("student__school_class__name", "student__student_no")
        .distinct()
    )
    return [f.student for f in files[:200]]


def mine_q(user) -> Q:
    """The user's pairings: as mentor, or as the student paired. By the user's own student id,
    not a join to the students: an OR across two tables cannot use an index, and the menu asks
    it on every page (3.2 ms in PostgreSQL for each request at 50,000 students; now two index
    probes)."""
    student = getattr(user, "student", None)
    return Q(mentor=user) | Q(student_id=student.pk) if student is not None else Q(mentor=user)


def my_pairings(*, user) -> QuerySet:
    """The pairings where the user is the mentor or the student (我的结对)."""
    return (
        Pairing.objects.visible_to(user)
        .filter(mine_q(user))
        .select_related("student__school_class", "mentor")
        .prefetch_related("contacts")
    )


def has_pairing(user) -> bool:
    cached = getattr(user, "_campusgrid_has_pairing", None)
    if cached is None:
        cached = Pairing.objects.filter(mine_q(user)).exists()
        user._campusgrid_has_pairing = cached
    return cached


def job_post_list(*, user, open_only: bool = True) -> QuerySet:
    qs = JobPost.objects.visible_to(user).select_related("college").prefetch_related("majors")
    return qs.open() if open_only else qs


def job_posts_for_me(*, user) -> QuerySet:
    """A student's own posts: open, of their major and their grade."""
    student = getattr(user, "student", None)
    if student is None or student.school_class_id is None:
        return JobPost.objects.none()
    cls = student.school_class
    return job_post_list(user=user).filter(majors=cls.major_id, grade_year=cls.grade.year).distinct()


def graduating_year() -> int:
    return PairingSettings.get().graduating_year()
