import json
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from campusgrid.accounts.selectors import wecom_block
from campusgrid.core import paging
from campusgrid.core.errors import ServiceError
from campusgrid.core.forms import put_errors
from campusgrid.core.htmx import is_htmx, template_for
from campusgrid.core.registry import render_sections
from campusgrid.core.scoping import scope_for
from campusgrid.people import sensitive

from . import selectors, services
from .filters import StudentFilter, StudentProfileForm
from .personal_data import personal_data_export

PAGE_SIZE = 30


@login_required
def student_list(request):
    """学生名册: keyset pages by 学号 (下一页 / 上一页), never a count of the whole scoped list;
    a filtered list says how many it holds, up to a cap (core.paging)."""
    params = request.GET.copy()
    for name in (paging.AFTER, paging.BEFORE, "page"):
        params.pop(name, None)
    filterset = StudentFilter(
        params or None, queryset=selectors.student_rows(user=request.user), user=request.user
    )
    if not is_htmx(request):  # an htmx request gets the rows only: no select boxes to fill
        filterset.with_choices()
    filtered = filterset.is_bound and filterset.is_valid() and any(filterset.form.cleaned_data.values())
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    page = paging.keyset_page(
        request, queryset, key="student_no", size=PAGE_SIZE, annotate=selectors.roster_values()
    )
    total, more = page.capped_count() if filtered else (page.known_count, False)
    context = {
        "filter": filterset,
        "page": page,
        "total": total,
        "total_more": more,
        "page_title": "学生名册",
    }
    return render(request, template_for(request, "people/student_list.html", "results"), context)


@login_required
@require_http_methods(["GET", "POST"])
def student_detail(request, student_no):
    student = selectors.student_get(user=request.user, student_no=student_no)
    user = request.user
    can_edit = scope_for(user).manages(college_id=student.college_id, class_id=student.school_class_id)
    may_see = sensitive.may_see_sensitive(user, student)
    if request.GET.get("reveal") == "id_number":
        if not may_see:
            raise Http404
        sensitive.log_access(request=request, item="id_number", students=[student])
        return render(request, "people/student_detail.html#id-number", {"student": student, "revealed": True})
    form = None
    if can_edit:
        # Not the ID number: shown in full it is a logged reveal (?reveal=id_number); blank keeps it.
        initial = {k: getattr(student, k) for k in ("phone", "parent_phone", "ethnicity", "origin")}
        initial["version"] = student.version
        form = StudentProfileForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            if not data.get("id_number"):
                data.pop("id_number", None)
            try:
                services.student_update(actor=user, student=student, expected_version=version, **data)
            except ServiceError as exc:
                put_errors(form, exc)
            else:
                messages.success(request, "学生信息已保存。")
                return redirect("people:student", student_no=student.student_no)
    elif request.method == "POST":
        raise Http404
    context = {
        "student": student,
        "revealed": False,
        "may_see_sensitive": may_see,
        "form": form,
        "history": student.political_history.all(),
        "sections": render_sections("student", request, student),
        "page_title": student.name,
    }
    return render(request, "people/student_detail.html", context)


@login_required
def class_detail(request, name):
    school_class = selectors.class_get(user=request.user, name=name)
    members = selectors.class_members(user=request.user, school_class=school_class)
    context = {
        "school_class": school_class,
        "members": members,
        "sections": render_sections("class", request, school_class),
        "page_title": school_class.name,
    }
    return render(request, "people/class_detail.html", context)


@login_required
def room_detail(request, building, number):
    room = selectors.room_get(user=request.user, building=building, number=number)
    members = selectors.room_members(user=request.user, room=room)
    context = {
        "room": room,
        "members": members,
        "sections": render_sections("room", request, room),
        "page_title": room.label,
    }
    return render(request, "people/room_detail.html", context)


@login_required
def class_list(request):
    classes = selectors.class_summaries(user=request.user).order_by("college__name", "name")
    page = Paginator(classes, 100).get_page(request.GET.get("page"))
    return render(request, "people/class_list.html", {"page": page, "page_title": "班级"})


@login_required
def my_data(request):
    """下载我的个人信息: the signed-in student's own data as a JSON file (PIPL 第四十五条)."""
    student = getattr(request.user, "student", None)
    if student is None:
        raise Http404
    body = json.dumps(personal_data_export(student), ensure_ascii=False, indent=2)
    sensitive.log_access(
        request=request, item="self_export", students=[student], action="export", purpose="本人下载个人信息"
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="my-data-{student.student_no}.json"; '
        f"filename*=UTF-8''{quote(f'我的个人信息-{student.student_no}.json')}"
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """个人设置: the signed-in user's own account: API token (make, revoke), latest sign-ins."""
    new_key = None
    if request.method == "POST":
        if request.POST.get("action") == "create_token":
            new_key = services.api_token_create(actor=request.user)
            messages.success(
                request, "已生成新的 API 令牌；旧令牌（如有）已失效。请立即复制保存，离开本页后不再显示。"
            )
        elif request.POST.get("action") == "revoke_token":
            if services.api_token_revoke(actor=request.user):
                messages.success(request, "API 令牌已撤销，使用它的程序将无法再访问。")
            else:
                messages.info(request, "您没有 API 令牌。")
            return redirect("people:profile")
        else:
            messages.error(request, "无法识别的操作。")
            return redirect("people:profile")
    from django.conf import settings

    context = {
        "page_title": "个人设置",
        "tokens": selectors.api_tokens(user=request.user),
        "new_key": new_key,
        "token_days": settings.CAMPUSGRID_TOKEN_DAYS,
        "sign_ins": selectors.recent_sign_ins(user=request.user),
        "idle_minutes": settings.CAMPUSGRID_SESSION_IDLE_SECONDS // 60,
        "wecom_block": wecom_block(request.user),
    }
    return render(request, "people/profile.html", context)
