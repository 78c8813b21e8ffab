"""What the grid app shows on other apps' pages: home panels and detail-page sections
(render functions that call selectors). Registered by hooks.py."""

from urllib.parse import urlencode

from django.urls import reverse

from campusgrid.core.scoping import scope_for

from . import coverage, policy, selectors
from .models import Post, PostKind


def coverage_panel(request):
    if not policy.may_see_coverage(request.user):
        return None
    if scope_for(request.user).spans_colleges:
        return None  # the office starts with one row per college (colleges_panel); a college opens its audit
    from campusgrid.core.figures import figure

    result = coverage.compute_cached(request.user)
    figures = [
        figure(request, coverage.GAP_KINDS.get(kind, kind), n, "grid:coverage", {"kind": kind})
        for kind, n in result.counts_by_kind().items()
    ]
    return {"result": result, "figures": figures}


def my_posts_panel(request):
    """The person's own posts; nothing for someone who holds none (a plain student's contacts
    are on their own page, linked from the student panel). The rows are plain values kept
    between requests until a post or a place changes, or the minute turns (a term that ends
    today) — core.fingerprint.kept."""
    from campusgrid.core.fingerprint import check_inputs, kept
    from campusgrid.core.registry import may_open

    user = request.user

    def compute() -> list[dict]:
        check_inputs("grid-my-posts", selectors.my_posts_inputs(), [selectors.my_posts_queryset(user)])
        rows = []
        for post in selectors.my_posts(user):
            room, school_class = post.room if post.room_id else None, None
            if room is None and post.school_class_id:
                school_class = post.school_class
            rows.append(
                {
                    "kind": post.get_kind_display(),
                    "label": post.place_label,
                    "start": post.start_date,
                    "room": (room.building.name, room.number) if room else None,
                    "class_name": school_class.name if school_class else "",
                    "class_opens": bool(school_class) and may_open(user, "people:class", school_class),
                }
            )
        return rows

    posts = kept(user, "grid-my-posts", selectors.my_posts_inputs(), compute)
    student = getattr(user, "student", None)
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
