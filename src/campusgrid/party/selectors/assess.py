"""Reads of the party assessments (seed 004 三.4): whom a person assesses this semester, who
has not yet assessed whom in a branch, and each activist's semester assessment sheet, which
gathers the records of their room and their own reports through the other apps' selectors.

`assessment_sheet_get` and `assessment_score` are what the development pipeline shows where
the branch decides on a development candidate (with `assessment_meets_minimum`)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Avg, Count, Sum
from django.http import Http404

from campusgrid.core import clock
from campusgrid.core.registry import ASSESSMENT_SOURCES
from campusgrid.core.scoping import get_visible_or_404
from campusgrid.org.models import Semester
from campusgrid.people import sensitive
from campusgrid.people.models import PoliticalStatus, Student, StudentStatus

from .. import policy_assess as policy
from ..models import Assessment, AssessmentKind

SCORE_ITEM = "party_assessment"  # the access log's name for an assessment score


def minimum_score() -> int:
    """The college's minimum member assessment for a development candidate (0 = none)."""
    return int(getattr(settings, "CAMPUSGRID_PARTY_ASSESSMENT_MINIMUM", 60))


# --- semesters ---------------------------------------------------------------------------------------


def semester_list():
    return Semester.objects.order_by("-start")


def semester_pick(value=None) -> Semester | None:
    """The semester a page or the API asks for (`?semester=<id>`), else the current one;
    junk answers 404 like a missing semester."""
    if value not in (None, ""):
        try:
            return Semester.objects.get(pk=int(value))
        except (ValueError, TypeError, Semester.DoesNotExist):
            raise Http404("没有该学期")
    return Semester.current()


def _day_range(semester: Semester) -> tuple[dt.date, dt.date]:
    return semester.start, semester.end


# --- whom a person assesses (the phone pages) ---------------------------------------------------------


def _activist_posts(**filters):
    from campusgrid.grid.models import Post, PostKind

    return (
        Post.objects.current(clock.today())
        .filter(kind=PostKind.ACTIVIST, student__isnull=False, **filters)
        .select_related("student__school_class", "room__building", "room__party_room")
        .order_by("room__building__name", "room__number")
    )


def _applicants(room_ids):
    return (
        Student.objects.filter(
            bed__room_id__in=room_ids,
            political_status=PoliticalStatus.APPLICANT,
            status=StudentStatus.ENROLLED,
        )
        .select_related("school_class", "bed__room__building")
        .order_by("bed__room__building__name", "bed__room__number", "student_no")
    )


def _given(semester, kind, subject_ids) -> dict[int, Assessment]:
    return {
        a.subject_id: a
        for a in Assessment.objects.filter(
            semester=semester, kind=kind, subject_id__in=subject_ids
        ).select_related("subject")
    }


def assessable_for(*, user, semester: Semester) -> list[dict]:
    """The people `user` assesses this semester: the activists of their small grids (as a
    party member) and the applicants of their rooms (as an activist), each with the
    assessment given so far (or None). Four queries whatever the number of rows."""
    posts = policy.party_posts(user)
    rows: list[dict] = []
    if posts.small_grid_ids:
        activists = list(_activist_posts(room__party_room__small_grid_id__in=posts.small_grid_ids))
        given = _given(semester, AssessmentKind.MEMBER_ON_ACTIVIST, [p.student_id for p in activists])
        rows += [
            {
                "student": p.student,
                "room": p.room,
                "kind": AssessmentKind.MEMBER_ON_ACTIVIST,
                "kind_label": "入党积极分子",
                "assessment": given.get(p.student_id),
            }
            for p in activists
        ]
    if posts.activist_room_ids:
        applicants = list(_applicants(posts.activist_room_ids).exclude(user=user))
        given = _given(semester, AssessmentKind.ACTIVIST_ON_APPLICANT, [s.pk for s in applicants])
        rows += [
            {
                "student": s,
                "room": s.bed.room,
                "kind": AssessmentKind.ACTIVIST_ON_APPLICANT,
                "kind_label": "入党申请人",
                "assessment": given.get(s.pk),
            }
            for s in applicants
        ]
    return rows


def assessable_get(*, user, semester: Semester, student_no: str) -> dict:
    """One row of `assessable_for` (the form's subject): 404 for anybody else."""
    for row in assessable_for(user=user, semester=semester):
        if row["student"].student_no == student_no:
            return row
    raise Http404("不在您的评议名单中")


# --- who has not yet assessed whom (the secretary's desk) --------------------------------------------


def assessment_progress(*, user, branch, semester: Semester) -> dict:
    """Every assessment the branch owes this semester — (assessor, subject, kind, done) — from
    the current posts: each small grid's party member over the activists of its rooms, each
    activist over the applicants of their room. Constant queries whatever the branch's size."""
    from campusgrid.grid.models import Post, PostKind

    if not policy.may_see_desk(user, branch):
        raise Http404("未找到，或不在您的管理范围内")
    today = clock.today()
    leaders = {
        p.small_grid_id: p
        for p in Post.objects.current(today)
        .filter(kind=PostKind.SMALL_GRID_LEADER, small_grid__branch=branch)
        .select_related("student")
    }
    activists = list(_activist_posts(room__party_room__branch=branch))
    room_ids = [p.room_id for p in activists]
    applicants = list(_applicants(room_ids))
    done_member = _given(semester, AssessmentKind.MEMBER_ON_ACTIVIST, [p.student_id for p in activists])
    done_activist = _given(semester, AssessmentKind.ACTIVIST_ON_APPLICANT, [s.pk for s in applicants])
    by_room = {p.room_id: p for p in activists}
    rows = []
    for p in activists:
        leader = leaders.get(p.room.party_room.small_grid_id)
        rows.append(
            {
                "assessor": leader.student.name if leader else "",
                "assessor_role": "网格党员",
                "subject": p.student,
                "subject_role": "入党积极分子",
                "room": p.room,
                "kind": AssessmentKind.MEMBER_ON_ACTIVIST,
                "done": p.student_id in done_member,
                "vacant": leader is None,
            }
        )
    for s in applicants:
        activist = by_room.get(s.bed.room_id)
        rows.append(
            {
                "assessor": activist.student.name if activist else "",
                "assessor_role": "入党积极分子",
                "subject": s,
                "subject_role": "入党申请人",
                "room": s.bed.room,
                "kind": AssessmentKind.ACTIVIST_ON_APPLICANT,
                "done": s.pk in done_activist,
                "vacant": activist is None,
            }
        )
    rows.sort(key=lambda r: (r["done"], r["assessor"], r["subject"].student_no))
    missing = [r for r in rows if not r["done"]]
    return {"rows": rows, "missing": missing, "total": len(rows), "done": len(rows) - len(missing)}


# --- the assessments themselves (API, detail) -----------------------------------------------------------


def assessment_list(*, user, semester: Semester | None = None, kind: str | None = None):
    qs = Assessment.objects.visible_to(user).select_related("subject__school_class", "semester")
    if semester is not None:
        qs = qs.filter(semester=semester)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-semester__start", "subject__student_no", "kind")


def assessment_get(*, user, pk) -> Assessment:
    return get_visible_or_404(
        Assessment.objects.select_related("subject__school_class", "semester"), user, pk=pk
    )


def score_shown(user, assessment: Assessment):
    """The score as `user` may see it: the number, or the one mask text."""
    if policy.may_see_score(user, assessment.subject, assessor_id=assessment.assessor_id):
        return assessment.score
    return sensitive.HIDDEN


def comment_shown(user, assessment: Assessment) -> str:
    if policy.may_see_score(user, assessment.subject, assessor_id=assessment.assessor_id):
        return assessment.comment
    return sensitive.HIDDEN


def log_score_reads(*, request=None, actor=None, assessments, action=None) -> int:
    """One access-log row per student whose assessment score the response reveals."""
    user = actor or request.user
    students = [
        a.subject for a in assessments if policy.may_see_score(user, a.subject, assessor_id=a.assessor_id)
    ]
    if not students:
        return 0
    kwargs = {"action": action} if action else {}
    return sensitive.log_access(request=request, actor=user, item=SCORE_ITEM, students=students, **kwargs)


# --- the sheet -----------------------------------------------------------------------------------------


def _room_of(student: Student):
    post = _activist_posts(student=student).first()
    if post is not None:
        return post.room
    return student.bed.room if student.bed_id else None


def assessment_score(*, student, semester) -> int | None:
    """The small-grid party member's score of the activist for the semester (None: not yet
    assessed). For rules (the pipeline's minimum), not for display: pages show the sheet."""
    return (
        Assessment.objects.filter(semester=semester, kind=AssessmentKind.MEMBER_ON_ACTIVIST, subject=student)
        .values_list("score", flat=True)
        .first()
    )


def assessment_meets_minimum(*, student, semester) -> tuple[bool, str]:
    """Whether the activist's assessment reaches the configured minimum, and why not (Chinese)."""
    minimum = minimum_score()
    if minimum <= 0:
        return True, ""
    score = assessment_score(student=student, semester=semester)
    if score is None:
        return False, f"{semester.name}尚无网格党员评议（须不低于{minimum}分）"
    if score < minimum:
        return False, f"{semester.name}网格党员评议{score}分，低于要求的{minimum}分"
    return True, ""


def assessment_sheet_get(*, user, student, semester, request=None, reveal: bool = True) -> dict:
    """积极分子学期考察表: the activist's room's ratings, inspections, findings and night checks,
    the reports they filed and how those ended, what registered sources add (service hours,
    舆情), and the party member's assessment — the score masked for those without the right,
    its reading logged once (`reveal=False`: the figures only). 404 for a student out of the
    user's reach."""
    student = get_visible_or_404(
        Student.objects.select_related("school_class", "bed__room__building", "college"), user, pk=student.pk
    )
    room = _room_of(student)
    first, last = _day_range(semester)
    sheet = {"student": student, "semester": semester, "room": room, "sources": []}
    sheet.update(_room_figures(user=user, room=room, semester=semester, first=first, last=last))
    sheet["reports"] = _report_figures(student=student, first=first, last=last)
    for source in ASSESSMENT_SOURCES:
        lines = source.collect(user=user, student=student, semester=semester)
        sheet["sources"].append({"key": source.key, "label": source.label, "lines": lines})
    assessment = (
        Assessment.objects.filter(semester=semester, kind=AssessmentKind.MEMBER_ON_ACTIVIST, subject=student)
        .select_related("subject")
        .first()
    )
    if not reveal:
        assessment = None  # the figures only (the assessment form shows the score itself)
    sheet["assessment"] = assessment
    sheet["score"] = score_shown(user, assessment) if assessment else None
    sheet["comment"] = comment_shown(user, assessment) if assessment else ""
    sheet["score_visible"] = bool(assessment) and sheet["score"] != sensitive.HIDDEN
    sheet["minimum"] = minimum_score()
    if sheet["score_visible"]:
        log_score_reads(request=request, actor=user, assessments=[assessment])
    return sheet


def _room_figures(*, user, room, semester, first, last) -> dict:
    from campusgrid.ledgers import selectors as ledgers

    empty = {
        "rating": None,
        "inspections": {"count": 0, "average": None},
        "findings": {
            "total": 0,
            "illegal": 0,
            "fixed_on_time": 0,
            "fixed_late": 0,
            "open": 0,
            "escalated": 0,
        },
        "night": {"checks": 0, "absent": 0, "late": 0, "leave": 0},
    }
    if room is None:
        return empty
    rating = ledgers.rating_list(user=user, semester=semester).filter(room=room).first()
    inspections = (
        ledgers.inspection_list(user=user)
        .filter(room=room, state="done", round__date__gte=first, round__date__lte=last)
        .aggregate(count=Count("id"), average=Avg("hygiene_score"))
    )
    findings = list(
        ledgers.finding_list(user=user)
        .filter(room=room, found_at__date__gte=first, found_at__date__lte=last)
        .prefetch_related(None)
        .select_related("item")
    )
    fixed = [f for f in findings if f.state == "fixed"]
    on_time = [f for f in fixed if f.fixed_at and clock.local(f.fixed_at).date() <= f.deadline]
    night = (
        ledgers.night_check_list(user=user)
        .filter(room=room, date__gte=first, date__lte=last)
        .prefetch_related(None)
        .aggregate(
            checks=Count("id"), absent=Sum("absent_count"), late=Sum("late_count"), leave=Sum("leave_count")
        )
    )
    return {
        "rating": rating,
        "inspections": {
            "count": inspections["count"],
            "average": round(inspections["average"], 1) if inspections["average"] is not None else None,
        },
        "findings": {
            "total": len(findings),
            "illegal": sum(1 for f in findings if f.item.illegal_appliance),
            "fixed_on_time": len(on_time),
            "fixed_late": len(fixed) - len(on_time),
            "open": sum(1 for f in findings if f.state == "open"),
            "escalated": sum(1 for f in findings if f.state == "escalated"),
        },
        "night": {k: night[k] or 0 for k in ("checks", "absent", "late", "leave")},
    }


def _report_figures(*, student, first, last) -> dict:
    """The reports the activist filed in the semester and how they ended: read as the activist
    reads their own (reports' `report_mine`), counted only — nothing of their content."""
    from campusgrid.reports.models import State
    from campusgrid.reports.selectors import report_mine

    figures = {"total": 0, "closed": 0, "handled": 0, "open": 0, "returned": 0, "withdrawn": 0}
    if student.user_id is None:
        return figures
    counts = (
        report_mine(user=student.user)
        .filter(created_at__date__gte=first, created_at__date__lte=last)
        .order_by()
        .values("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    for state, n in counts:
        figures["total"] += n
        if state == State.CLOSED:
            figures["closed"] += n
        elif state in (State.HANDLED, State.FED_BACK):
            figures["handled"] += n
        elif state in (State.REPORTED, State.ACCEPTED):
            figures["open"] += n
        elif state == State.RETURNED:
            figures["returned"] += n
        else:
            figures["withdrawn"] += n
    return figures
