"""The secretary's desk (desktop): the branch pipeline as a board by stage, warnings first;
each file's timeline with its step forms and materials; the 支部党员大会; the 台账 and the
培养考察登记表 exports. Reads through the selectors, writes through the services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from campusgrid.core import clock
from campusgrid.core.errors import ServiceError
from campusgrid.core.excel import ledger_response, person_name, scope_label
from campusgrid.core.forms import picker_form, put_errors
from campusgrid.core.htmx import template_for
from campusgrid.people.models import AccessLog, Student
from campusgrid.people.sensitive import log_access

from .. import policy, services
from ..filters import FileFilter
from ..forms import MaterialForm, MeetingScheduleForm, MeetingTallyForm, OpenFileForm, StepForm
from ..models.pipeline import SENSITIVE_MATERIALS, MeetingPurpose, MeetingState, StepCode
from ..selectors import pipeline as sel

POLITICAL_ITEM = "party_political_review"
S = StepCode


def _branch_param(request) -> int | None:
    raw = request.GET.get("branch") or ""
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


@login_required
def board(request):
    """发展党员工作台: the open files by stage (warned ones first); ?format=xlsx the 台账."""
    user = request.user
    branches = sel.branch_choices(user=user)
    filterset = FileFilter(request.GET or None, queryset=sel.file_list(user=user), branches=branches)
    files = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    if request.GET.get("format") == "xlsx":
        headers, rows = sel.ledger_rows(files)
        return ledger_response(
            filename="发展党员工作台账.xlsx",
            title="发展党员工作台账",
            user_name=person_name(user),
            scope_label=scope_label(user),
            headers=headers,
            rows=rows,
            widths=[12, 10, 22, 12, 8] + [11] * (len(headers) - 5),
        )
    # Open files and hold meetings: only for branches one manages (the forms list them).
    manageable = sel.branches_for(user=user)
    number = request.GET.get("page") or 1
    context = {
        # One stage (the column's count, or 还有 N 人): every file of it, a page at a time; with
        # ?warned=1 (还有 N 人有预警) the warned files alone, a page at a time.
        **sel.board_of(
            sel.open_files(files),
            page=number if request.GET.get("stage") else None,
            warned=number if request.GET.get("warned") else None,
        ),
        "form": filterset.form,
        "may_open": bool(manageable),
        "may_meet": bool(manageable),
    }
    return render(request, "party/board.html", context)


@login_required
def file_new(request):
    user = request.user
    branches = sel.branches_for(user=user)
    if not branches:
        raise Http404
    form = OpenFileForm(request.POST or None, branches=branches)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            person = sel.person_by_number(form.cleaned_data["student_no"])
            branch = next((b for b in branches if b.pk == form.cleaned_data.get("branch")), None)
            file = services.file_open(
                actor=user,
                student=person if isinstance(person, Student) else None,
                staff=None if isinstance(person, Student) else person,
                applied_on=form.cleaned_data["applied_on"],
                branch=branch,
                rule_version=form.cleaned_data.get("rule_version") or None,
            )
        except ServiceError as exc:
            put_errors(form, exc)
            status = 400
        else:
            messages.success(request, f"已为{file.person_name}建立发展党员档案。")
            return redirect("party:file", number=file.number)
    elif request.method == "POST":
        status = 400
    return render(request, "party/file_new.html", {"form": form}, status=status)


def _file_context(request, file, *, forms=None):
    user = request.user
    view = sel.file_view(file, holidays=sel.college_holidays())
    forms = forms or {}
    step_forms = []
    for window in view.windows:
        ready = all(view.facts.first(n) for n in window.needs)
        repeat = window.code in (S.REVIEW, S.REPORT, S.TRAINING, S.MENTORS)
        if window.code in (S.MEETING, S.FULL_MEETING) or file.closed_on:
            continue
        # Training-period steps end with the branch meeting; thought reports with full membership.
        if window.code in (S.MENTORS, S.REVIEW, S.TRAINING) and view.facts.first(S.MEETING):
            continue
        if window.code == S.REPORT and file.stage == "full":
            continue
        if ready and (repeat or not window.done) and policy.may_record(user, file, window.code):
            step_forms.append(
                (
                    window,
                    forms.get(window.code) or StepForm(code=window.code, initial={"date": clock.today()}),
                )
            )
    close_form = None
    if (
        not file.closed_on
        and view.file.stage not in ("probationary", "full")
        and policy.may_record(user, file, S.TALK)
    ):
        close_form = forms.get(S.CLOSE) or StepForm(code=S.CLOSE, initial={"date": clock.today()})
    materials = sel.materials_of(file)
    return {
        "file": file,
        "view": view,
        "step_forms": step_forms,
        "close_form": close_form,
        "materials": materials,
        "material_form": MaterialForm() if policy.may_record(user, file, S.TALK) else None,
        "votes": sel.meetings_of(file),
        "may_see_political": policy.may_see_political_review(user, file),
        "political": view.facts.data(S.POLITICAL_REVIEW).get("conclusion"),
        "sensitive_kinds": SENSITIVE_MATERIALS,
    }


@login_required
def file_detail(request, number):
    """One file's timeline: each step's date, legal earliest date and deadline with the article."""
    file = sel.file_get(user=request.user, number=number)
    context = _file_context(request, file)
    if request.GET.get("reveal") == "political":
        if not (context["may_see_political"] and context["political"]):
            raise Http404
        log_access(request=request, item=POLITICAL_ITEM, students=[file.student] if file.student_id else [])
        context["revealed"] = True
    return render(request, template_for(request, "party/file_detail.html", "political"), context)


@login_required
@require_POST
def step_record(request, number):
    user = request.user
    file = sel.file_get(user=user, number=number)
    code = request.POST.get("step") or ""
    if code not in S.values or not policy.may_record(user, file, code):
        raise Http404
    form = StepForm(request.POST, code=code)
    if form.is_valid():
        try:
            services.step_record(
                actor=user,
                file=file,
                code=code,
                on=form.cleaned_data["date"],
                data={
                    **form.step_data(),
                    **({"people": form.cleaned_data["people"]} if "people" in form.cleaned_data else {}),
                },
                note=form.cleaned_data.get("note") or "",
            )
        except ServiceError as exc:
            if exc.status_code == 403:
                raise Http404 from None
            put_errors(form, exc)
        else:
            messages.success(request, f"已记录：{S(code).label}。")
            return redirect("party:file", number=number)
    file = sel.file_get(user=user, number=number)
    context = _file_context(request, file, forms={code: form})
    context["failed"] = code
    return render(request, "party/file_detail.html", context, status=400)


@login_required
@require_POST
def material_upload(request, number):
    user = request.user
    file = sel.file_get(user=user, number=number)
    if not policy.may_record(user, file, S.TALK):
        raise Http404
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.material_upload(
                actor=user, file=file, kind=form.cleaned_data["kind"], upload=form.cleaned_data["upload"]
            )
        except ServiceError as exc:
            if exc.status_code == 403:
                raise Http404 from None
            messages.error(request, exc.message)
        else:
            messages.success(request, "材料已上传。")
    else:
        messages.error(request, "请选择材料类别和文件。")
    return redirect(reverse("party:file", args=[number]) + "#materials")


@login_required
def material_download(request, number, pk):
    """A material, only through this scoped view; 政审材料 to those with the right, each read logged."""
    material = sel.material_get(user=request.user, number=number, pk=pk)
    file = material.file
    if material.kind in SENSITIVE_MATERIALS:
        if not policy.may_see_political_review(request.user, file):
            raise Http404
        if file.student_id:
            log_access(
                request=request, item=POLITICAL_ITEM, students=[file.student], action=AccessLog.Action.VIEW
            )
    response = FileResponse(material.upload.open("rb"), content_type=material.content_type)
    response["Content-Disposition"] = "attachment" if "image" not in material.content_type else "inline"
    response["Cache-Control"] = "private, max-age=600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def register_pdf(request, number):
    """《入党积极分子培养考察登记表》 of one person."""
    from ..pdf import register_pdf as make

    file = sel.file_get(user=request.user, number=number)
    view = sel.file_view(file, holidays=sel.college_holidays())
    content = make(request=request, view=view, votes=sel.meetings_of(file))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        "attachment; filename*=UTF-8''%E5%9F%B9%E5%85%BB%E8%80%83%E5%AF%9F%E7%99%BB%E8%AE%B0%E8%A1%A8.pdf"
    )
    return response


@login_required
def assemblies(request):
    """支部党员大会: the list, and the form that schedules one (candidates ready for it)."""
    user = request.user
    branches = sel.branches_for(user=user)
    chosen = next((b for b in branches if b.pk == _branch_param(request)), branches[0] if branches else None)
    purpose = (
        request.GET.get("purpose")
        if request.GET.get("purpose") in MeetingPurpose.values
        else MeetingPurpose.ADMISSION
    )
    candidates = sel.pending_for_meeting(user=user, branch=chosen, purpose=purpose) if chosen else []
    guards = [(f, g) for f in candidates if (g := sel.guard_of(f))]
    form = None
    status = 200
    if branches:
        form = MeetingScheduleForm(
            request.POST or None,
            branches=branches,
            candidates=candidates,
            initial={
                "branch": chosen.pk if chosen else None,
                "purpose": purpose,
                "scheduled_for": clock.today(),
            },
        )
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            branch = next(b for b in branches if b.pk == form.cleaned_data["branch"])
            chosen_ids = set(form.cleaned_data["files"])
            try:
                meeting = services.meeting_schedule(
                    actor=user,
                    branch=branch,
                    purpose=form.cleaned_data["purpose"],
                    scheduled_for=form.cleaned_data["scheduled_for"],
                    files=[f for f in candidates if str(f.pk) in chosen_ids],
                )
            except ServiceError as exc:
                put_errors(form, exc)
            else:
                messages.success(request, "已安排支部党员大会。")
                return redirect("party:meeting", pk=meeting.pk)
        status = 400
    context = {
        "meetings": sel.meeting_list(user=user)[:50],
        "form": form,
        "branches": branches,
        "chosen": chosen,
        "purpose": purpose,
        "picker": picker_form(
            branch=("党支部", [(b.pk, b.name) for b in branches], chosen.pk if chosen else None),
            purpose=("议题", MeetingPurpose.choices, purpose),
        ),
        "guards": guards,
    }
    return render(request, "party/meetings.html", context, status=status)


@login_required
def assembly_detail(request, pk):
    """One meeting: the tallies and each candidate's vote, recorded once when it was held."""
    user = request.user
    meeting = sel.meeting_get(user=user, pk=pk)
    votes = list(meeting.votes.all())
    may_record = meeting.state == MeetingState.SCHEDULED and policy.may_manage_branch(user, meeting.branch)
    audience = sel.meeting_audience(meeting) if may_record else []
    form = (
        MeetingTallyForm(
            request.POST or None,
            votes=votes,
            audience=audience,
            initial={"held_on": meeting.scheduled_for, "members_due": len(audience) or None},
        )
        if may_record
        else None
    )
    status = 200
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.meeting_record(
                    actor=user,
                    meeting=meeting,
                    held_on=form.cleaned_data["held_on"],
                    members_due=form.cleaned_data["members_due"],
                    present=form.cleaned_data["present"],
                    written_opinions=form.cleaned_data["written_opinions"] or 0,
                    ballots_issued=form.cleaned_data["ballots_issued"],
                    ballots_returned=form.cleaned_data["ballots_returned"],
                    votes=form.votes(),
                    attended=form.attended_people() if meeting.session_id else None,
                )
            except ServiceError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "已记录大会表决结果。")
                return redirect("party:meeting", pk=pk)
        status = 400
    guards = [(v.file, g) for v in votes if (g := sel.guard_of(v.file, on=meeting.scheduled_for))]
    return render(
        request,
        "party/assembly_detail.html",
        {"meeting": meeting, "votes": votes, "form": form, "guards": guards},
        status=status,
    )
