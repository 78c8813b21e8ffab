from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from campusgrid.core.errors import ServiceError
from campusgrid.core.htmx import template_for
from campusgrid.core.import_flow import StagedImport
from campusgrid.core.imports import write_template
from campusgrid.core.params import past_day
from campusgrid.core.registry import render_sections
from campusgrid.core.scoping import CHANGE
from campusgrid.org.models import Bed, College, Room, SchoolClass
from campusgrid.people import selectors as people_selectors
from campusgrid.people.models import Staff, Student

from . import coverage, imports, policy, selectors, services
from .filters import PostFilter
from .forms import AppointForm, EndPostForm, ImportUploadForm, PlacementForm
from .models import POST_RULES, Post, PostKind


@login_required
def coverage_page(request):
    # ?on=YYYY-MM-DD: the audit of a past day (the semester report's 学期初 figure opens it);
    # a malformed or future day is today.
    on = past_day(request.GET.get("on"))
    result = coverage.compute_cached(request.user, on=on)
    kind = request.GET.get("kind", "")
    gaps = [g for g in result.gaps if g["kind"] == kind] if kind else result.gaps
    # A class's or a building's holes (the dashboards' coverage bars open these).
    school_class, building = request.GET.get("class", ""), request.GET.get("building", "")
    if school_class:
        gaps = [g for g in gaps if g.get("class") == school_class]
    if building:
        gaps = [g for g in gaps if str(g.get("room", "")).startswith(f"{building}/")]
    page = Paginator(gaps, 100).get_page(request.GET.get("page"))
    for gap in page:
        gap["fix_url"] = _fix_url(gap)
    context = {
        "result": result,
        "counts": result.counts_by_kind(),
        "kinds": coverage.GAP_KINDS,
        "kind": kind,
        "page": page,
        "on": on,
        "page_title": "网格覆盖",
    }
    return render(request, template_for(request, "grid/coverage.html", "gaps"), context)


def _fix_url(gap: dict) -> str:
    kind = gap["kind"]
    appoint = reverse("grid:appoint")
    if kind in ("student_without_room", "student_without_class"):
        return reverse("people:student", args=[gap["student_no"]]) + "#placement"
    if kind == "room_without_dorm_head":
        return f"{appoint}?{urlencode({'kind': 'dorm_head', 'room': gap['room']})}"
    if kind == "room_without_activist":
        return f"{appoint}?{urlencode({'kind': 'activist', 'room': gap['room']})}"
    if kind == "class_without_monitor":
        return f"{appoint}?{urlencode({'kind': 'monitor', 'class': gap['class']})}"
    if kind == "class_without_counselor":
        return f"{appoint}?{urlencode({'kind': 'counselor', 'class': gap['class']})}"
    if kind == "college_without_leader":
        return f"{appoint}?{urlencode({'kind': 'leader', 'college': gap['college']})}"
    if kind == "post_holder_not_eligible":
        return reverse("grid:post", args=[gap["post_id"]])
    if kind == "activist_with_several_rooms":
        return reverse("grid:posts") + "?" + urlencode({"kind": "activist", "q": gap["student_no"]})
    if kind == "room_without_small_grid":
        return reverse("admin:grid_partyroom_changelist") + "?" + urlencode({"q": gap["room"]})
    return ""


def _place_from_query(request, kind: str):
    """The place of the appointment page: outside the user's reach is 404 (as any page)."""
    field = POST_RULES[kind]["place"]
    keys = {
        "room": "room",
        "school_class": "class",
        "college": "college",
        "small_grid": "small_grid",
        "branch": "branch",
    }
    value = None
    if field is not None:
        value = request.GET.get(keys[field]) or request.POST.get(keys[field], "")
    try:
        return selectors.place_get(user=request.user, field=field, value=value)
    except ServiceError:
        raise Http404


@login_required
def appoint(request):
    kind = request.GET.get("kind") or request.POST.get("kind", "")
    if kind not in PostKind.values:
        raise Http404
    place = _place_from_query(request, kind)
    rule = POST_RULES[kind]
    form = AppointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            holder = selectors.holder_get(
                user=request.user, number=form.cleaned_data["holder"], holder_kind=rule["holder"]
            )
        except ServiceError as exc:
            form.add_error(exc.field, exc.message)
        else:
            try:
                services.post_appoint(
                    actor=request.user,
                    kind=kind,
                    holder=holder,
                    place=place,
                    start=form.cleaned_data.get("start"),
                )
            except ServiceError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"已任命 {holder.name} 为{PostKind(kind).label}。")
                return redirect(request.get_full_path())
    history = selectors.place_history(kind=kind, place_field=rule["place"], place=place)
    context = {
        "kind": kind,
        "kind_label": PostKind(kind).label,
        "place": place,
        "place_label": getattr(place, "label", None) or str(place or "全校"),
        "history": history,
        "current": [p for p in history if p.end_date is None],
        "candidates": selectors.vacancy_candidates(kind=kind, place=place)
        if rule["holder"] != "staff"
        else [],
        "staff_choices": _staff_choices(request.user, place) if rule["holder"] in ("staff", "any") else [],
        "form": form,
        "may_appoint": services.may_manage_place(request.user, kind, place),
        "page_title": f"任命{PostKind(kind).label}",
    }
    # Other apps' blocks about this appointment (the appraisals of the holders and candidates).
    context["sections"] = render_sections("appointment", request, context)
    return render(request, "grid/appoint.html", context)


def _staff_choices(user, place):
    qs = Staff.objects.visible_to(user).filter(active=True)
    college_id = getattr(place, "college_id", None) or (place.pk if isinstance(place, College) else None)
    if college_id:
        qs = qs.filter(college_id=college_id)
    return list(qs.order_by("name")[:200])


@login_required
def post_list(request):
    posts = selectors.post_list(user=request.user, filters=request.GET)
    page = Paginator(posts, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filter": PostFilter(request.GET or None, user=request.user),
        "page_title": "网格员",
    }
    return render(request, template_for(request, "grid/post_list.html", "rows"), context)


@login_required
def post_detail(request, pk):
    post = selectors.post_get(user=request.user, pk=pk)
    form = EndPostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_end(actor=request.user, post=post, reason=form.cleaned_data["reason"])
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "已结束该任职。")
            return redirect("grid:post", pk=post.pk)
    rule = POST_RULES[post.kind]
    context = {
        "post": post,
        "form": form,
        "history": selectors.place_history(kind=post.kind, place_field=rule["place"], place=post.place),
        "may_manage": services.may_manage_place(request.user, post.kind, post.place),
        "appoint_query": _appoint_query(post),
        # Blocks other apps register for the appointment page (service: the worker's training).
        "sections": render_sections("post", request, post),
        "page_title": f"{post.get_kind_display()} {post.holder_name}",
    }
    return render(request, "grid/post_detail.html", context)


def _appoint_query(post: Post) -> str:
    field = POST_RULES[post.kind]["place"]
    params = {"kind": post.kind}
    if field == "room":
        params["room"] = post.room.label
    elif field == "school_class":
        params["class"] = post.school_class.name
    elif field == "college":
        params["college"] = post.college.name
    elif field in ("branch", "small_grid"):
        params[field] = getattr(post, field + "_id")
    return urlencode(params)


@login_required
@require_POST
def student_placement(request, student_no):
    """调整寝室/班级/学籍状态 from the student page (counselor and above)."""
    student = people_selectors.student_get(user=request.user, student_no=student_no, action=CHANGE)
    form = PlacementForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请检查填写的内容。")
        return redirect(reverse("people:student", args=[student_no]) + "#placement")
    data = form.cleaned_data
    try:
        if data["action"] == "move":
            bed = None
            if data["room"]:
                room = Room.objects.by_label(data["room"]).first()
                if room is None:
                    raise ServiceError(f"寝室“{data['room']}”不存在（格式：楼栋/寝室号）")
                number = data["bed"] or _first_free_bed_number(room)
                if number is None or number > room.capacity:
                    raise ServiceError(
                        f"{room.label} 没有空床位"
                        if number is None
                        else f"{room.label} 只有{room.capacity}个床位"
                    )
                bed, _ = Bed.objects.get_or_create(room=room, number=number)
            services.student_move(actor=request.user, student=student, bed=bed)
        elif data["action"] == "class":
            school_class = None
            if data["school_class"]:
                school_class = SchoolClass.objects.filter(name=data["school_class"]).first()
                if school_class is None:
                    raise ServiceError(f"班级“{data['school_class']}”不存在")
            services.student_set_class(actor=request.user, student=student, school_class=school_class)
        else:
            services.student_status_change(actor=request.user, student=student, status=data["status"])
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已保存。")
    return redirect(reverse("people:student", args=[student_no]) + "#placement")


def _first_free_bed_number(room: Room):
    used = set(Student.objects.filter(bed__room=room).values_list("bed__number", flat=True))
    return next((n for n in range(1, room.capacity + 1) if n not in used), None)


# --- imports ---------------------------------------------------------------------------------------


def _may_import(user) -> bool:
    return policy.may_import(user)


class RosterImport(StagedImport):
    """Upload → preview (dry run) → confirm of the roster or the staff list."""

    prefix = "grid"
    template_name = "grid/import.html"
    url_name = "grid:import"
    page_title = "导入名册"
    form_class = ImportUploadForm
    KINDS = ("roster", "staff")

    @staticmethod
    def _runner(kind):
        return imports.import_roster if kind == "roster" else imports.import_staff

    def allowed(self, request):
        return _may_import(request.user)

    def check(self, request, path, data):
        return self._runner(data["kind"])(path, actor=request.user, dry_run=True)

    def carried(self, request, data, file_name):
        return {"kind": data["kind"]}

    def confirmable(self, request):
        return request.POST.get("kind") in self.KINDS

    def apply(self, request, path):
        return self._runner(request.POST["kind"])(path, actor=request.user, dry_run=False)

    def done_url(self, request):
        return "grid:coverage" if request.POST["kind"] == "roster" else "grid:posts"


import_page = login_required(RosterImport.as_view())


@login_required
def import_template(request, kind):
    if kind == "roster":
        headers = [c.header for c in imports.ROSTER_COLUMNS]
        example = [
            [
                "2024010101",
                "张三",
                "男",
                "化工与材料学院",
                "化学工程与工艺",
                "2024",
                "化工2401",
                "西区3栋",
                "305",
                "1",
                "共青团员",
                "舍长",
                "13800138000",
                "",
                "汉族",
                "浙江杭州",
                "13900139000",
            ]
        ]
        filename = "学生名册导入模板.xlsx"
    elif kind == "staff":
        headers = [c.header for c in imports.STAFF_COLUMNS]
        example = [["T2001", "李老师", "辅导员", "化工与材料学院", "化工2401、化工2402", "13700137000"]]
        filename = "教职工导入模板.xlsx"
    else:
        raise Http404
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    write_template(response, headers, example)
    return response
