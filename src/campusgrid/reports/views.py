from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from campusgrid.core import clock
from campusgrid.core.errors import ServiceError
from campusgrid.core.excel import ledger_response, person_name, scope_label
from campusgrid.core.forms import bootstrap, put_errors
from campusgrid.core.htmx import template_for
from campusgrid.core.paging import KeptPaginator
from campusgrid.grid import selectors as grid_selectors
from campusgrid.org.models import Room
from campusgrid.people import selectors as people_selectors
from campusgrid.people.models import AccessLog, Student

from . import selectors, services
from .forms import ActionForm, LevelPickerForm, ReportForm
from .models import LEVEL_NAMES, ReportPhoto
from .workflow import BY_ACTION

PAGE_SIZE = 30


def _page(request, queryset, template, title, *, mode: str, **extra):
    """A list page: its count and page ids kept between requests until a table the list reads
    changes (core.paging.KeptPaginator), its rows read fresh by id. `queryset` may be a
    function giving it: then it is built only when the kept page is not there."""
    detail = tuple(sorted((k, tuple(v)) for k, v in request.GET.lists() if k != "page"))
    paginator = KeptPaginator(
        queryset,
        PAGE_SIZE,
        user=request.user,
        name=f"reports-{mode}",
        inputs=selectors.list_inputs(),
        rows=selectors.page_rows_by_ids,
        detail=detail,
    )
    page = paginator.get_page(request.GET.get("page"))
    selectors.log_sensitive(request, page)
    context = {"page": page, "page_title": title, "now": clock.now(), "mode": mode, **extra}
    return render(request, template_for(request, template, "rows"), context)


@login_required
def report_list(request):
    filterset = selectors.report_filter(user=request.user, params=request.GET)
    error = None
    try:
        selectors.check_filter(filterset)
    except ServiceError as exc:
        error = exc.message
    if request.GET.get("format") == "xlsx" and error is None:
        return _export(request, selectors.filtered(filterset))
    choices = filterset.choice_lists()
    return _page(
        request,
        (lambda: selectors.filtered(filterset)) if error is None else filterset.queryset,
        "reports/list.html",
        "全部上报",
        filter=filterset,
        choices=choices,
        filter_form=filterset.page_form(choices),
        filter_error=error,
        mode="all",
    )


@login_required
def report_mine(request):
    return _page(
        request,
        lambda: selectors.report_mine(user=request.user),
        "reports/list.html",
        "我的上报",
        mode="mine",
    )


@login_required
def report_todo(request):
    return _page(
        request,
        lambda: selectors.report_todo(user=request.user),
        "reports/list.html",
        "待我处理",
        mode="todo",
    )


def _export(request, reports):
    """异常情况处理台账, laid out as the paper ledger."""
    reports = list(reports)
    selectors.log_sensitive(request, reports, AccessLog.Action.EXPORT)
    headers = [
        "序号",
        "上报时间",
        "类别",
        "严重程度",
        "涉及学生",
        "寝室",
        "班级",
        "问题描述",
        "上报人",
        "当前层级",
        "受理人",
        "处理情况",
        "反馈",
        "状态",
        "办结时间",
    ]
    rows = []
    for index, r in enumerate(reports, start=1):
        rows.append(
            [
                index,
                r.created_at,
                r.category.name,
                r.get_severity_display(),
                "、".join(f"{s.name}（{s.student_no}）" for s in r.students.all()),
                r.room.label if r.room_id else "",
                "、".join(c.name for c in r.classes.all()),
                r.description,
                r.reporter_name,
                LEVEL_NAMES.get(r.level, ""),
                person_name(r.handler) if r.handler_id else "",
                r.outcome,
                r.feedback,
                r.get_state_display(),
                r.closed_at or "",
            ]
        )
    return ledger_response(
        filename="异常情况处理台账.xlsx",
        title="异常情况处理台账",
        user_name=person_name(request.user),
        scope_label=scope_label(request.user),
        headers=headers,
        rows=rows,
        widths=[6, 16, 10, 8, 24, 14, 14, 40, 10, 14, 10, 30, 30, 8, 16],
    )


@login_required
def report_new(request):
    user = request.user
    students = list(Student.objects.visible_to(user).filter(status="enrolled").order_by("student_no")[:61])
    few = len(students) <= 60
    rooms = list(
        Room.objects.visible_to(user).select_related("building").order_by("building__name", "number")[:200]
    )
    reporter_level = max(_levels_of(user), default=0)
    initial = {}
    if request.GET.get("student"):
        initial["students" if few else "student_numbers"] = (
            [request.GET["student"]] if few else request.GET["student"]
        )
    if request.GET.get("room"):
        initial["room"] = request.GET["room"]
    if request.GET.get("category"):
        initial["category"] = request.GET["category"]
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        students=students if few else [],
        rooms=rooms,
        reporter_level=reporter_level,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            chosen = people_selectors.students_by_numbers(
                user=user, numbers=form.student_numbers_list(), field="student_numbers"
            )
            room = None
            if form.cleaned_data["room"]:
                room = grid_selectors.room_by_label(user=user, label=form.cleaned_data["room"])
            report = services.report_create(
                actor=user,
                category=form.cleaned_data["category"],
                severity=form.cleaned_data["severity"],
                description=form.cleaned_data["description"],
                students=chosen,
                room=room,
                to_level=int(form.cleaned_data["to_level"]) if form.cleaned_data["to_level"] else None,
                photos=form.cleaned_data["photos"],
            )
        except ServiceError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, f"已上报至{report.level_name}。")
            return redirect("reports:detail", pk=report.pk)
    bootstrap(form)
    return render(request, "reports/new.html", {"form": form, "few": few, "page_title": "上报问题"})


def _levels_of(user):
    from campusgrid.core.scoping import scope_for

    return scope_for(user).levels


@login_required
def report_detail(request, pk):
    report = selectors.report_get(user=request.user, pk=pk)
    selectors.log_sensitive(request, [report])
    return _detail(request, report)


def _action_form(t, report, failed: dict | None) -> dict:
    """One action's row: its transition, the refused attempt if it was this one, and the
    level select if the action needs a level."""
    failed = failed if failed and failed["action"] == t.action else None
    row = {"t": t, "failed": failed, "level": None}
    for need in t.needs:
        if need.kind == "level":
            picker = LevelPickerForm(
                name=need.name,
                label=need.label,
                choices=[(lvl, LEVEL_NAMES[lvl]) for lvl in range(report.level + 1, 6)],
                selected=(failed or {}).get("data", {}).get("to_level"),
                invalid=bool(failed and failed.get("field") == need.name),
            )
            row["level"] = picker[need.name]  # an action needs one level at most
    return row


def _detail(request, report, *, failed: dict | None = None, status: int = 200):
    """The report page; after a refused action, `failed` keeps what was typed and the
    Chinese error beside that action's form ({"action", "label", "message", "field", "data"})."""
    actions = services.allowed_actions(request.user, report)
    context = {
        "report": report,
        "timeline": selectors.timeline(report),
        "actions": actions,
        "action_names": [t.action for t in actions],
        "action_forms": [_action_form(t, report, failed) for t in actions],
        "photos": list(report.photos.all()),
        "now": clock.now(),
        "page_title": f"上报 #{report.pk}",
        "failed": failed,
    }
    return render(request, "reports/detail.html", context, status=status)


@login_required
@require_POST
def report_action(request, pk, action):
    report = selectors.report_get(user=request.user, pk=pk)
    form = ActionForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    # The inputs this action takes come from the workflow table (`needs`).
    transition = BY_ACTION.get(action)
    needs = {n.name for n in transition.needs} if transition and not transition.system else set()
    try:
        if transition is None or transition.system:
            raise ServiceError(f"未知的操作“{action}”")
        assignee = None
        if "assignee" in needs:
            assignee = people_selectors.login_by_number(number=data.get("assignee", ""), field="assignee")
        services.report_act(
            actor=request.user,
            report=report,
            action=action,
            note=data.get("note", ""),
            to_level=data.get("to_level") if "to_level" in needs else None,
            assignee=assignee,
            also_feedback="also_feedback" in needs and bool(data.get("also_feedback")),
            expected_version=data.get("version"),
        )
    except ServiceError as exc:
        failed = {
            "action": action,
            "label": transition.label if transition else action,
            "message": exc.message,
            "field": exc.field,
            "data": {
                "note": request.POST.get("note", ""),
                "assignee": request.POST.get("assignee", ""),
                "to_level": request.POST.get("to_level", ""),
                "also_feedback": "also_feedback" in request.POST,
            },
        }
        report = selectors.report_get(user=request.user, pk=pk)
        return _detail(request, report, failed=failed, status=exc.status_code)
    done = services.action_label(action)
    if action == "handle" and data.get("also_feedback"):
        done = "处理完成，并已反馈给上报人"
    messages.success(request, f"已{done}。")
    return redirect("reports:detail", pk=pk)


@login_required
def report_photo(request, pk, photo_id):
    report = selectors.report_get(user=request.user, pk=pk)
    photo = ReportPhoto.objects.filter(report=report, pk=photo_id).first()
    if photo is None:
        raise Http404
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def student_report_url(student) -> str:
    return reverse("reports:new") + f"?student={student.student_no}"
