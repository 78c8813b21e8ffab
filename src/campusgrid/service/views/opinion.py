"""舆情 pages: this period's report on the grid worker's phone (one tap 无异常, or items), the
summary for secretaries and counselors (with the .xlsx), an item (→ problem report), and the
college's special periods."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from campusgrid.core.errors import ServiceError
from campusgrid.core.forms import put_errors
from campusgrid.core.htmx import template_for
from campusgrid.core.params import date_param
from campusgrid.core.scoping import CHANGE
from campusgrid.org.models import College
from campusgrid.people import sensitive

from .. import policy_more as policy
from .. import selectors, services
from ..forms_more import OpinionItemForm, SpecialPeriodForm
from ..models import Cadence
from .common_more import export, wants_export

SENSITIVE_ITEM = "舆情信息（涉及学生）"


def _log_items(request, items) -> None:
    """Items naming students are sensitive: each student shown to someone else is logged."""
    students = [
        s for i in items if i.names_students for s in i.students.all() if s.user_id != request.user.pk
    ]
    if students:
        sensitive.log_access(request=request, item=SENSITIVE_ITEM, students=students)


@login_required
def opinion_mine(request):
    """本期舆情报送 (phone): 无异常 in one tap, or an item."""
    user = request.user
    if not policy.is_opinion_reporter(user):
        raise Http404("您没有需要报送舆情的网格职务")
    form = OpinionItemForm(request.POST if request.POST.get("action") == "item" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "nothing":
                report = services.opinion_report_nothing(actor=user)
                messages.success(request, f"已报送：{report.period_label}无异常。")
                return redirect("service:opinion-mine")
            if form.is_valid():
                data = form.cleaned_data
                services.opinion_item_add(
                    actor=user,
                    kind=data["kind"],
                    source=data["source"],
                    platform=data["platform"],
                    summary=data["summary"],
                    severity=data["severity"],
                    student_numbers=form.numbers(),
                )
                messages.success(request, "舆情信息已报送。")
                return redirect("service:opinion-mine")
        except ServiceError as exc:
            if request.POST.get("action") == "nothing":
                messages.error(request, exc.message)
                return redirect("service:opinion-mine")
            put_errors(form, exc)
    period = selectors.my_period(user=user)
    context = {"page_title": "舆情报送", "period": period, "form": form, "report": period["report"]}
    return render(request, "service/opinion_mine.html", context)


SUMMARY_HEADERS = [
    "序号",
    "报送人",
    "班级",
    "周期",
    "报送时间",
    "无异常",
    "类别",
    "来源",
    "平台",
    "严重程度",
    "内容摘要",
    "涉及学生",
    "问题上报",
]


@login_required
def opinion_summary(request):
    """本周舆情汇总: who filed, who has not, the items by kind (?date=, ?cadence=daily)."""
    user = request.user
    if not policy.may_see_opinion_summary(user):
        raise Http404
    day = date_param(request, "date")
    cadence = Cadence.DAILY if request.GET.get("cadence") == Cadence.DAILY else Cadence.WEEKLY
    summary = selectors.opinion_summary(user=user, day=day, cadence=cadence)
    _log_items(request, summary["items"])
    if wants_export(request):
        return export(
            request,
            name="舆情汇总",
            headers=SUMMARY_HEADERS,
            rows=_summary_rows(summary),
            widths=[6, 10, 12, 18, 16, 8, 10, 8, 10, 8, 40, 20, 10],
        )
    context = {
        "page_title": "舆情汇总",
        "s": summary,
        "prev": summary["start"] - dt.timedelta(days=7 if cadence == Cadence.WEEKLY else 1),
        "next": summary["start"] + dt.timedelta(days=7 if cadence == Cadence.WEEKLY else 1),
        "may_set_period": policy.may_set_special_period(user),
    }
    return render(request, "service/opinion_summary.html", context)


def _summary_rows(summary):
    items_of = {}
    for item in summary["items"]:
        items_of.setdefault(item.report_id, []).append(item)
    n = 0
    for report in summary["reports"]:
        base = [
            report.reporter_name,
            report.school_class.name if report.school_class_id else "",
            report.period_label,
            report.submitted_at,
            "是" if report.nothing_to_report else "",
        ]
        items = items_of.get(report.pk) or [None]
        for item in items:
            n += 1
            if item is None:
                yield [n, *base, "", "", "", "", "", "", ""]
            else:
                yield [
                    n,
                    *base,
                    item.get_kind_display(),
                    item.get_source_display(),
                    item.platform,
                    item.get_severity_display(),
                    item.summary,
                    "、".join(f"{s.name}（{s.student_no}）" for s in item.students.all()),
                    f"#{item.problem_id}" if item.problem_id else "",
                ]
    for row in summary["missing"]:
        n += 1
        yield [n, row["name"], "", "未报送", "", "", "", "", "", "", "", "", ""]


@login_required
def opinion_item(request, pk):
    user = request.user
    item = selectors.opinion_item_get(user=user, pk=pk)
    _log_items(request, [item])
    context = {
        "page_title": "舆情信息",
        "item": item,
        "may_escalate": not item.problem_id and policy.may_escalate_item(user, item),
    }
    return render(request, "service/opinion_item.html", context)


@login_required
@require_POST
def opinion_item_escalate(request, pk):
    user = request.user
    item = selectors.opinion_item_get(user=user, pk=pk)
    if not policy.may_escalate_item(user, item):
        raise Http404
    try:
        report = services.opinion_item_escalate(actor=user, item=item)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("service:opinion-item", pk=pk)
    messages.success(request, f"已转为问题上报 #{report.pk}。")
    return redirect("reports:detail", pk=report.pk)


@login_required
def opinion_periods(request):
    """特殊时期: leaders set a name and a date range; reporting is daily inside it."""
    user = request.user
    if not policy.may_see_opinion_summary(user):
        raise Http404
    may_set = policy.may_set_special_period(user)
    colleges = College.objects.visible_to(user, CHANGE)
    form = SpecialPeriodForm(request.POST or None, colleges=colleges) if may_set else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                period = services.special_period_create(
                    actor=user,
                    college=data["college"],
                    kind=data["kind"],
                    name=data["name"],
                    start=data["start"],
                    end=data["end"],
                    due_time=data["due_time"],
                )
            except ServiceError as exc:
                put_errors(form, exc)
            else:
                messages.success(request, f"已设置特殊时期：{period}，期间每日报送零报告。")
                return redirect("service:opinion-periods")
    context = {
        "page_title": "舆情特殊时期",
        "periods": selectors.special_period_list(user=user)[:100],
        "form": form,
    }
    return render(request, template_for(request, "service/opinion_periods.html", "rows"), context)
