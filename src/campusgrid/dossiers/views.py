"""Pages of the key-student dossiers. Every page that shows sensitive data writes
one access-log row per student it reveals (`_log`); pages for people without the
right answer 404, as for a student outside one's scope."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from campusgrid.core import clock
from campusgrid.core.errors import ServiceError
from campusgrid.core.excel import ledger_response, person_name, scope_label
from campusgrid.core.forms import bootstrap, put_errors
from campusgrid.core.htmx import template_for
from campusgrid.core.import_flow import StagedImport
from campusgrid.core.imports import write_template
from campusgrid.core.params import past_day
from campusgrid.core.registry import render_sections
from campusgrid.core.scoping import CHANGE
from campusgrid.people import sensitive
from campusgrid.people.models import AccessLog

from . import imports, pdf, selectors, services
from .forms import (
    AccessLogFilterForm,
    DecisionForm,
    FollowUpForm,
    GrantForm,
    KeyStudentFilterForm,
    KeyStudentForm,
    RemoveForm,
    ReviewForm,
    ScreeningFilterForm,
    ScreeningUploadForm,
    TalkRecordForm,
)
from .models import FollowUp, ProposalState, RiskLevel
from .policy import is_college_leader, is_manager, may_manage_dossier, may_use_dossiers

PAGE_SIZE = 50


def _log(request, item: str, students, action=AccessLog.Action.VIEW) -> None:
    """One access-log row per distinct student revealed by this response."""
    unique = list({s.pk: s for s in students}.values())
    if unique:
        sensitive.log_access(request=request, item=item, students=unique, action=action)


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404("未找到，或不在您的管理范围内")


# --- the key list ----------------------------------------------------------------------------


@login_required
def key_student_list(request):
    _require(may_use_dossiers(request.user))
    filters = {
        k: request.GET.get(k, "").strip() for k in ("q", "status", "reason", "risk_level", "review", "on")
    }
    filters["responsible"] = request.GET.get("mine") and "me"
    filters["school_class"] = request.GET.get("class", "").strip()
    rows = selectors.key_student_list(user=request.user, filters=filters)
    if request.GET.get("format") == "xlsx":
        return _export_list(request, rows)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    _log(request, "key_student", [k.student for k in page])
    context = {
        "page": page,
        "filters": filters,
        "form": bootstrap(KeyStudentFilterForm(request.GET or None, reasons=selectors.reasons()), small=True),
        "today": clock.today(),
        "on": past_day(filters["on"]),
        "may_manage": is_manager(request.user),
        "page_title": "重点学生",
    }
    return render(request, template_for(request, "dossiers/list.html", "rows"), context)


def _export_list(request, rows):
    """重点学生工作台账 (.xlsx); each student exported is logged."""
    rows = list(rows)
    _log(request, "key_student", [k.student for k in rows], action=AccessLog.Action.EXPORT)
    headers = [
        "序号",
        "学号",
        "姓名",
        "班级",
        "寝室",
        "原因",
        "风险等级",
        "负责人",
        "复查间隔（天）",
        "上次复查",
        "下次复查",
        "状态",
    ]
    data = [
        [
            index,
            k.student.student_no,
            k.student.name,
            k.student.school_class.name if k.student.school_class_id else "",
            k.student.bed.room.label if k.student.bed_id else "",
            k.reasons_text(),
            k.get_risk_level_display(),
            k.responsible.name if k.responsible_id else "",
            k.review_interval_days,
            k.last_reviewed or "",
            k.next_review,
            "在册" if k.active else f"已移出（{k.removed_reason}）",
        ]
        for index, k in enumerate(rows, start=1)
    ]
    return ledger_response(
        filename="重点学生工作台账.xlsx",
        title="重点学生工作台账",
        user_name=person_name(request.user),
        scope_label=scope_label(request.user),
        headers=headers,
        rows=data,
        widths=[6, 14, 10, 12, 12, 24, 10, 10, 10, 12, 12, 20],
    )


# --- one student's dossier -------------------------------------------------------------------


@login_required
def dossier(request, student_no):
    student = selectors.dossier_student_get(user=request.user, student_no=student_no)
    data = selectors.dossier_get(user=request.user, student=student)
    _log(request, "dossier", [student])
    may_manage = may_manage_dossier(request.user, student)
    key_file = data["key_file"]
    context = {
        **data,
        "may_manage": may_manage,
        "sections": render_sections("dossier", request, student),
        "review_form": bootstrap(ReviewForm(initial={"version": key_file.version}), small=True)
        if key_file
        else None,
        "remove_form": RemoveForm(initial={"version": key_file.version}) if key_file else None,
        "today": clock.today(),
        "page_title": f"{student.name} · 一人一档",
    }
    return render(request, "dossiers/dossier.html", context)


@login_required
def key_student_edit(request, student_no):
    """列入重点学生 / 调整档案 (level 3 and above over the student)."""
    student = selectors.dossier_student_get(user=request.user, student_no=student_no, action=CHANGE)
    key_file = selectors.key_file_of(student)
    initial = {"risk_level": RiskLevel.ATTENTION, "review_interval_days": 30}
    staff = getattr(request.user, "staff", None)
    if staff is not None:
        initial["responsible"] = staff.staff_no
    if key_file is not None:
        initial = {
            "reasons": list(key_file.reasons.all()),
            "risk_level": key_file.risk_level,
            "responsible": key_file.responsible.staff_no if key_file.responsible_id else "",
            "review_interval_days": key_file.review_interval_days,
            "follow_up_plan": key_file.follow_up_plan,
            "version": key_file.version,
        }
    form = KeyStudentForm(
        request.POST or None, initial=initial, staff_choices=selectors.staff_choices(student)
    )
    bootstrap(form, small=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.key_student_mark(
                actor=request.user,
                student=student,
                reasons=list(data["reasons"]),
                risk_level=data["risk_level"],
                responsible=data["responsible"] or None,
                review_interval_days=data["review_interval_days"],
                next_review=data["next_review"],
                follow_up_plan=data["follow_up_plan"],
                note=data["note"],
                expected_version=data.get("version"),
            )
        except ServiceError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, f"已保存{student.name}的重点学生档案。")
            return redirect("dossiers:dossier", student_no=student.student_no)
    if key_file is not None and request.method == "GET":
        _log(request, "key_student", [student])
    context = {
        "student": student,
        "key_file": key_file,
        "form": form,
        "page_title": f"{'调整' if key_file and key_file.active else '列入'}重点学生：{student.name}",
    }
    return render(request, "dossiers/edit.html", context)


@login_required
@require_POST
def key_student_remove(request, student_no):
    key_file = selectors.key_student_get(user=request.user, student_no=student_no, action=CHANGE)
    form = RemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写移出原因。")
    else:
        try:
            services.key_student_remove(
                actor=request.user,
                key_student=key_file,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data.get("version"),
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已移出重点名单，档案仍然保留。")
    return redirect("dossiers:dossier", student_no=student_no)


@login_required
@require_POST
def key_student_review(request, student_no):
    key_file = selectors.key_student_get(user=request.user, student_no=student_no, action=CHANGE)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写复查情况。")
    else:
        try:
            services.key_student_review(
                actor=request.user,
                key_student=key_file,
                note=form.cleaned_data["note"],
                risk_level=form.cleaned_data["risk_level"] or None,
                expected_version=form.cleaned_data.get("version"),
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已记录复查。")
    return redirect(reverse("dossiers:dossier", args=[student_no]) + "#key-file")


@login_required
def talk_new(request, student_no):
    """记录谈心谈话 (the form shows nothing sensitive; the dossier lists the records)."""
    student = selectors.dossier_student_get(user=request.user, student_no=student_no, action=CHANGE)
    form = TalkRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.talk_record_create(actor=request.user, student=student, **form.cleaned_data)
        except ServiceError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, "已记录谈心谈话。")
            return redirect(reverse("dossiers:dossier", args=[student_no]) + "#talks")
    context = {"student": student, "form": form, "page_title": f"谈心谈话：{student.name}"}
    return render(request, "dossiers/talk_form.html", context)


@login_required
def dossier_pdf(request, student_no):
    """交接文档: the dossier as a PDF in Chinese; each export is logged."""
    student = selectors.dossier_student_get(user=request.user, student_no=student_no)
    data = selectors.dossier_get(user=request.user, student=student)
    content = pdf.dossier_pdf(request=request, data=data)
    _log(request, "dossier", [student], action=AccessLog.Action.EXPORT)
    filename = f"一人一档_{student.name}_{student.student_no}.pdf"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# --- early warning ---------------------------------------------------------------------------


@login_required
def warning_list(request):
    _require(is_manager(request.user))
    state = request.GET.get("state") or ProposalState.OPEN
    rows = selectors.proposal_list(user=request.user, state=state, rule=request.GET.get("rule", ""))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    _log(request, "warning", [p.student for p in page])
    for proposal in page:
        proposal.accept_form = _accept_form(proposal)
    context = {
        "page": page,
        "state": state,
        "states": ProposalState.choices,
        "reasons": selectors.reasons(),
        "levels": RiskLevel.choices,
        "page_title": "重点学生预警",
    }
    return render(request, template_for(request, "dossiers/warnings.html", "rows"), context)


def _accept_form(proposal) -> DecisionForm:
    """The level picker of one proposal's 采纳 (empty: the suggested level)."""
    form = bootstrap(DecisionForm(auto_id=False), small=True)
    form.fields["risk_level"].choices = [("", f"建议：{proposal.get_suggested_level_display()}")] + list(
        RiskLevel.choices
    )
    form.fields["risk_level"].widget.attrs["class"] += " w-auto"
    return form


@login_required
@require_POST
def warning_decide(request, pk, decision):
    proposal = selectors.proposal_get(user=request.user, pk=pk)
    if decision not in ("accept", "dismiss"):
        raise Http404
    form = DecisionForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {}
    try:
        if decision == "accept":
            services.proposal_accept(
                actor=request.user,
                proposal=proposal,
                reasons=list(data["reasons"]) if data.get("reasons") else None,
                risk_level=data.get("risk_level") or None,
                note=data.get("note", ""),
            )
            messages.success(request, f"已将{proposal.student.name}列入重点学生。")
            return redirect("dossiers:dossier", student_no=proposal.student.student_no)
        services.proposal_dismiss(actor=request.user, proposal=proposal, note=data.get("note", ""))
        messages.success(request, f"已忽略对{proposal.student.name}的预警；同样的记录不会再次提出。")
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("dossiers:warnings")


# --- screening -------------------------------------------------------------------------------


@login_required
def screening_list(request):
    _require(may_use_dossiers(request.user))
    semesters = list(selectors.semesters())
    params = request.GET.copy()
    if "follow_up" not in params and not params.get("q"):
        params["follow_up"] = FollowUp.PENDING  # the follow-up list is what a counselor opens it for
    form = bootstrap(ScreeningFilterForm(params, semesters=semesters), small=True)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.screening_result_list(user=request.user, filters=filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    _log(request, "screening", [r.student for r in page])
    context = {
        "page": page,
        "form": form,
        "follow_up_form": FollowUpForm(),
        "may_import": is_manager(request.user),
        "page_title": "心理筛查",
    }
    return render(request, template_for(request, "dossiers/screening.html", "rows"), context)


@login_required
@require_POST
def screening_follow_up(request, pk):
    result = selectors.screening_result_get(user=request.user, pk=pk, action=CHANGE)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写跟进情况。")
    else:
        try:
            services.screening_follow_up(actor=request.user, result=result, note=form.cleaned_data["note"])
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已记录对{result.student.name}的跟进。")
    return redirect(request.POST.get("next") or reverse("dossiers:screening"))


class ScreeningImport(StagedImport):
    """Upload → preview (dry run) → confirm, like the roster import."""

    prefix = "screening"
    template_name = "dossiers/screening_import.html"
    url_name = "dossiers:screening-import"
    page_title = "导入心理筛查结果"
    key_label = "学号"

    def allowed(self, request):
        return is_manager(request.user)

    def get_form(self, request):
        semesters = list(selectors.semesters())
        return ScreeningUploadForm(
            request.POST or None,
            request.FILES or None,
            semesters=semesters,
            initial={"semester": semesters[0].name if semesters else ""},
        )

    def extra_context(self, request):
        return {"instruments": selectors.instruments()}

    def check(self, request, path, data):
        return imports.import_screening(path, semester=data["semester"], actor=request.user, dry_run=True)

    def carried(self, request, data, file_name):
        return {"semester": data["semester"], "file_name": file_name}

    def apply(self, request, path):
        return imports.import_screening(
            path,
            semester=request.POST.get("semester", ""),
            actor=request.user,
            file_name=request.POST.get("file_name", ""),
        )

    def done_url(self, request):
        return "dossiers:screening"


screening_import = login_required(ScreeningImport.as_view())


@login_required
def screening_template(request):
    headers = [c.header for c in imports.SCREENING_COLUMNS]
    example = [
        ["2024010101", "张三", "UPI", "12", "", "否"],
        ["2024010102", "李四", "SCL-90", "172", "躯体化、抑郁", "否"],
    ]
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('心理筛查结果导入模板.xlsx')}"
    write_template(response, headers, example, title="心理筛查结果")
    return response


# --- grants and the access log ---------------------------------------------------------------


@login_required
def grant_list(request):
    """敏感信息授权 (college leaders for their college, the office for all)."""
    _require(is_college_leader(request.user))
    form = GrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        student = selectors.grantable_student(user=request.user, student_no=data["student_no"].strip())
        grantee = selectors.staff_by_number(data["staff_no"].strip())
        if student is None:
            form.add_error("student_no", "在您的管理范围内找不到该学号")
        elif grantee is None:
            form.add_error("staff_no", "找不到该工号")
        else:
            try:
                services.access_grant_create(
                    actor=request.user,
                    grantee=grantee,
                    student=student,
                    until=data["until"],
                    reason=data["reason"],
                )
            except ServiceError as exc:
                put_errors(form, exc)
            else:
                messages.success(
                    request, f"已授权{grantee.name}查看{student.name}的敏感信息至{data['until']}。"
                )
                return redirect("dossiers:grants")
    show_all = request.GET.get("all") == "1"
    page = Paginator(selectors.grant_list(user=request.user, current_only=not show_all), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page": page,
        "show_all": show_all,
        "today": clock.today(),
        "page_title": "敏感信息授权",
    }
    return render(request, "dossiers/grants.html", context)


@login_required
@require_POST
def grant_revoke(request, pk):
    grant = selectors.grant_get(user=request.user, pk=pk)
    try:
        services.access_grant_revoke(actor=request.user, grant=grant)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已撤销授权。")
    return redirect("dossiers:grants")


@login_required
def access_log(request):
    """敏感信息访问日志: search only; the log cannot be changed through the app."""
    _require(is_college_leader(request.user))
    form = bootstrap(AccessLogFilterForm(request.GET or None), small=True)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    rows = selectors.access_log_list(user=request.user, filters=filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "page_title": "敏感信息访问日志"}
    return render(request, template_for(request, "dossiers/access_log.html", "rows"), context)
