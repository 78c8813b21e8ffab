"""Assessment pages: whom I assess (phone, a party member's or an activist's), the form, and an
activist's semester assessment sheet."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from campusgrid.core.errors import ServiceError
from campusgrid.core.forms import picker_form
from campusgrid.people.selectors import student_get

from .. import policy_assess as policy
from ..forms_assess import AssessmentForm
from ..models import AssessmentKind
from ..selectors import assess as selectors
from ..services.assess import assessment_record
from ._common_assess import put_error


@login_required
def assess_mine(request):
    """我的评议 (phone): the activists of my small grid, or the applicants of my room, this semester."""
    user = request.user
    if not (policy.assesses_activists(user) or policy.assesses_applicants(user)):
        raise Http404("您没有需要评议的对象")
    semester = selectors.semester_pick(request.GET.get("semester"))
    semesters = selectors.semester_list()
    rows = selectors.assessable_for(user=user, semester=semester) if semester else []
    given = [r["assessment"] for r in rows if r["assessment"]]
    for row in rows:
        row["score"] = selectors.score_shown(user, row["assessment"]) if row["assessment"] else None
    selectors.log_score_reads(request=request, assessments=given)
    return render(
        request,
        "party/assess_mine.html",
        {
            "semester": semester,
            "semesters": semesters,
            "picker": _semester_picker(semesters, semester),
            "rows": rows,
            "done": sum(1 for r in rows if r["assessment"]),
            "page_title": "我的评议",
        },
    )


@login_required
def assess_form(request, student_no):
    """评议表单 (phone): score and comment of one person I assess; for an activist, their
    sheet's figures above the form."""
    user = request.user
    semester = selectors.semester_pick(request.GET.get("semester") or request.POST.get("semester"))
    if semester is None:
        raise Http404("没有学期")
    row = selectors.assessable_get(user=user, semester=semester, student_no=student_no)
    assessment = row["assessment"]
    initial = {}
    if assessment is not None:
        initial["version"] = assessment.version
        # A successor in the post revises the semester's assessment without reading the
        # predecessor's score (it is sensitive): only the one who gave it sees it prefilled.
        if policy.may_see_score(user, row["student"], assessor_id=assessment.assessor_id):
            initial.update(score=assessment.score, comment=assessment.comment)
    form = AssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assessment_record(
                actor=user,
                semester=semester,
                student_no=student_no,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                expected_version=form.cleaned_data.get("version"),
            )
        except ServiceError as error:
            put_error(form, error)
        else:
            messages.success(request, f"已保存对{row['student'].name}的评议")
            return redirect(f"{_mine_url()}?semester={semester.pk}")
    sheet = None
    if row["kind"] == AssessmentKind.MEMBER_ON_ACTIVIST:
        sheet = selectors.assessment_sheet_get(
            user=user, student=row["student"], semester=semester, request=request, reveal=False
        )
    if assessment is not None:
        selectors.log_score_reads(request=request, assessments=[assessment])
    return render(
        request,
        "party/assess_form.html",
        {
            "row": row,
            "form": form,
            "semester": semester,
            "sheet": sheet,
            "page_title": f"评议 {row['student'].name}",
        },
    )


def _mine_url() -> str:
    from django.urls import reverse

    return reverse("party:assess-mine")


@login_required
def assess_sheet(request, student_no):
    """积极分子学期考察表: an activist's semester figures from the records and the member's
    assessment (the score masked without the right, its reading logged)."""
    user = request.user
    student = student_get(user=user, student_no=student_no)
    if not policy.may_open_sheet(user, student):
        raise Http404("未找到，或不在您的管理范围内")
    semester = selectors.semester_pick(request.GET.get("semester"))
    if semester is None:
        raise Http404("没有学期")
    semesters = selectors.semester_list()
    sheet = selectors.assessment_sheet_get(user=user, student=student, semester=semester, request=request)
    return render(
        request,
        "party/assess_sheet.html",
        {
            "sheet": sheet,
            "semesters": semesters,
            "picker": _semester_picker(semesters, semester),
            "page_title": f"{student.name} 学期考察表",
        },
    )


def _semester_picker(semesters, semester):
    return picker_form(
        semester=("学期", [(s.pk, s.name) for s in semesters], semester.pk if semester else None)
    )


def desk_picker(branches, branch, semesters, semester):
    """The desk pages' 党支部 and 学期 selects (the branches on the user's desk)."""
    return picker_form(
        branch=("党支部", [(b.pk, b.name) for b in branches], branch.pk),
        semester=("学期", [(s.pk, s.name) for s in semesters], semester.pk),
    )


def branch_and_semester(request):
    """The desk's branch (`?branch=`, else the first on the user's desk) and semester."""
    from ..selectors.awards import default_branch, desk_branch_get

    params = request.POST if request.method == "POST" else request.GET
    raw = params.get("branch")
    if raw:
        try:
            branch = desk_branch_get(user=request.user, pk=int(raw))
        except (TypeError, ValueError):
            raise Http404("没有该党支部")
    else:
        branch = default_branch(user=request.user)
        if branch is None:
            raise Http404("您没有可查看的党支部")
    semester = selectors.semester_pick(params.get("semester"))
    if semester is None:
        raise Http404("没有学期")
    return branch, semester


@login_required
def assess_progress(request):
    """评议进度 (desktop, the secretary's): who has not yet assessed whom this semester."""
    from ..selectors.awards import desk_branches

    branch, semester = branch_and_semester(request)
    progress = selectors.assessment_progress(user=request.user, branch=branch, semester=semester)
    branches, semesters = desk_branches(user=request.user), selectors.semester_list()
    return render(
        request,
        "party/assess_progress.html",
        {
            "branch": branch,
            "semester": semester,
            "branches": branches,
            "semesters": semesters,
            "picker": desk_picker(branches, branch, semesters, semester),
            "progress": progress,
            "page_title": "评议进度",
        },
    )
