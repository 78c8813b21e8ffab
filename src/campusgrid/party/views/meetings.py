"""Work-meeting pages (desktop): the branch's meetings with the quarter's status, the form
(attendees, minutes, decisions, 舆情 items), one meeting, and turning an item into a report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from campusgrid.core import clock
from campusgrid.core.errors import ServiceError
from campusgrid.core.forms import picker_form

from .. import policy_assess as policy
from ..forms_assess import DecisionFormSet, MeetingForm, OpinionFormSet
from ..selectors import awards as award_selectors
from ..selectors import meetings as selectors
from ..services import meetings as services
from ._common_assess import put_error


def _branch(request):
    raw = (request.POST if request.method == "POST" else request.GET).get("branch")
    if raw:
        try:
            return award_selectors.desk_branch_get(user=request.user, pk=int(raw))
        except (TypeError, ValueError):
            raise Http404("没有该党支部")
    branch = award_selectors.default_branch(user=request.user)
    if branch is None:
        raise Http404("您没有可查看的党支部")
    return branch


@login_required
def meeting_list(request):
    """公寓党建工作例会: the branch's meetings, newest first, and whether one was held this quarter."""
    user = request.user
    branch = _branch(request)
    year, quarter = selectors.quarter_of(clock.today())
    branches = award_selectors.desk_branches(user=user)
    return render(
        request,
        "party/meeting_list.html",
        {
            "branch": branch,
            "branches": branches,
            "picker": picker_form(branch=("党支部", [(b.pk, b.name) for b in branches], branch.pk)),
            "meetings": list(selectors.meeting_list(user=user, branch=branch)[:40]),
            "year": year,
            "quarter": quarter,
            "held": selectors.held_this_quarter(branch=branch),
            "flags": selectors.quarter_flags(branch=branch),
            "may_record": policy.may_record_meeting(user, branch),
            "page_title": "公寓党建工作例会",
        },
    )


@login_required
def meeting_new(request):
    """记录例会 (the branch secretary)."""
    user = request.user
    branch = _branch(request)
    if not policy.may_record_meeting(user, branch):
        raise Http404("只有本支部书记可以记录例会")
    people = selectors.meeting_people(branch=branch)
    rooms = selectors.branch_rooms(branch=branch)
    data = request.POST if request.method == "POST" else None
    form = MeetingForm(data, people=people, initial={"date": clock.today()})
    decisions = DecisionFormSet(data, prefix="d", form_kwargs={"people": people})
    opinions = OpinionFormSet(data, prefix="o", form_kwargs={"rooms": rooms})
    if request.method == "POST" and form.is_valid() and decisions.is_valid() and opinions.is_valid():
        try:
            meeting = services.meeting_record(
                actor=user,
                branch=branch,
                date=form.cleaned_data["date"],
                place=form.cleaned_data["place"],
                host_name=form.cleaned_data["host_name"],
                attendees=form.cleaned_data["attendees"],
                other_attendees=form.cleaned_data["other_attendees"],
                minutes=form.cleaned_data["minutes"],
                decisions=[d for d in decisions.cleaned_data if d.get("text")],
                opinions=[o for o in opinions.cleaned_data if o.get("text")],
            )
        except ServiceError as error:
            put_error(form, error)
        else:
            messages.success(request, "例会已记录")
            return redirect("party:meeting-detail", pk=meeting.pk)
    return render(
        request,
        "party/meeting_form.html",
        {
            "branch": branch,
            "form": form,
            "decisions": decisions,
            "opinions": opinions,
            "page_title": "记录例会",
        },
    )


@login_required
def meeting_detail(request, pk):
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    return render(
        request,
        "party/meeting_detail.html",
        {
            "meeting": meeting,
            "may_record": policy.may_record_meeting(request.user, meeting.branch),
            "page_title": f"例会 {meeting.date:%Y-%m-%d}",
        },
    )


@login_required
@require_POST
def opinion_report(request, pk):
    """One click: the 舆情 item becomes a problem report (category 舆情)."""
    item = selectors.opinion_get(user=request.user, pk=pk)
    try:
        report = services.opinion_report(actor=request.user, item=item)
    except ServiceError as error:
        messages.error(request, f"未成功：{error.message}")
        return redirect("party:meeting-detail", pk=item.meeting_id)
    messages.success(request, f"已转为问题上报 #{report.pk}")
    return redirect(reverse("party:meeting-detail", args=[item.meeting_id]) + f"#opinion-{item.pk}")
