"""What the grid contributes to other pages: navigation, home panels and the
sections of the student, class and room pages."""

from urllib.parse import urlencode

from django.urls import reverse

from campusgrid.core.registry import (
    NavItem,
    Panel,
    PersonalDataPart,
    Section,
    register_nav,
    register_panel,
    register_personal_data,
    register_section,
)
from campusgrid.core.scoping import scope_for

from . import coverage, selectors
from .models import Post, PostKind


def _has_reach(user, scope) -> bool:
    return not scope.is_empty


def _manager(user, scope) -> bool:
    return scope.manage_everything or bool(scope.manage_college_ids or scope.manage_class_ids)


def coverage_panel(request):
    scope = scope_for(request.user)
    if not (scope.top_level >= 2 or scope.everything or scope.party_room_ids):
        return None
    result = coverage.compute(request.user)
    return {"result": result, "counts": result.counts_by_kind(), "kinds": coverage.GAP_KINDS}


def my_posts_panel(request):
    posts = selectors.my_posts(request.user)
    student = getattr(request.user, "student", None)
    return {"posts": posts, "student": student}


def student_chain_section(request, student):
    chains = selectors.student_chains(student)
    scope = scope_for(request.user)
    may_manage = scope.manages(college_id=student.college_id, class_id=student.school_class_id)
    posts = list(
        Post.objects.filter(student=student)
        .select_related("room__building", "school_class", "college", "small_grid__branch", "branch")
        .order_by("-start_date")
    )
    return {
        "student": student,
        "chains": chains,
        "may_manage": may_manage,
        "own_posts": posts,
        "placement_url": reverse("grid:placement", args=[student.student_no]),
    }


def class_posts_section(request, school_class):
    posts = list(Post.objects.current().filter(school_class=school_class).select_related("student", "staff"))
    kinds = [PostKind.MONITOR, PostKind.LEAGUE_SECRETARY, PostKind.COUNSELOR, PostKind.CLASS_TEACHER]
    rows = [
        {"kind": k, "label": PostKind(k).label, "posts": [p for p in posts if p.kind == k]} for k in kinds
    ]
    scope = scope_for(request.user)
    return {
        "rows": rows,
        "place_query": urlencode({"class": school_class.name}),
        "may_manage": scope.manages(college_id=school_class.college_id, class_id=school_class.pk),
    }


def room_posts_section(request, room):
    posts = list(Post.objects.current().filter(room=room).select_related("student", "staff"))
    kinds = [PostKind.DORM_HEAD, PostKind.ACTIVIST]
    rows = [
        {"kind": k, "label": PostKind(k).label, "posts": [p for p in posts if p.kind == k]} for k in kinds
    ]
    return {
        "rows": rows,
        "place_query": urlencode({"room": room.label}),
        "may_manage": _manager(request.user, scope_for(request.user)),
    }


def _collect_posts(student):
    from .personal_data import collect_posts

    return collect_posts(student)


def register():
    register_nav(NavItem("工作台", "home", "house", order=0))
    register_nav(NavItem("学生名册", "people:students", "people", order=10, visible=_has_reach))
    register_nav(
        NavItem(
            "班级",
            "people:classes",
            "collection",
            order=11,
            visible=lambda u, s: s.top_level >= 2 or s.everything,
        )
    )
    register_nav(
        NavItem(
            "网格覆盖",
            "grid:coverage",
            "diagram-3",
            order=20,
            visible=lambda u, s: s.top_level >= 2 or s.everything or bool(s.party_room_ids),
        )
    )
    register_nav(NavItem("网格员", "grid:posts", "person-badge", order=21, visible=_has_reach))
    register_nav(NavItem("导入名册", "grid:import", "upload", order=90, visible=_manager))
    register_panel(Panel("my-posts", "grid/panel_my_posts.html", my_posts_panel, order=5))
    register_panel(Panel("coverage", "grid/panel_coverage.html", coverage_panel, order=10))
    register_section(
        "student", Section("chains", "grid/section_student_chains.html", student_chain_section, order=10)
    )
    register_section(
        "class", Section("posts", "grid/section_place_posts.html", class_posts_section, order=10)
    )
    register_section("room", Section("posts", "grid/section_place_posts.html", room_posts_section, order=10))
    register_personal_data(PersonalDataPart("grid.posts", "网格职务", _collect_posts, order=20))
