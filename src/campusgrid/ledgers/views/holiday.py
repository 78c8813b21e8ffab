"""Holiday pages: open the registration, register, confirm returns, the class
view by status and the 节假日离校返校台账."""

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
from ..forms import HolidayOpenForm, HolidayRegisterForm
from ..models import HOLIDAY_STATUS, HolidayPlan
from ..services.common import is_dorm_head_of, manages_student
from .common import export, page_of

HOLIDAY_HEADERS = [
    "序号",
    "班级",
    "学号",
    "姓名",
    "寝室",
    "去留",
    "目的地",
    "离校日期",
    "计划返校日期",
    "交通方式",
    "紧急联系人",
    "紧急联系电话",
    "返校时间",
    "确认人",
    "状态",
    "晚返原因",
]


@login_required
def holiday_list(request):
    user = request.user
    scope = scope_for(user)
    by_college = None
    if scope.spans_colleges:
        # The office: one row per college for the latest holidays, each opening the college (?college=).
        by_college = selectors.holiday_by_college(user=user)
        page, counts = None, {}
    else:
        page = page_of(request, selectors.holiday_window_list(user=user))
        counts = selectors.window_counts(user=user, windows=list(page))
    context = {
        "by_college": by_college,
        "page_title": "节假日离校返校",
        "page": page,
        "counts": counts,
        "mine": selectors.my_windows(user=user),
        "may_open": policy.may_open_holiday(user, scope),
        "may_see_classes": policy.may_see_holiday_classes(user, scope),
        "statuses": HOLIDAY_STATUS,
    }
    return render(request, "ledgers/holiday_list.html", context)


@login_required
def holiday_open(request):
    user = request.user
    classes = selectors.classes_to_open(user=user)
    if not classes.exists():
        raise Http404
    holidays = selectors.open_holidays()
    form = bootstrap(HolidayOpenForm(request.POST or None, holidays=holidays, classes=classes))
    if not holidays.exists():
        form.fields["holiday"].empty_label = "（近期没有节假日，请在系统管理中配置学期与节假日）"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            opened = services.holiday_window_open(
                actor=user,
                holiday=data["holiday"],
                classes=list(data["classes"]),
                register_by=data["register_by"],
                return_due=data["return_due"],
                note=data["note"],
            )
        except ServiceError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, f"已为{len(opened)}个班级发起登记，并通知了学生。")
            return redirect("ledgers:holiday-list")
    return render(request, "ledgers/holiday_open.html", {"form": form, "page_title": "发起节假日登记"})


@login_required
def holiday_window(request, pk):
    """One class and holiday: who has not registered, stays, is away, is back, is overdue."""
    user = request.user
    window = selectors.holiday_window_get(user=user, pk=pk)
    status = request.GET.get("status", "")
    if status not in HOLIDAY_STATUS:
        status = ""
    rows = selectors.window_roster(user=user, window=window, status=status)
    if request.GET.get("format") == "xlsx":
        return _export(request, window, rows)
    counts = selectors.window_counts(user=user, windows=[window])[window.pk]
    now = clock.now()
    for row in rows:
        student = row["student"]
        registration = row["registration"]
        may_act = registration is not None and (
            student.user_id == user.pk
            or is_dorm_head_of(user, student.bed.room_id if student.bed_id else None)
            or manages_student(user, student)
        )
        row["may_confirm"] = may_act and registration.may_confirm_return(now)
        row["may_depart"] = may_act and registration.may_confirm_departure(now)
        row["may_see"] = sensitive.may_see_contact(user, student)
    context = {
        "page_title": f"{window.holiday.name} · {window.school_class.name}",
        "window": window,
        "rows": rows,
        "counts": counts,
        "status": status,
        "statuses": HOLIDAY_STATUS,
    }
    return render(request, template_for(request, "ledgers/holiday_window.html", "roster"), context)


def _export(request, window, rows):
    user = request.user
    lines = []
    for i, row in enumerate(rows, start=1):
        student, reg = row["student"], row["registration"]
        shown = sensitive.may_see_contact(user, student)
        lines.append(
            [
                i,
                window.school_class.name,
                student.student_no,
                student.name,
                student.bed.room.label if student.bed_id else "",
                reg.get_plan_display() if reg else "",
                reg.destination if reg else "",
                reg.depart_on if reg and reg.depart_on else "",
                reg.return_on if reg and reg.return_on else "",
                reg.transport if reg else "",
                reg.emergency_contact if reg else "",
                sensitive.shown_phone(user, student, reg.emergency_phone) if reg and shown else "",
                reg.returned_at if reg and reg.returned_at else "",
                reg.return_confirmed_by_name if reg else "",
                row["label"],
                reg.late_reason if reg else "",
            ]
        )
    return export(
        request,
        name=f"节假日离校返校台账（{window.holiday.name}·{window.school_class.name}）",
        headers=HOLIDAY_HEADERS,
        rows=lines,
        widths=[6, 12, 14, 10, 12, 6, 16, 12, 12, 10, 10, 14, 16, 10, 10, 20],
    )


@login_required
def holiday_register(request, pk):
    """A student's own registration (a counselor may pass ?student=学号)."""
    user = request.user
    window = selectors.holiday_window_get(user=user, pk=pk)
    student = getattr(user, "student", None)
    number = request.GET.get("student") or request.POST.get("student")
    if number and (student is None or number != student.student_no):
        found = [
            r["student"]
            for r in selectors.window_roster(user=user, window=window)
            if r["student"].student_no == number
        ]
        if not found or not manages_student(user, found[0]):
            raise Http404
        student = found[0]
    if student is None or student.school_class_id != window.school_class_id:
        raise Http404
    registration = selectors.registration_of(student=student, window=window)
    initial = {"plan": HolidayPlan.LEAVE}
    if registration is not None:
        initial = {
            f: getattr(registration, f)
            for f in (
                "plan",
                "destination",
                "depart_on",
                "return_on",
                "transport",
                "emergency_contact",
                "emergency_phone",
                "late_reason",
                "version",
            )
        }
    else:
        initial.update({"depart_on": window.holiday.start, "return_on": window.holiday.end})
    form = HolidayRegisterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.holiday_register(
                actor=user, window=window, student=student, expected_version=version, **data
            )
        except ServiceError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, f"已登记{window.holiday.name}去留。")
            if student.user_id == user.pk:
                return redirect("ledgers:holiday-list")
            return redirect("ledgers:holiday-window", pk=window.pk)
    context = {
        "page_title": f"{window.holiday.name}离校返校登记",
        "window": window,
        "form": form,
        "student": student,
        "registration": registration,
    }
    return render(request, "ledgers/holiday_register.html", context)


@login_required
@require_POST
def holiday_return(request, pk):
    return _confirm(request, pk, services.holiday_confirm_return, "返校")


@login_required
@require_POST
def holiday_depart(request, pk):
    return _confirm(request, pk, services.holiday_confirm_departure, "离校")


def _confirm(request, pk, service, what):
    user = request.user
    registration = selectors.holiday_registration_get(user=user, pk=pk)
    try:
        service(actor=user, registration=registration)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已确认{registration.student.name}{what}。")
    back = request.POST.get("next")
    if back and back.startswith("/"):
        return redirect(back)
    return redirect("ledgers:holiday-window", pk=registration.window_id)


@login_required
def holiday_ledger(request):
    """节假日离校返校台账 over every registration in reach (filters: holiday, class, status)."""
    if not policy.may_see_holiday_classes(request.user):
        raise Http404  # a plain student has their own registrations, not a ledger
    filters = {k: request.GET.get(k) for k in ("holiday", "school_class", "status") if request.GET.get(k)}
    registrations = selectors.holiday_registration_list(user=request.user, filters=filters)
    user = request.user
    now = clock.now()
    rows = []
    for i, reg in enumerate(registrations, start=1):
        student = reg.student
        shown = sensitive.may_see_contact(user, student)
        rows.append(
            [
                i,
                student.school_class.name if student.school_class_id else "",
                student.student_no,
                student.name,
                student.bed.room.label if student.bed_id else "",
                reg.get_plan_display(),
                reg.destination,
                reg.depart_on or "",
                reg.return_on or "",
                reg.transport,
                reg.emergency_contact,
                sensitive.shown_phone(user, student, reg.emergency_phone) if shown else "",
                reg.returned_at or "",
                reg.return_confirmed_by_name,
                reg.status_label(now),
                reg.late_reason,
            ]
        )
    return export(
        request,
        name="节假日离校返校台账",
        headers=HOLIDAY_HEADERS,
        rows=rows,
        widths=[6, 12, 14, 10, 12, 6, 16, 12, 12, 10, 10, 14, 16, 10, 10, 20],
    )
