"""Leave pages: request, decide, 销假, the ledger."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from campusgrid.core import clock
from campusgrid.core.errors import ServiceError
from campusgrid.core.forms import bootstrap, put_errors
from campusgrid.core.htmx import template_for
from campusgrid.core.scoping import scope_for
from campusgrid.people import sensitive

from .. import policy, selectors, services
from ..filters import LeaveFilter
from ..forms import DecisionForm, LeaveForm
from ..models import LeaveState
from ..services.common import manages_student
from .common import export, page_of, wants_export

LEAVE_HEADERS = [
    "序号",
    "学号",
    "姓名",
    "班级",
    "类型",
    "离校时间",
    "返校时间",
    "事由",
    "去向",
    "状态",
    "审批人",
    "审批意见",
    "销假时间",
]


@login_required
def leave_list(request):
    """请假台账; ?box=todo lists what waits for my approval."""
    user = request.user
    box = request.GET.get("box", "")
    filterset = LeaveFilter(request.GET or None, queryset=selectors.leave_list(user=user), user=user)
    form = bootstrap(filterset.form, small=True)
    if box == "todo":
        leaves = selectors.leaves_to_decide(user=user)
    elif box == "mine":
        leaves = selectors.leave_list(user=user).filter(student__user=user)
    else:
        leaves = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    if wants_export(request):
        rows = []
        for i, leave in enumerate(leaves, start=1):
            rows.append(
                [
                    i,
                    leave.student.student_no,
                    leave.student.name,
                    leave.student.school_class.name if leave.student.school_class_id else "",
                    leave.get_kind_display(),
                    leave.start,
                    leave.end,
                    sensitive.shown(user, leave, "reason"),
                    leave.destination,
                    leave.get_state_display(),
                    leave.decided_by_name,
                    leave.comment,
                    leave.returned_at or "",
                ]
            )
        return export(
            request,
            name="请假台账",
            headers=LEAVE_HEADERS,
            rows=rows,
            widths=[6, 14, 10, 12, 8, 16, 16, 30, 16, 8, 10, 20, 16],
        )
    scope = scope_for(user)
    context = {
        "page_title": "请假",
        "form": form,
        "box": box,
        "page": page_of(request, leaves),
        "may_decide": policy.may_decide_leave(user, scope),
        "is_student": getattr(user, "student", None) is not None,
    }
    return render(request, template_for(request, "ledgers/leave_list.html", "rows"), context)


@login_required
def leave_new(request):
    user = request.user
    own = getattr(user, "student", None)
    form = LeaveForm(request.POST or None)
    bootstrap(form)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        student = own
        if data["student_no"] and (own is None or data["student_no"] != own.student_no):
            student = selectors.managed_student(user=user, student_no=data["student_no"])
            if student is None:
                form.add_error("student_no", "在您所带的学生中找不到该学号")
        if student is None and not form.errors:
            form.add_error("student_no", "请填写学生学号")
        if not form.errors:
            try:
                leave = services.leave_request(
                    actor=user,
                    student=student,
                    kind=data["kind"],
                    start=data["start"],
                    end=data["end"],
                    reason=data["reason"],
                    destination=data["destination"],
                    contact=data["contact"],
                )
            except ServiceError as exc:
                put_errors(form, exc)
            else:
                messages.success(
                    request, "请假已提交，等待辅导员审批。" if leave.state == "pending" else "已登记请假。"
                )
                return redirect("ledgers:leave-detail", pk=leave.pk)
    return render(request, "ledgers/leave_new.html", {"form": form, "own": own, "page_title": "请假申请"})


@login_required
def leave_detail(request, pk):
    user = request.user
    leave = selectors.leave_get(user=user, pk=pk)
    own = leave.student.user_id == user.pk
    manager = manages_student(user, leave.student)
    now = clock.now()
    started = leave.has_started(now)
    actions = []
    if manager and leave.state == LeaveState.PENDING:
        actions += ["approve", "refuse"]
    if (own or manager) and (
        leave.state == LeaveState.PENDING or (leave.state == LeaveState.APPROVED and not started)
    ):
        actions.append("cancel")
    if (own or manager) and leave.state == LeaveState.APPROVED and started:
        actions.append("return")
    context = {
        "leave": leave,
        "page_title": "请假详情",
        "actions": actions,
        "may_see": sensitive.may_see_sensitive(user, leave.student),
        "overdue": leave.is_overdue(now),
        "decision_form": DecisionForm(initial={"version": leave.version}),
    }
    return render(request, "ledgers/leave_detail.html", context)


@login_required
@require_POST
def leave_act(request, pk, action):
    user = request.user
    leave = selectors.leave_get(user=user, pk=pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        if action in ("approve", "refuse"):
            services.leave_decide(
                actor=user,
                leave=leave,
                approve=action == "approve",
                comment=data.get("comment", ""),
                expected_version=data.get("version"),
            )
        elif action == "cancel":
            services.leave_cancel(actor=user, leave=leave)
        elif action == "return":
            services.leave_return(actor=user, leave=leave)
        else:
            raise Http404
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        labels = {"approve": "已批准", "refuse": "已不批准", "cancel": "已撤销", "return": "已销假"}
        messages.success(request, f"{labels[action]}。")
    return redirect("ledgers:leave-detail", pk=pk)
