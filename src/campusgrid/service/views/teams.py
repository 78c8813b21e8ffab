"""Volunteer team pages (党员志愿服务队): the list with its figures, a team with members,
activities and hours."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from campusgrid.core.errors import ServiceError
from campusgrid.core.forms import put_errors
from campusgrid.org.models import Semester
from campusgrid.people.selectors import students_by_numbers

from .. import policy, selectors, services
from ..forms import MembersForm, TeamForm


@login_required
def team_list(request):
    user = request.user
    if not policy.may_see_teams(user):
        raise Http404("未找到，或不在您的管理范围内")
    context = {
        "page_title": "志愿服务队",
        "teams": selectors.team_list(user=user),
        "totals": selectors.team_totals(user=user),
        "may_create": policy.may_manage_teams(user),
    }
    return render(request, "service/team_list.html", context)


@login_required
def team_new(request):
    user = request.user
    if not policy.may_manage_teams(user):
        raise Http404("未找到，或不在您的管理范围内")
    form = TeamForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            leader = None
            if data["leader"]:
                leader = students_by_numbers(user=user, numbers=[data["leader"]], field="leader")[0]
            college = data["branch"].college if data["branch"] else (leader.college if leader else None)
            college = college or selectors.default_college(user=user)
            if college is None:
                raise ServiceError("请选择党支部或填写队长学号（以确定学院）", field="branch")
            team = services.team_create(
                actor=user,
                college=college,
                branch=data["branch"],
                name=data["name"],
                theme=data["theme"],
                leader=leader,
                description=data["description"],
            )
        except ServiceError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, "服务队已成立。")
            return redirect("service:team-detail", pk=team.pk)
    return render(request, "service/team_new.html", {"page_title": "成立志愿服务队", "form": form})


@login_required
def team_detail(request, pk):
    user = request.user
    team = selectors.team_get(user=user, pk=pk)
    semester = Semester.current()
    manager = policy.may_manage_team(user, team)
    form = MembersForm(request.POST or None)
    if request.method == "POST":
        if not manager:
            raise Http404("未找到，或不在您的管理范围内")
        if form.is_valid():
            try:
                students = students_by_numbers(user=user, numbers=form.numbers(), field="student_numbers")
                added = services.team_member_add(actor=user, team=team, students=students)
            except ServiceError as exc:
                put_errors(form, exc)
            else:
                messages.success(request, f"已新增{len(added)}名队员。")
                return redirect("service:team-detail", pk=team.pk)
    context = {
        "page_title": team.name,
        "team": team,
        "semester": semester,
        "members": selectors.team_members(team=team, semester=semester),
        "sessions": selectors.team_sessions(user=user, team=team)[:50],
        "manager": manager,
        "may_create_session": policy.may_create_session(user),
        "form": form,
    }
    return render(request, "service/team_detail.html", context)


@login_required
@require_POST
def team_member_remove(request, pk, student_no):
    user = request.user
    team = selectors.team_get(user=user, pk=pk)
    if not policy.may_manage_team(user, team):
        raise Http404("未找到，或不在您的管理范围内")
    try:
        student = students_by_numbers(user=user, numbers=[student_no], field="student")[0]
        services.team_member_remove(actor=user, team=team, student=student)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{student.name}已退队。")
    return redirect("service:team-detail", pk=team.pk)
