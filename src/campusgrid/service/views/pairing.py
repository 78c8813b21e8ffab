"""结对帮扶就业 pages: the ledger for counselors and leaders (with the outcome rate and the
.xlsx), marking difficulty and pairing, one pairing's contacts and outcome, 我的结对 and the
job posts on a student's phone."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from campusgrid.core import clock
from campusgrid.core.errors import ServiceError
from campusgrid.core.forms import put_errors
from campusgrid.core.htmx import template_for
from campusgrid.core.scoping import CHANGE, scope_for
from campusgrid.org.models import Major
from campusgrid.people import sensitive
from campusgrid.people.selectors import students_by_numbers

from .. import policy_more as policy
from .. import selectors, services
from ..filters_more import PairingFilter, filtered
from ..forms_more import ContactForm, JobPostForm, MarkDifficultyForm, OutcomeForm, PairingForm
from ..models import PairingSettings
from .common_more import export, page_of, wants_export

SENSITIVE_ITEM = "就业困难帮扶"
HEADERS = [
    "序号",
    "学号",
    "姓名",
    "班级",
    "结对党员",
    "帮扶目标",
    "结对日期",
    "联系次数",
    "最近联系",
    "去向",
    "去向日期",
    "去向说明",
]


def _log(request, pairings) -> None:
    students = [p.student for p in pairings if p.student.user_id != request.user.pk]
    if students:
        sensitive.log_access(request=request, item=SENSITIVE_ITEM, students=students)


@login_required
def pairing_list(request):
    """结对帮扶台账 with the outcome rate; ?quiet=1 lists those past their quiet days."""
    user = request.user
    if not policy.may_manage_pairings(user):
        raise Http404
    filterset, pairings = filtered(PairingFilter, request.GET, selectors.pairing_list(user=user))
    rate = selectors.outcome_rate(pairings)
    if wants_export(request):
        rows = list(pairings)
        _log(request, rows)
        return export(
            request,
            name="结对帮扶就业台账",
            headers=HEADERS,
            rows=_with_rate(rows, rate),
            widths=[6, 14, 10, 12, 10, 30, 12, 8, 12, 10, 12, 24],
        )
    page = page_of(request, pairings)
    _log(request, page.object_list)
    context = {
        "page_title": "结对帮扶就业",
        "filter": filterset,
        "page": page,
        "rate": rate,
        "candidates": selectors.difficulty_candidates(user=user),
        "mark_form": MarkDifficultyForm(prefix="mark"),
        "pair_form": PairingForm(prefix="pair"),
        "quiet_days": PairingSettings.get().quiet_days,
    }
    return render(request, template_for(request, "service/pairing_list.html", "rows"), context)


def _with_rate(rows, rate):
    for i, p in enumerate(rows, start=1):
        yield [
            i,
            p.student.student_no,
            p.student.name,
            p.student.school_class.name if p.student.school_class_id else "",
            p.mentor_name,
            p.goal,
            p.started_on,
            p.contact_count,
            p.last_contact_on,
            p.get_outcome_display(),
            p.outcome_on or "",
            p.outcome_note,
        ]
    shown = "—" if rate["rate"] is None else f"{rate['rate']}%"
    yield ["", "合计", f"结对{rate['total']}对，已落实去向{rate['settled']}对，去向落实率{shown}"]


@login_required
@require_POST
def pairing_mark(request):
    user = request.user
    if not policy.may_manage_pairings(user):
        raise Http404
    form = MarkDifficultyForm(request.POST, prefix="mark")
    if form.is_valid():
        try:
            (student,) = students_by_numbers(
                user=user, numbers=[form.cleaned_data["student_no"]], action=CHANGE, field="student_no"
            )
            services.employment_difficulty_mark(actor=user, student=student, note=form.cleaned_data["note"])
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已将{student.name}标记为就业困难（重点学生原因“就业困难”）。")
    else:
        messages.error(request, "请填写学号")
    return redirect("service:pairing-list")


@login_required
@require_POST
def pairing_new(request):
    user = request.user
    if not policy.may_manage_pairings(user):
        raise Http404
    form = PairingForm(request.POST, prefix="pair")
    if not form.is_valid():
        messages.error(request, "请填写学生学号、结对党员和帮扶目标")
        return redirect("service:pairing-list")
    data = form.cleaned_data
    try:
        (student,) = students_by_numbers(
            user=user, numbers=[data["student_no"]], action=CHANGE, field="student_no"
        )
        mentor = services.pairing.mentor_by_number(data["mentor"])
        pairing = services.pairing_create(actor=user, student=student, mentor=mentor, goal=data["goal"])
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("service:pairing-list")
    messages.success(request, f"已结对：{pairing}。")
    return redirect("service:pairing-detail", pk=pairing.pk)


@login_required
def pairing_detail(request, pk):
    user = request.user
    pairing = selectors.pairing_get(user=user, pk=pk)
    _log(request, [pairing])
    may_record = policy.may_record_contact(user, pairing)
    form = ContactForm(request.POST or None, initial={"contacted_on": clock.today()}) if may_record else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.pairing_contact_add(actor=user, pairing=pairing, **form.cleaned_data)
            except ServiceError as exc:
                put_errors(form, exc)
            else:
                messages.success(request, "联系记录已保存。")
                return redirect("service:pairing-detail", pk=pk)
    context = {
        "page_title": "结对帮扶",
        "pairing": pairing,
        "form": form,
        "outcome_form": OutcomeForm(
            initial={
                "outcome": pairing.outcome,
                "outcome_on": pairing.outcome_on,
                "note": pairing.outcome_note,
                "version": pairing.version,
            }
        )
        if may_record
        else None,
    }
    return render(request, "service/pairing_detail.html", context)


@login_required
@require_POST
def pairing_outcome(request, pk):
    user = request.user
    pairing = selectors.pairing_get(user=user, pk=pk)
    if not policy.may_record_contact(user, pairing):
        raise Http404
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("service:pairing-detail", pk=pk)
    data = form.cleaned_data
    try:
        services.pairing_outcome_set(
            actor=user,
            pairing=pairing,
            outcome=data["outcome"],
            outcome_on=data["outcome_on"],
            note=data["note"],
            expected_version=data.get("version"),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "去向已登记。")
    return redirect("service:pairing-detail", pk=pk)


@login_required
def pairing_mine(request):
    """我的结对 (phone): the student's pairing, or the pairings the party member leads."""
    user = request.user
    pairings = list(selectors.my_pairings(user=user))
    if not pairings:
        raise Http404("您没有结对帮扶")
    _log(request, pairings)
    jobs = list(selectors.job_posts_for_me(user=user)[:20])
    return render(
        request, "service/pairing_mine.html", {"page_title": "我的结对", "pairings": pairings, "jobs": jobs}
    )


@login_required
def job_list(request):
    """招聘信息: published by counselors to the graduating classes of the majors they fit;
    a student sees those for their major and grade."""
    user = request.user
    scope = scope_for(user)
    if scope.is_empty:
        raise Http404
    may_post = policy.may_manage_pairings(user, scope)
    form = None
    if may_post:
        majors = Major.objects.filter(classes__in=_managed_classes(user)).distinct().order_by("name")
        form = JobPostForm(request.POST or None, majors=majors)
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            majors = list(data["majors"])
            try:
                post = services.job_post_create(
                    actor=user,
                    college=majors[0].college,
                    company=data["company"],
                    position=data["position"],
                    majors=majors,
                    deadline=data["deadline"],
                    link=data["link"],
                    note=data["note"],
                )
            except ServiceError as exc:
                put_errors(form, exc)
            else:
                messages.success(request, f"已发布招聘信息：{post}。")
                return redirect("service:job-list")
    own = getattr(user, "student", None) is not None and not scope.is_grid_worker
    jobs = selectors.job_posts_for_me(user=user) if own else selectors.job_post_list(user=user)
    context = {
        "page_title": "招聘信息",
        "page": page_of(request, jobs.order_by("deadline", "-id")),
        "form": form,
        "graduating_year": selectors.pairing.graduating_year(),
    }
    return render(request, template_for(request, "service/pairing_jobs.html", "rows"), context)


def _managed_classes(user):
    from campusgrid.org.models import SchoolClass

    return SchoolClass.objects.visible_to(user, CHANGE)
