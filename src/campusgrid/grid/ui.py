"""What the grid contributes to other pages: navigation, home panels and the
sections of the student, class and room pages."""

from urllib.parse import urlencode

from django.urls import reverse

from campusgrid.core.registry import (
    CollegeColumn,
    NavItem,
    Panel,
    PersonalDataPart,
    Section,
    register_college_column,
    register_nav,
    register_opener,
    register_panel,
    register_personal_data,
    register_section,
)
from campusgrid.core.scoping import scope_for

from . import coverage, policy, selectors
from .models import Post, PostKind


def coverage_panel(request):
    if not policy.may_see_coverage(request.user):
        return None
    if scope_for(request.user).spans_colleges:
        return None  # the office starts with one row per college (colleges_panel); a college opens its audit
    result = coverage.compute(request.user)
    return {"result": result, "counts": result.counts_by_kind(), "kinds": coverage.GAP_KINDS}


def my_posts_panel(request):
    """The person's own posts; nothing for someone who holds none (a plain student's contacts
    are on their own page, linked from the student panel)."""
    posts = selectors.my_posts(request.user)
    student = getattr(request.user, "student", None)
    if not posts and student is None:
        return None
    return {"posts": posts, "student": student}


def colleges_panel(request):
    """The office's (or a multi-college leader's) landing starts with one row per college:
    students, tonight's check, absences, open and overdue reports, overdue returns; each row
    opens that college's landing (?college=, grid.middleware)."""
    if not scope_for(request.user).spans_colleges:
        return None
    from campusgrid.core.registry import COLLEGE_COLUMNS

    return {"rows": selectors.college_overview(user=request.user), "columns": COLLEGE_COLUMNS}


def party_grid_panel(request):
    """An activist's micro-grid room, a party member's small grid, a secretary's branch: the
    rooms of the person's party posts, first on their landing (issue 12 item 10)."""
    scope = scope_for(request.user)
    if not scope.party_room_ids:
        return None
    rooms = selectors.party_grid_rooms(user=request.user)
    return {"rooms": rooms[:30], "more": max(len(rooms) - 30, 0), "total": len(rooms)}


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
        "may_manage": policy.may_manage_posts_of_room(request.user),
    }


def _collect_posts(student):
    from .personal_data import collect_posts

    return collect_posts(student)


def register():
    register_nav(NavItem("工作台", "home", "house", order=0))
    register_nav(NavItem("学生名册", "people:students", "people", order=10, visible=policy.may_see_roster))
    register_nav(NavItem("班级", "people:classes", "collection", order=11, visible=policy.may_see_classes))
    register_nav(NavItem("网格覆盖", "grid:coverage", "diagram-3", order=20, visible=policy.may_see_coverage))
    register_nav(NavItem("网格员", "grid:posts", "person-badge", order=21, visible=policy.may_see_posts))
    register_nav(NavItem("导入名册", "grid:import", "upload", order=90, visible=policy.may_import))
    register_opener("people:class", policy.may_open_class)
    register_opener("people:student", policy.may_open_student)
    register_panel(Panel("my-posts", "grid/panel_my_posts.html", my_posts_panel, order=5))
    register_panel(Panel("colleges", "grid/panel_colleges.html", colleges_panel, order=-10))
    register_college_column(
        CollegeColumn("students", "学生", lambda user: selectors.enrolled_by_college(user), order=0)
    )
    register_panel(Panel("party-grid", "grid/panel_party_grid.html", party_grid_panel, order=1))
    register_panel(Panel("coverage", "grid/panel_coverage.html", coverage_panel, order=10))
    register_section(
        "student", Section("chains", "grid/section_student_chains.html", student_chain_section, order=10)
    )
    register_section(
        "class", Section("posts", "grid/section_place_posts.html", class_posts_section, order=10)
    )
    register_section("room", Section("posts", "grid/section_place_posts.html", room_posts_section, order=10))
    register_personal_data(PersonalDataPart("grid.posts", "网格职务", _collect_posts, order=20))
