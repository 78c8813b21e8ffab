"""Every read of 走访 that pages, the API and exports share, and the progress against the
targets: the rooms and classes not yet visited, per counselor and per college."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, QuerySet

from campusgrid.core import clock
from campusgrid.core.scoping import CHANGE, get_visible_or_404, scope_for
from campusgrid.grid.models import Post, PostKind
from campusgrid.org.models import Room, SchoolClass, Semester
from campusgrid.people.models import Student, StudentStatus

from ..models import TargetPer, TargetRole, Visit, VisitKind, VisitTarget


def visit_list(*, user, kind: str | None = None, date_from=None, date_to=None, filters=None) -> QuerySet:
    """The visits in reach; `filters` (query parameters) through the page's FilterSet."""
    from ..filters_more import VisitFilter, filtered

    qs = (
        Visit.objects.visible_to(user)
        .select_related("college", "school_class")
        .prefetch_related("rooms__building", "follow_ups")
    )
    if kind in VisitKind.values:
        qs = qs.filter(kind=kind)
    if date_from:
        qs = qs.filter(visited_on__gte=date_from)
    if date_to:
        qs = qs.filter(visited_on__lte=date_to)
    if filters is not None:
        qs = filtered(VisitFilter, filters, qs)[1]
    return qs


def visit_get(*, user, pk) -> Visit:
    qs = Visit.objects.select_related("college", "school_class").prefetch_related(
        "rooms__building", "follow_ups__problem", "follow_ups__talk", "follow_ups__student", "visitors"
    )
    return get_visible_or_404(qs, user, pk=pk)


def semester_span(on: dt.date | None = None) -> tuple[dt.date, dt.date, str]:
    on = on or clock.today()
    semester = Semester.current(on)
    if semester is not None:
        return semester.start, min(semester.end, on), semester.name
    return on - dt.timedelta(days=150), on, "近150天"


def _targets() -> dict:
    return {(t.role, t.kind, t.per): t.times for t in VisitTarget.objects.filter(active=True)}


def visit_progress(*, user, on: dt.date | None = None) -> dict:
    """Per counselor and class teacher in the user's reach: each room of their classes and each
    class with the visits they made this semester against the target, and the ones below it;
    per college: rooms nobody visited this semester, and the leaders' monthly samples."""
    on = on or clock.today()
    start, end, label = semester_span(on)
    targets = _targets()
    scope = scope_for(user)
    classes = {c.pk: c for c in SchoolClass.objects.visible_to(user, CHANGE).select_related("college")}
    posts = list(
        Post.objects.current(on)
        .filter(kind__in=[PostKind.COUNSELOR, PostKind.CLASS_TEACHER], school_class_id__in=list(classes))
        .exclude(staff__user__isnull=True)
        .select_related("staff")
        .order_by("staff__staff_no", "kind")
    )
    return {
        "start": start,
        "end": end,
        "semester": label,
        "people": _people_progress(posts, {pk: c.name for pk, c in classes.items()}, start, end, targets),
        "colleges": _college_progress(user, scope, on, start, end, targets),
    }


def my_visit_progress(*, user) -> list[dict]:
    """The user's own rows of visit_progress()["people"] today (their counselor and class-teacher
    posts over classes they manage), rooms counted against the target but not labelled: the
    home panel's figures, from the posts already read for the request (grid.selectors.my_posts)."""
    from campusgrid.grid.selectors import my_posts

    scope = scope_for(user)
    kinds = {PostKind.COUNSELOR, PostKind.CLASS_TEACHER}
    if scope.staff_id is None or not kinds & scope.post_kinds:
        return []
    posts = [
        p
        for p in my_posts(user)
        if p.kind in kinds
        and p.staff_id == scope.staff_id
        and p.school_class_id is not None
        and scope.manages(college_id=p.school_class.college_id, class_id=p.school_class_id)
    ]
    if not posts:
        return []
    staff = user.staff  # the posts' holder: every one of them is the user's own
    for post in posts:
        post.staff = staff
    posts.sort(key=lambda p: p.kind)
    start, end, _ = semester_span()
    names = {p.school_class_id: p.school_class.name for p in posts}
    return _people_progress(posts, names, start, end, _targets(), labels=False, classrooms=False)


def _people_progress(posts, class_names, start, end, targets, *, labels=True, classrooms=True) -> list[dict]:
    """One row per (staff member, role) of `posts`: the rooms of their classes with the dorm
    visits each made there this semester, and (`classrooms`) the classroom visits per class."""
    class_ids = sorted({p.school_class_id for p in posts})
    if not class_ids:
        return []
    pairs = list(
        Student.objects.filter(
            status=StudentStatus.ENROLLED, bed__isnull=False, school_class_id__in=class_ids
        )
        .order_by()  # no default ordering in the DISTINCT: one row per (room, class), not per student
        .values_list("bed__room_id", "school_class_id")
        .distinct()
    )
    rooms_of_class = defaultdict(set)
    for room_id, class_id in pairs:
        rooms_of_class[class_id].add(room_id)
    all_rooms = {rid for rid, _ in pairs}
    room_labels = (
        {r.pk: r.label for r in Room.objects.filter(pk__in=all_rooms).select_related("building")}
        if labels and all_rooms
        else {}
    )
    dorm_counts = defaultdict(int)
    visitors = {p.staff.user_id for p in posts}
    for visitor, room, n in (
        (
            Visit.objects.filter(
                kind=VisitKind.DORM,
                visited_on__gte=start,
                visited_on__lte=end,
                rooms__in=all_rooms,
                visitors__in=visitors,
            )
            .values_list("visitors__id", "rooms__id")
            .annotate(n=Count("id", distinct=True))
            .order_by()
        )
        if all_rooms
        else ()
    ):
        dorm_counts[(visitor, room)] = n
    class_counts = defaultdict(int)
    if classrooms:
        for visitor, class_id, n in (
            Visit.objects.filter(
                kind=VisitKind.CLASSROOM,
                visited_on__gte=start,
                visited_on__lte=end,
                school_class_id__in=class_ids,
            )
            .values_list("visitors__id", "school_class_id")
            .annotate(n=Count("id", distinct=True))
            .order_by()
        ):
            class_counts[(visitor, class_id)] = n
    people = {}
    for post in posts:
        role = TargetRole.COUNSELOR if post.kind == PostKind.COUNSELOR else TargetRole.CLASS_TEACHER
        row = people.setdefault(
            (post.staff_id, role),
            {
                "staff": post.staff,
                "role": TargetRole(role).label,
                "classes": [],
                "rooms": {},
                "class_rows": [],
            },
        )
        user_id = post.staff.user_id
        dorm_target = targets.get((role, VisitKind.DORM, TargetPer.SEMESTER))
        class_target = targets.get((role, VisitKind.CLASSROOM, TargetPer.SEMESTER))
        row["classes"].append(class_names[post.school_class_id])
        for room_id in rooms_of_class.get(post.school_class_id, ()):
            row["rooms"][room_id] = {
                "label": room_labels.get(room_id, ""),
                "count": dorm_counts[(user_id, room_id)],
                "target": dorm_target,
            }
        if class_target and classrooms:
            row["class_rows"].append(
                {
                    "label": class_names[post.school_class_id],
                    "count": class_counts[(user_id, post.school_class_id)],
                    "target": class_target,
                }
            )
    result = []
    for row in people.values():
        rooms = sorted(row["rooms"].values(), key=lambda r: r["label"])
        row["rooms"] = rooms
        row["rooms_below"] = [r for r in rooms if r["target"] and r["count"] < r["target"]]
        row["classes_below"] = [c for c in row["class_rows"] if c["count"] < c["target"]]
        result.append(row)
    result.sort(key=lambda r: (r["staff"].staff_no, r["role"]))
    return result


def _college_progress(user, scope, on, start, end, targets) -> list[dict]:
    from campusgrid.org.models import College

    colleges = list(College.objects.visible_to(user, CHANGE).order_by("name")) if scope.is_manager else []
    if not colleges or not (scope.manage_everything or scope.manage_college_ids):
        return []
    ids = [c.pk for c in colleges]
    pairs = list(
        Student.objects.filter(status=StudentStatus.ENROLLED, bed__isnull=False, college_id__in=ids)
        .values_list("bed__room_id", "college_id")
        .distinct()
    )
    rooms_of = defaultdict(set)
    for room_id, college_id in pairs:
        rooms_of[college_id].add(room_id)
    every = {r for r, _ in pairs}
    visited = set(
        Visit.objects.filter(kind=VisitKind.DORM, visited_on__gte=start, visited_on__lte=end, rooms__in=every)
        .values_list("rooms__id", flat=True)
        .distinct()
    )
    labels = {r.pk: r.label for r in Room.objects.filter(pk__in=every - visited).select_related("building")}
    month_start = on.replace(day=1)
    leader_target = targets.get((TargetRole.LEADER, VisitKind.DORM, TargetPer.MONTH))
    leaders = list(
        Post.objects.current(on)
        .filter(kind=PostKind.LEADER, college_id__in=ids)
        .exclude(staff__user__isnull=True)
        .select_related("staff")
        .order_by("staff__staff_no")
    )
    sampled = defaultdict(int)
    for visitor, n in (
        Visit.objects.filter(kind=VisitKind.DORM, visited_on__gte=month_start, visited_on__lte=on)
        .values_list("visitors__id")
        .annotate(n=Count("rooms", distinct=True))
    ):
        sampled[visitor] = n
    result = []
    for college in colleges:
        rooms = rooms_of.get(college.pk, set())
        result.append(
            {
                "college": college,
                "rooms_total": len(rooms),
                "not_visited": sorted(labels[r] for r in rooms if r not in visited),
                "leaders": [
                    {"staff": p.staff, "sampled": sampled[p.staff.user_id], "target": leader_target}
                    for p in leaders
                    if p.college_id == college.pk
                ],
            }
        )
    return result


def follow_up_get(*, user, pk):
    """A follow-up of a visit the user sees (404 otherwise)."""
    from django.http import Http404

    from ..models import FollowUp

    found = (
        FollowUp.objects.select_related("visit")
        .filter(pk=pk, visit__in=Visit.objects.visible_to(user))
        .first()
    )
    if found is None:
        raise Http404("未找到，或不在您的管理范围内")
    return found
