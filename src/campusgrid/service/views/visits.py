"""走访 pages: the visit ledger (走访台账, with the .xlsx), recording a visit, one visit with its
follow-ups (→ problem report or talk record), and the progress against the targets."""

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
from campusgrid.core.scoping import CHANGE
from campusgrid.org.models import Room, SchoolClass
from campusgrid.people.selectors import students_by_numbers

from .. import policy_more as policy
from .. import selectors, services
from ..filters_more import VisitFilter, filtered
from ..forms_more import FollowUpForm, VisitForm
from .common_more import export, page_of, wants_export

HEADERS = ["序号", "日期", "类型", "学院", "寝室", "班级", "走访人", "同行人员", "走访情况", "后续事项"]


def _require(user):
    if not policy.may_visit(user):
        raise Http404


@login_required
def visit_list(request):
    user = request.user
    _require(user)
    filterset, visits = filtered(VisitFilter, request.GET, selectors.visit_list(user=user))
    if wants_export(request):
        return export(
            request,
            name="走访台账",
            headers=HEADERS,
            rows=(
                [
                    i,
                    v.visited_on,
                    v.get_kind_display(),
                    v.college.name,
                    "、".join(r.label for r in v.rooms.all()),
                    v.school_class.name if v.school_class_id else "",
                    v.recorded_by_name,
                    v.companions,
                    v.seen,
                    "；".join(f.text for f in v.follow_ups.all()),
                ]
                for i, v in enumerate(visits, start=1)
            ),
            widths=[6, 12, 10, 12, 24, 12, 10, 16, 40, 30],
        )
    context = {"page_title": "走访台账", "filter": filterset, "page": page_of(request, visits)}
    return render(request, template_for(request, "service/visit_list.html", "rows"), context)


@login_required
def visit_new(request):
    user = request.user
    _require(user)
    rooms = (
        Room.objects.visible_to(user, CHANGE).select_related("building").order_by("building__name", "number")
    )
    classes = SchoolClass.objects.visible_to(user, CHANGE).order_by("name")
    form = VisitForm(
        request.POST or None, rooms=rooms, classes=classes, initial={"visited_on": clock.today()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = services.visit_record(
                actor=user,
                kind=data["kind"],
                visited_on=data["visited_on"],
                seen=data["seen"],
                rooms=data["rooms"] or [],
                school_class=data["school_class"],
                companions=data["companions"],
                follow_ups=(data["follow_ups"] or "").splitlines(),
            )
        except ServiceError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, "走访记录已保存。")
            return redirect("service:visit-detail", pk=visit.pk)
    return render(request, "service/visit_new.html", {"page_title": "登记走访", "form": form})


@login_required
def visit_detail(request, pk):
    user = request.user
    visit = selectors.visit_get(user=user, pk=pk)
    context = {
        "page_title": "走访记录",
        "visit": visit,
        "may_follow_up": policy.may_visit(user),
        "follow_up_form": FollowUpForm(),
    }
    return render(request, "service/visit_detail.html", context)


@login_required
@require_POST
def visit_follow_up(request, pk, action):
    user = request.user
    follow_up = selectors.follow_up_get(user=user, pk=pk)
    if action not in ("report", "talk") or not policy.may_visit(user):
        raise Http404
    form = FollowUpForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        student = None
        if data.get("student_no"):
            (student,) = students_by_numbers(
                user=user, numbers=[data["student_no"]], action=CHANGE, field="student_no"
            )
        if action == "report":
            report = services.follow_up_to_report(actor=user, follow_up=follow_up, student=student)
            messages.success(request, f"已转为问题上报 #{report.pk}。")
        else:
            services.follow_up_to_talk(
                actor=user, follow_up=follow_up, student=student, summary=data.get("summary", "")
            )
            messages.success(request, "已记入谈心谈话记录。")
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("service:visit-detail", pk=follow_up.visit_id)


@login_required
def visit_progress(request):
    """未走访: per counselor, the rooms and classes below the target this semester; per college,
    the rooms nobody visited and the leaders' monthly samples."""
    user = request.user
    _require(user)
    context = {"page_title": "走访进度", "p": selectors.visit_progress(user=user)}
    return render(request, "service/visit_progress.html", context)
