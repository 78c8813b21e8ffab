"""Pages of the semester records: the grid workers' appraisal (desktop for counselors and
leaders, the worker's own on a phone page), the export, the settings, and the class honours."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from campusgrid.core.errors import NotAllowed, ServiceError
from campusgrid.core.excel import ledger_response, person_name, scope_label
from campusgrid.core.forms import bootstrap, picker_form, put_errors, select_choices
from campusgrid.core.htmx import template_for
from campusgrid.core.scoping import scope_for

from . import policy_appraisal as policy
from .appraisal import honours, selectors, services
from .forms_appraisal import (
    AnswerForm,
    AppraisalSettingsForm,
    DecideForm,
    HonourSettingsForm,
    ObjectionForm,
    ProposeForm,
    ScoreForm,
)
from .models import AppraisalSettings, AppraisalState, Grade, HonourSettings, HonourState

PAGE_SIZE = 50


def _safe_semester(request):
    """The list's semester and class from the query: an unknown value says so in Chinese and
    falls back to the current semester or to every class (never a 500)."""
    source = request.POST if request.method == "POST" else request.GET
    try:
        semester = selectors.semester_choice(source.get("semester"))
    except ServiceError as exc:
        messages.error(request, exc.message)
        try:
            semester = selectors.semester_choice(None)
        except ServiceError:
            raise Http404("尚未设置学期")
    try:
        school_class = selectors.class_choice(user=request.user, value=source.get("class"))
    except ServiceError as exc:
        messages.error(request, exc.message)
        school_class = None
    return semester, school_class


@login_required
def appraisal_list(request):
    """网格员考核: the semester's appraisals of the user's workers, with compute and publish."""
    user = request.user
    semester, school_class = _safe_semester(request)
    grade = request.GET.get("grade", "")
    grade = grade if grade in Grade.values else ""
    state = request.GET.get("state", "")
    state = state if state in AppraisalState.values else ""
    rows = selectors.appraisal_list(
        user=user, semester=semester, school_class=school_class, grade=grade, state=state
    )
    if request.GET.get("format") == "xlsx":
        return _export(request, rows, semester, school_class)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    semesters = selectors.semesters()
    columns = selectors.columns(page.object_list)
    for row in page:
        row.cells = [selectors.short_cell(row, c["key"]) for c in columns]
    context = {
        "page": page,
        "columns": columns,
        "semester": semester,
        "semesters": semesters,
        "school_class": school_class,
        "grade": grade,
        "state": state,
        "grades": Grade.choices,
        "states": AppraisalState.choices,
        "picker": picker_form(
            semester=("学期", [(s.pk, s.name) for s in semesters], semester.pk if semester else None),
            grade=("等级", select_choices("全部等级", Grade.choices), grade),
            state=("状态", select_choices("全部状态", AppraisalState.choices), state),
        ),
        "may_manage": policy.may_manage_appraisals(user),
        "may_settings": policy.may_edit_settings(user),
        "settings": AppraisalSettings.get(),
        "page_title": "网格员考核",
    }
    return render(request, template_for(request, "dashboards/appraisal_list.html", "rows"), context)


EXPORT_HEADERS = ["序号", "学号", "姓名", "班级", "职务", "任职位置"]
EXPORT_TAIL = [
    "记录得分",
    "辅导员评分",
    "总分",
    "等级",
    "班级排名",
    "学院排名",
    "状态",
    "评语",
    "申诉",
    "答复",
]


def export_rows(rows, columns):
    for index, row in enumerate(rows, start=1):
        yield [
            index,
            row.student.student_no,
            row.student.name,
            row.school_class.name if row.school_class_id else "",
            row.kind_label,
            row.place_label,
            *[selectors.cell(row, c["key"]) for c in columns],
            row.computed_score,
            row.counselor_score,
            row.total,
            row.get_grade_display(),
            row.class_rank,
            row.college_rank,
            row.get_state_display(),
            row.comment,
            row.objection_reason,
            row.answer,
        ]


def _export(request, rows, semester, school_class):
    """The .xlsx of the list: per class (?class=) or of the whole reach (the college)."""
    rows = list(rows)
    columns = selectors.columns(rows)
    where = school_class.name if school_class else scope_label(request.user)
    name = f"网格员考核（{semester.name}·{where}）"
    return ledger_response(
        filename=f"{name}.xlsx",
        title=name,
        user_name=person_name(request.user),
        scope_label=where,
        headers=EXPORT_HEADERS + [c["label"] for c in columns] + EXPORT_TAIL,
        rows=export_rows(rows, columns),
        widths=[6, 14, 10, 12, 10, 16] + [22] * len(columns) + [10, 10, 8, 8, 8, 8, 10, 30, 30, 30],
    )


@login_required
@require_POST
def appraisal_run(request, action):
    """Compute (or refresh) the drafts, or publish the scored ones, for the semester (and class)."""
    if action not in ("compute", "publish"):
        raise Http404
    try:
        # A mistyped class must not widen a publish to every class: the error stops it.
        semester = selectors.semester_choice(request.POST.get("semester"))
        school_class = selectors.class_choice(user=request.user, value=request.POST.get("class"))
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("dashboards:appraisals")
    try:
        if action == "compute":
            n = services.appraisal_compute(actor=request.user, semester=semester, school_class=school_class)
            messages.success(request, f"已根据记录计算 {n} 名网格员的考核（已公示的保持不变）。")
        elif action == "publish":
            n = services.appraisal_publish(actor=request.user, semester=semester, school_class=school_class)
            messages.success(request, f"已公示 {n} 份考核；尚未评分的仍为待公示。")
        else:
            raise Http404
    except NotAllowed as exc:
        raise PermissionDenied(exc.message)
    except ServiceError as exc:
        messages.error(request, exc.message)
    query = f"?semester={semester.pk}" + (f"&class={school_class.name}" if school_class else "")
    return redirect(reverse("dashboards:appraisals") + query)


@login_required
def appraisal_detail(request, pk):
    """One appraisal: the figures, the counselor's score and comment, the objection and answer."""
    user = request.user
    appraisal = selectors.appraisal_get(user=user, pk=pk)
    manage = policy.may_manage(user, appraisal)
    score_form = ScoreForm(
        initial={
            "counselor_score": appraisal.counselor_score,
            "comment": appraisal.comment,
            "version": appraisal.version,
        }
    )
    answer_form = AnswerForm(initial={"version": appraisal.version})
    if request.method == "POST":
        if not manage:
            raise PermissionDenied("只有该网格员的辅导员、班主任或学院领导可以评分或答复")
        step = request.POST.get("step")
        form = ScoreForm(request.POST) if step == "score" else AnswerForm(request.POST)
        if step == "score":
            score_form = form
        else:
            answer_form = form
        if form.is_valid():
            data = form.cleaned_data
            try:
                if step == "score":
                    services.appraisal_score(
                        actor=user,
                        appraisal=appraisal,
                        score=data["counselor_score"],
                        comment=data["comment"],
                        expected_version=data.get("version"),
                    )
                    messages.success(request, "已保存评分。")
                else:
                    services.appraisal_answer(
                        actor=user,
                        appraisal=appraisal,
                        answer=data["answer"],
                        score=data.get("counselor_score"),
                        expected_version=data.get("version"),
                    )
                    messages.success(request, "已答复申诉。")
            except ServiceError as exc:
                put_errors(form, exc)
            else:
                return redirect("dashboards:appraisal", pk=pk)
    context = {
        "appraisal": appraisal,
        "figures": selectors.figures_of(appraisal),
        "may_manage": manage,
        "score_form": score_form if manage and appraisal.state == AppraisalState.DRAFT else None,
        "answer_form": answer_form if manage and appraisal.state == AppraisalState.OBJECTED else None,
        "may_object": policy.may_object(user, appraisal),
        "objection_form": ObjectionForm(),
        "settings": AppraisalSettings.get(),
        "page_title": f"网格员考核 · {appraisal.student.name}",
    }
    return render(request, "dashboards/appraisal_detail.html", context)


@login_required
def appraisal_mine(request):
    """我的考核 (phone): the worker's own published appraisals, with the objection form while open."""
    rows = selectors.appraisal_mine(user=request.user)
    items = [
        {
            "appraisal": a,
            "figures": selectors.figures_of(a),
            "may_object": policy.may_object(request.user, a),
        }
        for a in rows
    ]
    context = {"items": items, "objection_form": ObjectionForm(), "page_title": "我的考核"}
    return render(request, "dashboards/appraisal_mine.html", context)


@login_required
@require_POST
def appraisal_object(request, pk):
    """申诉: the worker's objection to their published appraisal."""
    appraisal = selectors.appraisal_get(user=request.user, pk=pk)
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写申诉理由（不超过 2000 字）。")
        return redirect("dashboards:appraisal-mine")
    try:
        services.appraisal_object(actor=request.user, appraisal=appraisal, reason=form.cleaned_data["reason"])
    except NotAllowed as exc:
        raise PermissionDenied(exc.message)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已提交申诉，辅导员答复后会通知您。")
    return redirect("dashboards:appraisal-mine")


@login_required
def appraisal_settings(request):
    """考核设置 and 班级评优设置 (leaders and the office)."""
    if not policy.may_edit_settings(request.user):
        raise Http404
    appraisal_form = AppraisalSettingsForm(
        request.POST if request.POST.get("part") == "appraisal" else None, instance=AppraisalSettings.get()
    )
    honour_form = HonourSettingsForm(
        request.POST if request.POST.get("part") == "honours" else None, instance=HonourSettings.get()
    )
    if request.method == "POST":
        form = appraisal_form if request.POST.get("part") == "appraisal" else honour_form
        if form.is_bound and form.is_valid():
            try:
                services.settings_save(actor=request.user, form=form)
            except NotAllowed as exc:
                raise PermissionDenied(exc.message)
            messages.success(request, "已保存设置。")
            return redirect("dashboards:appraisal-settings")
    context = {"appraisal_form": appraisal_form, "honour_form": honour_form, "page_title": "考核与评优设置"}
    return render(request, "dashboards/appraisal_settings.html", context)


# --- class honours --------------------------------------------------------------------------------


def _honour_row_forms() -> dict:
    """The selects drawn in every row of the honours page (no ids: one per row)."""
    decide = bootstrap(DecideForm(auto_id=False), small=True)
    propose = bootstrap(ProposeForm(auto_id=False), small=True)
    propose.fields["kind"].widget.attrs["class"] += " mb-1"
    return {"decide": decide, "propose": propose}


def _college(request):
    """The college whose classes are ranked: ?college= (a name the user sees), else the user's
    first. The ranking is always among all the college's classes."""
    colleges = honours.ranking_colleges(user=request.user)
    name = (request.GET.get("college") or request.POST.get("college") or "").strip()
    if name:
        college = colleges.filter(name=name[:100]).first()
        if college is None:
            raise Http404
        return college, colleges
    scope = scope_for(request.user)
    if scope.focus_college_id:
        return colleges.filter(pk=scope.focus_college_id).first(), colleges
    return colleges.first(), colleges


@login_required
def honours_page(request):
    """班级评优: the semester's class ranking of a college, the proposals and the decisions."""
    user = request.user
    if not policy.may_see_honours(user):
        raise Http404
    semester, _ = _safe_semester(request)
    college, colleges = _college(request)
    form = ProposeForm()
    if request.method == "POST":
        form = ProposeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                school_class = selectors.class_choice(user=user, value=data["school_class"])
                if school_class is None:
                    raise ServiceError("请选择班级", field="school_class")
                honours.class_honour_propose(
                    actor=user,
                    semester=semester,
                    school_class=school_class,
                    kind=data["kind"],
                    reason=data["reason"],
                )
            except NotAllowed as exc:
                raise PermissionDenied(exc.message)
            except ServiceError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, f"已推荐{school_class.name}，待学院决定。")
                return redirect(
                    reverse("dashboards:honours") + f"?semester={semester.pk}&college={college.name}"
                )
        else:
            messages.error(request, "请选择荣誉并填写推荐理由。")
    ranking = []
    if college is not None:
        from campusgrid.org.models import SchoolClass

        visible = set(
            SchoolClass.objects.visible_to(user).filter(college=college).values_list("pk", flat=True)
        )
        all_classes = list(college.classes.select_related("college").order_by("name"))
        ranking = [r for r in honours.rank_classes(all_classes, semester) if r["school_class"].pk in visible]
        for row in ranking:
            row["may_propose"] = policy.may_propose(user, row["school_class"])
    proposals = list(honours.class_honour_list(user=user, semester=semester).filter(college=college))
    for item in proposals:
        item.may_decide = item.state == HonourState.PROPOSED and policy.may_decide(user, item)
    settings = HonourSettings.get()
    semesters = selectors.semesters()
    shown_colleges = colleges if len(colleges) > 1 else []
    pickers = {"semester": ("学期", [(s.pk, s.name) for s in semesters], semester.pk if semester else None)}
    if shown_colleges:
        pickers["college"] = (
            "学院",
            [(c.name, c.name) for c in shown_colleges],
            college.name if college else None,
        )
    context = {
        "semester": semester,
        "semesters": semesters,
        "picker": picker_form(**pickers),
        "row_forms": _honour_row_forms(),
        "college": college,
        "colleges": shown_colleges,
        "ranking": ranking,
        "columns": honours.criteria_columns(),
        "proposals": proposals,
        "form": form,
        "decide_form": DecideForm(),
        "settings": settings,
        "may_settings": policy.may_edit_settings(user),
        "page_title": "班级评优",
    }
    return render(request, "dashboards/honours_page.html", context)


@login_required
@require_POST
def honour_decide(request, pk):
    honour = honours.class_honour_get(user=request.user, pk=pk)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择决定。")
    else:
        data = form.cleaned_data
        try:
            honours.class_honour_decide(
                actor=request.user,
                honour=honour,
                approve=data["decision"] == "approve",
                note=data["note"],
                expected_version=data.get("version"),
            )
        except NotAllowed as exc:
            raise PermissionDenied(exc.message)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已记录学院决定。")
    return redirect(
        reverse("dashboards:honours") + f"?semester={honour.semester_id}&college={honour.college.name}"
    )
