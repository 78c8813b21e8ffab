"""The semester report's pages: choose a college and a semester and generate (a background
run whose progress the page polls through htmx), read the figures with a link to each one's
rows, download the PDF and the .xlsx."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from campusgrid.core.errors import ServiceError
from campusgrid.core.excel import XLSX
from campusgrid.core.htmx import template_for
from campusgrid.core.names import person_name
from campusgrid.core.scoping import scope_for

from . import policy_report, selectors_report, services_report
from .forms_report import SemesterReportForm
from .models import RunState


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404("未找到，或不在您的管理范围内")


@login_required
@require_http_methods(["GET", "POST"])
def report(request):
    user = request.user
    _require(policy_report.may_open_reports(user))
    university = scope_for(user).manage_everything
    semesters = selectors_report.semester_list()
    form = SemesterReportForm(
        request.POST or None,
        colleges=selectors_report.report_colleges(user=user),
        semesters=semesters,
        university=university,
        initial={"semester": str(_current(semesters).pk) if semesters else ""},
    )
    if request.method == "POST" and not form.offers(request.POST.get("college", "")):
        raise Http404("未找到，或不在您的管理范围内")  # another college: as if it did not exist
    if request.method == "POST" and form.is_valid():
        college, semester = form.chosen()
        try:
            run = services_report.report_run_start(actor=user, college=college, semester=semester)
        except ServiceError as exc:
            form.add_error(exc.field, exc.message)
        else:
            return redirect("dashboards:report-run", pk=run.pk)
    context = {
        "page_title": "学期工作报告",
        "form": form,
        "runs": selectors_report.report_run_list(user=user),
    }
    return render(request, "dashboards/report_index.html", context, status=400 if form.errors else 200)


def _current(semesters):
    from campusgrid.core import clock

    today = clock.today()
    return next((s for s in semesters if s.start <= today), semesters[-1])


@login_required
def report_run(request, pk: int):
    run = selectors_report.report_run_get(user=request.user, pk=pk)
    context = {
        "page_title": f"学期工作报告 · {run.scope_name} {run.semester.name}",
        "run": run,
        "running": run.state in (RunState.QUEUED, RunState.RUNNING) and not run.stalled,
        "data": run.data if run.state == RunState.DONE else None,
    }
    return render(request, template_for(request, "dashboards/report_run.html", "status"), context)


@login_required
def report_download(request, pk: int, fmt: str):
    if fmt not in ("pdf", "xlsx"):
        raise Http404
    run = selectors_report.report_run_get(user=request.user, pk=pk, with_documents=True)
    content = run.pdf if fmt == "pdf" else run.xlsx
    if run.state != RunState.DONE or not content:
        raise Http404("报告尚未生成完成")
    name = f"{run.scope_name}{run.semester.name}学生网格化管理工作报告.{fmt}"
    response = HttpResponse(bytes(content), content_type="application/pdf" if fmt == "pdf" else XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def report_export(request):
    """The report generated in the request and downloaded at once (scripts, `campusgrid bench`):
    `?college=<id>` (default: the leader's college; the office's default is the university),
    `?semester=<id>` (default: the current one), `?format=pdf|xlsx`."""
    user = request.user
    _require(policy_report.may_open_reports(user))
    colleges = selectors_report.report_colleges(user=user)
    chosen = request.GET.get("college", "")
    if chosen:
        college = next((c for c in colleges if str(c.pk) == chosen), None)
        _require(college is not None)
    elif scope_for(user).manage_everything:
        college = None
    else:
        _require(len(colleges) == 1)
        college = colleges[0]
    semesters = selectors_report.semester_list()
    semester = next((s for s in semesters if str(s.pk) == request.GET.get("semester", "")), None)
    if semester is None and request.GET.get("semester"):
        raise Http404("学期不存在")
    semester = semester or (_current(semesters) if semesters else None)
    _require(semester is not None)
    fmt = request.GET.get("format", "pdf")
    if fmt not in ("pdf", "xlsx"):
        return HttpResponse("格式：只能是 pdf 或 xlsx", status=400, content_type="text/plain; charset=utf-8")
    _, content = services_report.report_generate(
        college=college, semester=semester, fmt=fmt, exported_by=person_name(user)
    )
    scope_name = college.name if college else "全校"
    name = f"{scope_name}{semester.name}学生网格化管理工作报告.{fmt}"
    response = HttpResponse(content, content_type="application/pdf" if fmt == "pdf" else XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
