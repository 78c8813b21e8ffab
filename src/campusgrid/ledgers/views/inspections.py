"""Inspection pages: rounds and their figures with the illegal-appliance chart,
inspecting a room (score, findings with a photo), re-inspection, the
安全隐患排查台账, and the semester ratings."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render

from campusgrid.core import clock
from campusgrid.core.errors import ServiceError
from campusgrid.core.forms import bootstrap, picker_form, put_errors
from campusgrid.core.htmx import template_for
from campusgrid.core.scoping import scope_for

from .. import policy, selectors, services
from ..filters import FindingFilter
from ..forms import FindingForm, InspectionForm, RecheckForm, RoundForm
from ..models import FindingState
from ..services.common import may_inspect
from .common import export, page_of, wants_export


def _may_create_rounds(user) -> bool:
    return policy.may_create_rounds(user)


@login_required
def inspection_list(request):
    user = request.user
    rounds = selectors.inspection_round_list(user=user)
    page = page_of(request, rounds, 20)
    figures = selectors.round_figures(user=user, round_ids=[r.pk for r in page])
    context = {
        "page_title": "安全隐患排查",
        "page": page,
        "figures": figures,
        "series": selectors.illegal_rate_series(user=user),
        "may_create": _may_create_rounds(user),
    }
    return render(request, template_for(request, "ledgers/inspection_list.html", "rows"), context)


def _labels(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,，、\s]+", text or "") if part.strip()]


@login_required
def inspection_new(request):
    user = request.user
    if not _may_create_rounds(user):
        raise Http404
    rooms = selectors.rooms_to_inspect(user=user)
    buildings = sorted({r.building.name for r in rooms})
    form = RoundForm(request.POST or None, buildings=buildings, initial={"date": clock.today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = [r for r in rooms if r.building.name in set(data["buildings"])]
        wanted = _labels(data["rooms"])
        by_label = {r.label: r for r in rooms}
        missing = [label for label in wanted if label not in by_label]
        chosen += [by_label[label] for label in wanted if label in by_label]
        if not chosen and not missing and len(rooms) == 1:
            chosen = list(rooms)  # a dorm head inspects their own room
        if missing:
            form.add_error("rooms", f"不在您的管理范围内或不存在：{'、'.join(missing[:10])}")
        else:
            try:
                round_ = services.inspection_round_create(
                    actor=user,
                    title=data["title"],
                    kind=data["kind"],
                    date=data["date"],
                    rooms=chosen,
                    note=data["note"],
                )
            except ServiceError as exc:
                put_errors(form, exc)
            else:
                messages.success(request, f"已创建检查，共{len({r.pk for r in chosen})}间寝室。")
                return redirect("ledgers:inspection-round", pk=round_.pk)
    bootstrap(form)
    context = {"form": form, "page_title": "新建检查", "room_count": len(rooms), "single": len(rooms) == 1}
    return render(request, "ledgers/inspection_new.html", context)


@login_required
def inspection_round(request, pk):
    user = request.user
    round_ = selectors.inspection_round_get(user=user, pk=pk)
    inspections = selectors.round_inspections(user=user, round_=round_)
    context = {
        "page_title": round_.title,
        "round": round_,
        "page": page_of(request, inspections, 60),
        "figures": selectors.round_figures(user=user, round_ids=[round_.pk]).get(round_.pk),
    }
    return render(request, template_for(request, "ledgers/inspection_round.html", "rows"), context)


@login_required
def inspection_room(request, pk):
    """Inspect one room of a round: its hygiene score, and findings (with a photo)."""
    user = request.user
    inspection = selectors.inspection_get(user=user, pk=pk)
    may = may_inspect(user, inspection.room)
    members = list(selectors.room_members_for_finding(user=user, room=inspection.room))
    score_form = InspectionForm(
        request.POST if request.POST.get("action") == "record" else None,
        initial={"hygiene_score": inspection.hygiene_score, "note": inspection.note},
    )
    finding_form = FindingForm(
        request.POST if request.POST.get("action") == "finding" else None,
        request.FILES or None,
        members=members,
    )
    bootstrap(finding_form)
    finding_form.fields["item"].widget.attrs["class"] += " mb-2"
    if request.method == "POST":
        if not may:
            raise Http404
        if request.POST.get("action") == "record" and score_form.is_valid():
            try:
                services.inspection_record(actor=user, inspection=inspection, **score_form.cleaned_data)
            except ServiceError as exc:
                score_form.add_error(exc.field if exc.field in score_form.fields else None, exc.message)
            else:
                messages.success(request, f"已记录{inspection.room.label}的检查。")
                return redirect("ledgers:inspection-round", pk=inspection.round_id)
        elif request.POST.get("action") == "finding" and finding_form.is_valid():
            data = finding_form.cleaned_data
            chosen = [m for m in members if m.student_no in set(data["students"])]
            try:
                finding = services.finding_add(
                    actor=user,
                    inspection=inspection,
                    item=data["item"],
                    description=data["description"],
                    photo=data["photo"],
                    students=chosen,
                    deadline=data["deadline"],
                    cannot_fix=data["cannot_fix"],
                )
            except ServiceError as exc:
                field = "photo" if exc.field == "photos" else exc.field
                finding_form.add_error(field if field in finding_form.fields else None, exc.message)
            else:
                if finding.state == FindingState.ESCALATED:
                    messages.warning(request, f"已记录隐患，并已上报（#{finding.report_id}）。")
                else:
                    messages.success(
                        request, f"已记录隐患：{finding.item.name}，整改期限{finding.deadline:%m月%d日}。"
                    )
                return redirect("ledgers:inspection-room", pk=inspection.pk)
    context = {
        "page_title": f"检查 {inspection.room.label}",
        "inspection": inspection,
        "round": inspection.round,
        "findings": selectors.finding_list(user=user).filter(inspection=inspection),
        "may_inspect": may,
        "score_form": score_form,
        "finding_form": finding_form,
        "members": members,
    }
    return render(request, "ledgers/inspection_room.html", context)


@login_required
def finding_detail(request, pk):
    user = request.user
    finding = selectors.finding_get(user=user, pk=pk)
    may = may_inspect(user, finding.room)
    form = RecheckForm(request.POST or None, initial={"version": finding.version})
    if request.method == "POST":
        if not may:
            raise Http404
        if form.is_valid():
            try:
                finding = services.finding_recheck(
                    actor=user,
                    finding=finding,
                    result=form.cleaned_data["result"],
                    note=form.cleaned_data["note"],
                    expected_version=form.cleaned_data["version"],
                )
            except ServiceError as exc:
                messages.error(request, exc.message)
            else:
                if finding.state == FindingState.ESCALATED:
                    messages.warning(request, f"未整改，已上报（#{finding.report_id}）。")
                else:
                    messages.success(request, "已记录复查结果。")
            return redirect("ledgers:finding", pk=pk)
    context = {
        "page_title": f"隐患 {finding.room.label}",
        "finding": finding,
        "form": form,
        "may_recheck": may and finding.state == FindingState.OPEN,
        "overdue": finding.is_overdue(),
    }
    return render(request, "ledgers/finding_detail.html", context)


@login_required
def finding_photo(request, pk):
    finding = selectors.finding_get(user=request.user, pk=pk)
    if not finding.photo:
        raise Http404
    response = FileResponse(finding.photo.open("rb"), content_type=finding.photo_type or "image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


FINDING_HEADERS = [
    "序号",
    "检查日期",
    "检查名称",
    "楼栋/寝室",
    "检查项目",
    "情况描述",
    "责任学生",
    "发现人",
    "整改期限",
    "复查结果",
    "状态",
    "上报",
]


@login_required
def finding_list(request):
    """安全隐患排查台账: findings with filters; ?format=xlsx exports them."""
    filterset = FindingFilter(
        request.GET or None, queryset=selectors.finding_list(user=request.user), user=request.user
    )
    form = bootstrap(filterset.form, small=True)
    findings = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    if wants_export(request):
        findings = findings.prefetch_related("rechecks")
        rows = [
            [
                i,
                f.inspection.round.date,
                f.inspection.round.title,
                f.room.label,
                f.item.name,
                f.description,
                "、".join(s.name for s in f.students.all()),
                f.found_by_name,
                f.deadline,
                "；".join(f"{r.at:%m-%d} {r.get_result_display()}" for r in f.rechecks.all()),
                f.get_state_display()
                + (f"（{f.get_escalation_reason_display()}）" if f.escalation_reason else ""),
                f"#{f.report_id}" if f.report_id else "",
            ]
            for i, f in enumerate(findings, start=1)
        ]
        return export(
            request,
            name="安全隐患排查台账",
            headers=FINDING_HEADERS,
            rows=rows,
            widths=[6, 12, 18, 14, 12, 30, 16, 10, 12, 20, 16, 8],
        )
    context = {
        "page_title": "隐患台账",
        "form": form,
        "page": page_of(request, findings),
    }
    return render(request, template_for(request, "ledgers/finding_list.html", "rows"), context)


RATING_HEADERS = ["楼栋", "楼栋排名", "寝室", "检查次数", "平均分", "隐患数", "星级", "文明宿舍", "示范寝室"]


@login_required
def ratings(request):
    """学期寝室评比: per building ranking; leaders recompute; ?format=xlsx exports."""
    user = request.user
    semesters = list(selectors.rating_semesters())
    chosen = request.GET.get("semester") or request.POST.get("semester")
    semester = next((s for s in semesters if str(s.pk) == chosen), None) or next(
        (s for s in semesters if s.start <= clock.today()), semesters[0] if semesters else None
    )
    scope = scope_for(user)
    may_compute = policy.may_compute_ratings(user, scope)
    if request.method == "POST":
        if not may_compute or semester is None:
            raise Http404
        try:
            count = services.room_ratings_compute(actor=user, semester=semester)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已评定{count}间寝室。")
        return redirect(f"{request.path}?semester={semester.pk}")
    building = request.GET.get("building", "")
    stars = request.GET.get("stars", "")
    stars = int(stars) if stars.isdigit() and int(stars) <= 5 else None
    civil = request.GET.get("civil") == "on"
    rows = selectors.rating_list(user=user, semester=semester, building=building, stars=stars, civil=civil)
    if wants_export(request):
        data = [
            [
                r.room.building.name,
                r.building_rank,
                r.room.label,
                r.inspections,
                float(r.average_score),
                r.findings,
                r.stars,
                "是" if r.civil else "",
                "是" if r.model_room else "",
            ]
            for r in rows
        ]
        return export(
            request,
            name=f"文明宿舍评比（{semester.name if semester else ''}）",
            headers=RATING_HEADERS,
            rows=data,
        )
    context = {
        "page_title": "文明宿舍评比",
        "semesters": semesters,
        "semester": semester,
        "picker": picker_form(
            semester=("学期", [(s.pk, s.name) for s in semesters], semester.pk if semester else None)
        ),
        "building": building,
        "stars": stars,
        "civil": civil,
        "page": page_of(request, rows, 60),
        "summary": selectors.rating_summary(user=user, semester=semester),
        "may_compute": may_compute,
    }
    return render(request, template_for(request, "ledgers/ratings.html", "rows"), context)
