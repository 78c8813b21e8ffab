"""Reads of the semester awards: the branches on a person's desk, the candidates the records
propose per branch (each with its reasons in Chinese), the quota and its use, the proposals
and the published list, and a student's awards (student page and dossier)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q
from django.http import Http404

from campusgrid.core.registry import ASSESSMENT_SOURCES
from campusgrid.core.scoping import get_visible_or_404
from campusgrid.grid.models import PartyBranch
from campusgrid.people.models import PARTY_MEMBERS, Student, StudentStatus

from .. import policy_assess as policy
from ..models import (
    DEFAULT_QUOTAS,
    HOLDING_STATES,
    Assessment,
    Award,
    AwardKind,
    AwardQuota,
    AwardState,
)


def desk_branches(*, user):
    """The branches whose desk the user opens: their own as secretary, their college's as a
    leader, every branch for the office."""
    from campusgrid.core.scoping import scope_for

    posts = policy.party_posts(user)
    scope = scope_for(user)
    qs = PartyBranch.objects.filter(kind=PartyBranch.Kind.STUDENT)
    if scope.is_office:
        pass  # every branch
    elif posts.secretary_branch_ids:
        qs = qs.visible_to(user).filter(
            Q(pk__in=posts.secretary_branch_ids) | Q(college_id__in=scope.manage_college_ids)
        )
    else:
        # A leader's colleges are within their reach, and so are all their branches: asked of the
        # branches' table alone, without the reach's subqueries (the menu asks it on every page a
        # leader opens: 2.6 ms of its 9.5 at 50,000 students).
        qs = qs.filter(college_id__in=scope.manage_college_ids)
    return qs.select_related("college").order_by("college__name", "name")


def desk_branch_get(*, user, pk) -> PartyBranch:
    branch = get_visible_or_404(PartyBranch.objects.select_related("college"), user, pk=pk)
    if not policy.may_see_desk(user, branch):
        raise Http404("未找到，或不在您的管理范围内")
    return branch


def default_branch(*, user) -> PartyBranch | None:
    return desk_branches(user=user).first()


# --- quota ----------------------------------------------------------------------------------------------


def quotas(*, branch, semester) -> dict[str, dict]:
    """Per award: the places (the college's, or the default) and those taken."""
    set_ = dict(AwardQuota.objects.filter(branch=branch, semester=semester).values_list("kind", "quota"))
    used = dict(
        Award.objects.filter(branch=branch, semester=semester, state__in=HOLDING_STATES)
        .values("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    return {
        kind: {
            "label": label,
            "quota": set_.get(kind, DEFAULT_QUOTAS[kind]),
            "default": kind not in set_,
            "used": used.get(kind, 0),
        }
        for kind, label in AwardKind.choices
    }


# --- candidates from the records -------------------------------------------------------------------------


def _residents(branch):
    return (
        Student.objects.filter(bed__room__party_room__branch=branch, status=StudentStatus.ENROLLED)
        .select_related("school_class", "bed__room__building")
        .order_by("student_no")
    )


def award_candidates(*, user, branch, semester) -> dict[str, list[dict]]:
    """学期评优候选: the branch's residents ranked by what the records of the semester say —
    their room's rating and inspections, their own night checks and hazards, the reports they
    filed, their assessment and their party post, and what registered sources add (service
    hours) — each with its reasons spelled out. Party members are candidates for 优秀党员, the
    others for 先进个人; anyone with a negative balance is left out. Constant queries."""
    from campusgrid.grid.models import Post, PostKind
    from campusgrid.ledgers import selectors as ledgers
    from campusgrid.reports.models import State
    from campusgrid.reports.selectors import report_list

    if not policy.may_see_desk(user, branch):
        raise Http404("未找到，或不在您的管理范围内")
    first, last = semester.start, semester.end
    students = list(_residents(branch))
    ids = [s.pk for s in students]
    room_ids = {s.bed.room_id for s in students}
    points: dict[int, list[tuple[int, str, bool]]] = defaultdict(list)

    ratings = {
        r.room_id: r for r in ledgers.rating_list(user=user, semester=semester).filter(room_id__in=room_ids)
    }
    illegal_rooms = set(
        ledgers.finding_list(user=user)
        .filter(
            room_id__in=room_ids,
            item__illegal_appliance=True,
            found_at__date__gte=first,
            found_at__date__lte=last,
        )
        .values_list("room_id", flat=True)
    )
    inspected = dict(
        ledgers.inspection_list(user=user)
        .filter(room_id__in=room_ids, state="done", round__date__gte=first, round__date__lte=last)
        .order_by()
        .values("room_id")
        .annotate(n=Count("id"))
        .values_list("room_id", "n")
    )
    responsible = dict(
        ledgers.finding_list(user=user)
        .filter(students__in=ids, found_at__date__gte=first, found_at__date__lte=last)
        .order_by()
        .values("students")
        .annotate(n=Count("id", distinct=True))
        .values_list("students", "n")
    )
    absences = dict(
        ledgers.night_entry_list(user=user, filters={"status": "absent", "date_from": first, "date_to": last})
        .filter(student_id__in=ids)
        .order_by()
        .values("student_id")
        .annotate(n=Count("id"))
        .values_list("student_id", "n")
    )
    checked_rooms = set(
        ledgers.night_check_list(user=user)
        .filter(room_id__in=room_ids, date__gte=first, date__lte=last)
        .prefetch_related(None)
        .values_list("room_id", flat=True)
    )
    user_ids = {s.user_id: s.pk for s in students if s.user_id}
    filed: dict[int, dict] = defaultdict(lambda: {"total": 0, "closed": 0})
    for reporter_id, state, n in (
        report_list(user=user)
        .filter(reporter_id__in=user_ids, created_at__date__gte=first, created_at__date__lte=last)
        .prefetch_related(None)
        .select_related(None)
        .order_by()
        .values("reporter_id", "state")
        .annotate(n=Count("id"))
        .values_list("reporter_id", "state", "n")
    ):
        row = filed[user_ids[reporter_id]]
        row["total"] += n
        if state in (State.CLOSED, State.FED_BACK, State.HANDLED):
            row["closed"] += n
    scores = {a.subject_id: a.score for a in Assessment.objects.filter(semester=semester, subject_id__in=ids)}
    posts = defaultdict(set)
    for student_id, kind in Post.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=first),
        student_id__in=ids,
        start_date__lte=last,
        kind__in=[
            PostKind.BRANCH_SECRETARY,
            PostKind.SMALL_GRID_LEADER,
            PostKind.ACTIVIST,
            PostKind.DORM_HEAD,
        ],
    ).values_list("student_id", "kind"):
        posts[student_id].add(kind)

    for s in students:
        add = points[s.pk].append
        rating = ratings.get(s.bed.room_id)
        if rating is not None:
            if rating.model_room:
                add((3, f"所在寝室{s.bed.room.label}获评示范寝室", False))
            elif rating.civil:
                add((2, f"所在寝室{s.bed.room.label}获评文明宿舍", False))
            if rating.stars >= 4:
                add(
                    (
                        rating.stars - 3,
                        f"所在寝室获评{rating.stars}星级宿舍（平均{rating.average_score}分）",
                        False,
                    )
                )
        if inspected.get(s.bed.room_id) and s.bed.room_id not in illegal_rooms:
            add((1, f"本学期寝室检查{inspected[s.bed.room_id]}次，无违章电器", False))
        if responsible.get(s.pk):
            add((-2 * responsible[s.pk], f"本学期被列为寝室隐患责任人{responsible[s.pk]}次", False))
        if absences.get(s.pk):
            add((-3 * absences[s.pk], f"本学期查寝夜不归宿{absences[s.pk]}次", False))
        elif s.bed.room_id in checked_rooms:
            add((1, "本学期查寝无夜不归宿记录", False))
        if filed[s.pk]["total"]:
            row = filed[s.pk]
            add(
                (
                    min(row["closed"], 3),
                    f"本学期上报问题{row['total']}件，其中{row['closed']}件已处理办结",
                    False,
                )
            )
        score = scores.get(s.pk)
        if score is not None and score >= 80:
            add((3 if score >= 90 else 2, f"学期评议{score}分", True))
        held = posts.get(s.pk, set())
        if PostKind.BRANCH_SECRETARY in held:
            add((2, "担任支部书记", False))
        if PostKind.SMALL_GRID_LEADER in held:
            add((2, "担任网格党员（功能小网格负责人）", False))
        if PostKind.ACTIVIST in held:
            add((2, "担任微网格负责人", False))
        if PostKind.DORM_HEAD in held:
            add((1, "担任舍长", False))
    for source in ASSESSMENT_SOURCES:
        if source.points is None:
            continue
        for student_id, items in source.points(user=user, students=students, semester=semester).items():
            for value, reason in items:
                points[student_id].append((value, reason, False))

    proposed = {(a.kind, a.student_id): a for a in Award.objects.filter(branch=branch, semester=semester)}
    result: dict[str, list[dict]] = {k: [] for k in AwardKind.values}
    for s in students:
        items = points[s.pk]
        total = sum(p for p, _, _ in items)
        if total <= 0:
            continue
        kind = AwardKind.EXCELLENT_MEMBER if s.political_status in PARTY_MEMBERS else AwardKind.ADVANCED
        may_see = policy.may_see_score(user, s)
        result[kind].append(
            {
                "student": s,
                "points": total,
                "reasons": [
                    {"text": text if (not secret or may_see) else "学期评议（无权查看）", "points": p}
                    for p, text, secret in items
                ],
                "stored_reasons": [
                    {"text": text, "points": p, "sensitive": secret} for p, text, secret in items
                ],
                "award": proposed.get((kind, s.pk)),
            }
        )
    for rows in result.values():
        rows.sort(key=lambda r: (-r["points"], r["student"].student_no))
    return result


def candidate_get(*, user, branch, semester, kind: str, student_no: str) -> dict | None:
    for row in award_candidates(user=user, branch=branch, semester=semester).get(kind, []):
        if row["student"].student_no == student_no:
            return row
    return None


# --- proposals and the list -----------------------------------------------------------------------------


def award_list(*, user, semester=None, branch=None, state: str | None = None, kind: str | None = None):
    qs = Award.objects.visible_to(user).select_related("student__school_class", "branch", "semester")
    if semester is not None:
        qs = qs.filter(semester=semester)
    if branch is not None:
        qs = qs.filter(branch=branch)
    if state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-semester__start", "branch__name", "kind", "student__student_no")


def award_get(*, user, pk) -> Award:
    return get_visible_or_404(Award.objects.select_related("student", "branch", "semester"), user, pk=pk)


def reasons_shown(user, award: Award) -> list[str]:
    """The stored reasons as `user` may read them (a score only for those with the right)."""
    may_see = policy.may_see_score(user, award.student)
    return [
        r["text"] if (not r.get("sensitive") or may_see) else "学期评议（无权查看）" for r in award.reasons
    ]


def student_awards(*, user, student) -> list[Award]:
    """A student's published awards (the student page and the dossier)."""
    return list(
        award_list(user=user, state=AwardState.PUBLISHED)
        .filter(student=student)
        .select_related(None)
        .select_related("semester", "branch")
    )
