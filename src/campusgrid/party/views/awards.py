"""Award pages (desktop): the candidates the records propose for a branch, the secretary's
proposals within the quota, the committee's decisions, publication, the list's export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from campusgrid.core.errors import ServiceError
from campusgrid.core.excel import ledger_response, person_name, scope_label
from campusgrid.core.forms import bootstrap

from .. import policy_assess as policy
from ..filters_assess import AwardFilter
from ..forms_assess import DecideForm, ProposeForm, QuotaForm
from ..models import AwardState
from ..selectors import assess as assess_selectors
from ..selectors import awards as selectors
from ..services import awards as services
from .assess import branch_and_semester, desk_picker

EXPORT_HEADERS = [
    "序号",
    "学期",
    "党支部",
    "奖项",
    "学号",
    "姓名",
    "班级",
    "状态",
    "推荐理由",
    "支委会日期",
    "公布时间",
]


def _back(branch, semester) -> str:
    return f"{reverse('party:award-list')}?branch={branch.pk}&semester={semester.pk}"


def _decide_form() -> DecideForm:
    """The 支委会决定 select of each proposed award's row (no ids: one per row)."""
    form = bootstrap(DecideForm(auto_id=False), small=True)
    form.fields["decision"].widget.attrs["class"] += " w-auto"
    return form


@login_required
def award_list(request):
    """学期评优: the branch's candidates and proposals (or, ?format=xlsx, the award list)."""
    user = request.user
    if request.GET.get("format") == "xlsx":
        return _export(request)
    branch, semester = branch_and_semester(request)
    candidates = selectors.award_candidates(user=user, branch=branch, semester=semester)
    awards = list(selectors.award_list(user=user, branch=branch, semester=semester))
    for award in awards:
        award.shown_reasons = selectors.reasons_shown(user, award)
    branches, semesters = selectors.desk_branches(user=user), assess_selectors.semester_list()
    may = {
        "propose": policy.may_propose_award(user, branch),
        "decide": policy.may_decide_award(user, branch),
        "publish": policy.may_publish_awards(user, branch),
    }
    return render(
        request,
        "party/award_list.html",
        {
            "branch": branch,
            "semester": semester,
            "branches": branches,
            "semesters": semesters,
            "picker": desk_picker(branches, branch, semesters, semester),
            "candidates": candidates,
            "awards": awards,
            "quotas": selectors.quotas(branch=branch, semester=semester),
            "may": may,
            "decide_form": _decide_form(),
            "quota_form": QuotaForm(),
            "waiting": sum(1 for a in awards if a.state == AwardState.PROPOSED),
            "approved": sum(1 for a in awards if a.state == AwardState.APPROVED),
            "page_title": "学期评优",
        },
    )


def _export(request):
    user = request.user
    filterset = AwardFilter(request.GET, queryset=selectors.award_list(user=user), user=user)
    awards = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    rows = [
        [
            i,
            a.semester.name,
            a.branch.name,
            a.get_kind_display(),
            a.student.student_no,
            a.student.name,
            a.student.school_class.name if a.student.school_class_id else "",
            a.get_state_display(),
            "；".join(selectors.reasons_shown(user, a)),
            a.decided_on or "",
            a.published_at or "",
        ]
        for i, a in enumerate(awards, start=1)
    ]
    return ledger_response(
        filename="学期评优名单.xlsx",
        title="学生公寓评优名单",
        user_name=person_name(user),
        scope_label=scope_label(user),
        headers=EXPORT_HEADERS,
        rows=rows,
        widths=[6, 22, 24, 18, 14, 10, 12, 12, 60, 12, 18],
    )


@login_required
@require_POST
def award_propose(request):
    branch, semester = branch_and_semester(request)
    form = ProposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "推荐未成功：请从候选名单中选择")
        return redirect(_back(branch, semester))
    try:
        award = services.award_propose(
            actor=request.user,
            branch=branch,
            semester=semester,
            kind=form.cleaned_data["kind"],
            student_no=form.cleaned_data["student_no"],
            note=form.cleaned_data["note"],
        )
    except ServiceError as error:
        messages.error(request, f"推荐未成功：{error.message}")
    else:
        messages.success(request, f"已推荐{award.student.name}为{award.get_kind_display()}")
    return redirect(_back(branch, semester))


@login_required
@require_POST
def award_decide(request, pk):
    award = selectors.award_get(user=request.user, pk=pk)
    form = DecideForm(request.POST)
    if not form.is_valid():
        first = next(iter(form.errors.items()))
        messages.error(request, f"未成功：{form.fields[first[0]].label}：{first[1][0]}")
        return redirect(_back(award.branch, award.semester))
    try:
        services.award_decide(
            actor=request.user,
            award=award,
            approve=form.cleaned_data["decision"] == "approve",
            decided_on=form.cleaned_data["decided_on"],
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data.get("version"),
        )
    except ServiceError as error:
        messages.error(request, f"未成功：{error.message}")
    else:
        messages.success(request, f"已记录支委会对{award.student.name}的决定")
    return redirect(_back(award.branch, award.semester))


@login_required
@require_POST
def award_publish(request):
    branch, semester = branch_and_semester(request)
    try:
        count = services.award_publish(actor=request.user, branch=branch, semester=semester)
    except ServiceError as error:
        messages.error(request, f"公布未成功：{error.message}")
    else:
        messages.success(request, f"已公布{count}人的评优结果")
    return redirect(_back(branch, semester))


@login_required
@require_POST
def award_quota(request):
    branch, semester = branch_and_semester(request)
    form = QuotaForm(request.POST)
    if not form.is_valid():
        messages.error(request, "名额须为0到50之间的整数")
        return redirect(_back(branch, semester))
    try:
        services.award_quota_set(
            actor=request.user,
            branch=branch,
            semester=semester,
            kind=form.cleaned_data["kind"],
            quota=form.cleaned_data["quota"],
        )
    except ServiceError as error:
        messages.error(request, f"未成功：{error.message}")
    else:
        messages.success(request, "已设定名额")
    return redirect(_back(branch, semester))
