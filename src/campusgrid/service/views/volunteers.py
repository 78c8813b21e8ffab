"""The people of the volunteer activities: 志愿者名单 (who took part) and 服务学生名单 (whom
they served) — the rows of the semester report's figures 志愿者 and 服务学生人数, with the
same filters in the URL (the activities' dates; `?college=` the activities' college, which
also narrows the office's view, grid.middleware)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from campusgrid.core.htmx import template_for
from campusgrid.grid.middleware import focus_college_id

from .. import policy
from ..filters import PeriodFilter
from ..selectors import volunteers as selectors
from .common import export, page_of, wants_export


def _filters(request) -> tuple[PeriodFilter, dict]:
    if not policy.may_see_sessions(request.user):
        raise Http404("未找到，或不在您的管理范围内")
    form = PeriodFilter(request.GET or None)
    return form, {"college_id": focus_college_id(request), **form.period()}


VOLUNTEER_HEADERS = ["序号", "学号/工号", "姓名", "身份", "班级", "学院", "参加活动次数", "志愿时长（小时）"]


@login_required
def volunteer_list(request):
    """志愿者名单: everyone who took part in the volunteer activities or was credited hours."""
    user = request.user
    form, filters = _filters(request)
    people = selectors.volunteer_people(user=user, **filters)
    if wants_export(request):
        rows = selectors.volunteer_rows(user=user, people=people, **filters)
        return export(
            request,
            name="志愿者名单",
            headers=VOLUNTEER_HEADERS,
            rows=[
                [
                    i,
                    r["number"],
                    r["name"],
                    r["kind"],
                    r["class_name"],
                    r["college"],
                    r["activities"],
                    float(r["hours"]),
                ]
                for i, r in enumerate(rows, start=1)
            ],
            widths=[6, 14, 10, 8, 14, 14, 12, 14],
        )
    page = page_of(request, people, size=50)
    context = {
        "page_title": "志愿者名单",
        "form": form,
        "page": page,
        "rows": selectors.volunteer_rows(user=user, people=page.object_list, **filters),
    }
    return render(request, template_for(request, "service/volunteer_list.html", "rows"), context)


SERVED_HEADERS = ["序号", "学号", "姓名", "班级", "学院", "服务次数"]


def _unregistered_url(request, filters: dict) -> str:
    """The session list of the activities that recorded people served not on the register."""
    query = {"kind": "volunteer", "unregistered": "on"}
    for key in ("date_from", "date_to"):
        if filters[key]:
            query[key] = filters[key].isoformat()
    if filters["college_id"]:
        query["college"] = filters["college_id"]
    return f"{reverse('service:session-list')}?{urlencode(query)}"


@login_required
def served_list(request):
    """服务学生名单: the students the volunteer activities served (by 学号, once each), and
    the count of those served who are not on the register."""
    user = request.user
    form, filters = _filters(request)
    students = selectors.served_students(user=user, **filters)
    if wants_export(request):
        times = selectors.served_times(user=user, students=students, **filters)
        return export(
            request,
            name="服务学生名单",
            headers=SERVED_HEADERS,
            rows=[
                [
                    i,
                    s.student_no,
                    s.name,
                    s.school_class.name if s.school_class_id else "",
                    s.college.name if s.college_id else "",
                    times.get(s.pk, 0),
                ]
                for i, s in enumerate(students, start=1)
            ],
            widths=[6, 14, 10, 14, 14, 10],
        )
    page = page_of(request, students, size=50)
    times = selectors.served_times(user=user, students=page.object_list, **filters)
    context = {
        "page_title": "服务学生名单",
        "form": form,
        "page": page,
        "rows": [{"student": s, "times": times.get(s.pk, 0)} for s in page.object_list],
        "unregistered": selectors.served_unregistered(user=user, **filters),
        "unregistered_url": _unregistered_url(request, filters),
    }
    return render(request, template_for(request, "service/served_list.html", "rows"), context)
