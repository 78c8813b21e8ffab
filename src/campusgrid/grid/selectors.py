"""Reads of the grids: each student's chains, posts, vacancy suggestions."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When

from campusgrid.core import clock
from campusgrid.core.errors import ServiceError
from campusgrid.core.scoping import get_visible_or_404, scope_for
from campusgrid.org.models import Building, College, Room, SchoolClass
from campusgrid.people.models import PARTY_MEMBERS, PoliticalStatus, Staff, Student, StudentStatus

from .eligibility import serving_q
from .models import CADRE_KINDS, PartyBranch, PartyRoom, Post, PostKind, SmallGrid


def _current(on=None):
    return Post.objects.current(on or clock.today()).select_related("student", "staff")


def _ids(places) -> QuerySet | list:
    if isinstance(places, QuerySet):
        return places.values("pk")
    return [getattr(p, "pk", p) for p in places]


def post_holders(
    *,
    kinds: str | Iterable[str],
    classes=None,
    rooms=None,
    colleges=None,
    at: dt.date | None = None,
) -> list[Post]:
    """Who holds posts of `kinds` over these places on `at` (today): the one answer
    to "who is the counselor of this class", for routing, approvers and reminders.

    Places are model instances, ids or querysets; a post matches when it is over any
    of the given places (no places: every post of the kinds, e.g. the university
    office). Only holders who can act count (`eligibility.serving_q`: enrolled or
    active, with a login), so a level whose only counselor has left is vacant.
    Each post comes with `post.user`, the holder's login."""
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    qs = Post.objects.current(at).filter(kind__in=kinds).filter(serving_q())
    places = []
    if classes is not None:
        places.append(Q(school_class_id__in=_ids(classes)))
    if rooms is not None:
        places.append(Q(room_id__in=_ids(rooms)))
    if colleges is not None:
        places.append(Q(college_id__in=_ids(colleges)))
    if places:
        condition = places[0]
        for part in places[1:]:
            condition |= part
        qs = qs.filter(condition)
    posts = list(qs.select_related("student__user", "staff__user").order_by("kind", "start_date", "id"))
    for post in posts:
        post.user = post.holder.user
    return posts


def holder_users(posts: Iterable[Post]) -> list:
    """The distinct logins of `post_holders` (a person holding two posts is told once)."""
    return list({post.user.pk: post.user for post in posts}.values())


def holders_by(posts: Iterable[Post], field: str) -> dict[int, list]:
    """`post_holders` grouped by place: {school_class_id: [user, …]} (each user once per place)."""
    result: dict[int, dict] = defaultdict(dict)
    for post in posts:
        result[getattr(post, field)][post.user.pk] = post.user
    return {place: list(users.values()) for place, users in result.items()}


def student_chains(student: Student) -> dict:
    """Both chains of one student (SPEC §3), in three queries.

    management: dorm head → monitor / league secretary → counselor / class teacher → leaders
    party:      activist → small-grid party member → branch secretary
    """
    room_id = student.bed.room_id if student.bed_id else None
    party_room = (
        PartyRoom.objects.filter(room_id=room_id).select_related("branch", "small_grid").first()
        if room_id
        else None
    )
    condition = Q(college_id=student.college_id, kind=PostKind.LEADER)
    if room_id:
        condition |= Q(room_id=room_id, kind__in=[PostKind.DORM_HEAD, PostKind.ACTIVIST])
    if student.school_class_id:
        condition |= Q(school_class_id=student.school_class_id)
    if party_room is not None:
        condition |= Q(branch_id=party_room.branch_id)
        if party_room.small_grid_id:
            condition |= Q(small_grid_id=party_room.small_grid_id)
    posts = list(_current().filter(condition).order_by("kind", "start_date"))

    def holders(kind):
        return [p for p in posts if p.kind == kind]

    return {
        "management": [
            {
                "level": 1,
                "title": "一级网格员（舍长）",
                "posts": holders(PostKind.DORM_HEAD),
                "applies": bool(room_id),
            },
            {
                "level": 2,
                "title": "二级网格员（班长、团支书）",
                "posts": holders(PostKind.MONITOR) + holders(PostKind.LEAGUE_SECRETARY),
                "applies": bool(student.school_class_id),
            },
            {
                "level": 3,
                "title": "三级网格员（辅导员、班主任）",
                "posts": holders(PostKind.COUNSELOR) + holders(PostKind.CLASS_TEACHER),
                "applies": bool(student.school_class_id),
            },
            {
                "level": 4,
                "title": "四级网格员（学院领导）",
                "posts": holders(PostKind.LEADER),
                "applies": True,
            },
        ],
        "party": [
            {
                "title": "微网格（入党积极分子）",
                "posts": holders(PostKind.ACTIVIST),
                "applies": party_room is not None,
            },
            {
                "title": "小网格（网格党员）",
                "posts": holders(PostKind.SMALL_GRID_LEADER),
                "applies": party_room is not None,
            },
            {
                "title": "大网格（支部书记）",
                "posts": holders(PostKind.BRANCH_SECRETARY),
                "applies": party_room is not None,
            },
        ],
        "party_room": party_room,
    }


def chain_as_json(chains: dict) -> dict:
    def person(post):
        if post.student_id:
            return {
                "student_no": post.student.student_no,
                "name": post.student.name,
                "post": post.kind,
                "title": post.get_kind_display(),
            }
        return {
            "staff_no": post.staff.staff_no,
            "name": post.staff.name,
            "post": post.kind,
            "title": post.get_kind_display(),
        }

    return {
        "management": [
            {"level": link["level"], "title": link["title"], "people": [person(p) for p in link["posts"]]}
            for link in chains["management"]
        ],
        "party": [
            {"title": link["title"], "people": [person(p) for p in link["posts"]]}
            for link in chains["party"]
            if link["applies"]
        ],
    }


def post_list(*, user, current_only: bool = True, filters=None):
    """Grid posts in reach; `filters` (a dict or the request's GET) go through PostFilter,
    the one definition the page and the API share (`history` there means ended terms too)."""
    from .filters import PostFilter, wants_history

    if filters is not None:
        current_only = not wants_history(filters)
    qs = Post.objects.visible_to(user).select_related(
        "student", "staff", "room__building", "school_class", "college", "branch", "small_grid__branch"
    )
    if current_only:
        qs = qs.current()
    qs = qs.order_by("kind", "-start_date")
    if filters is None:
        return qs
    filterset = PostFilter(filters, queryset=qs, user=user)
    return filterset.qs if filterset.is_valid() else qs.none()


def post_get(*, user, pk: int) -> Post:
    return get_visible_or_404(
        Post.objects.select_related("student", "staff", "room__building", "school_class", "college"),
        user,
        pk=pk,
    )


def place_history(*, kind: str, place_field: str | None, place) -> list[Post]:
    qs = Post.objects.filter(kind=kind).select_related("student", "staff", "appointed_by")
    if place_field:
        qs = qs.filter(**{place_field: place})
    return list(qs.order_by("-start_date", "-id"))


def my_posts(user):
    """The user's current posts with their places; read once per request (the home panels of
    grid and service both ask), kept on the user like the scope."""
    cached = getattr(user, "_campusgrid_my_posts", None)
    if cached is None:
        cached = list(my_posts_queryset(user))
        user._campusgrid_my_posts = cached
    return list(cached)


def my_posts_queryset(user):
    return (
        Post.objects.held_by(user)
        .current()
        .select_related("room__building", "school_class", "college", "branch", "small_grid__branch")
    )


def my_posts_inputs() -> tuple:
    """The tables `my_posts` reads: a post and every place it may name."""
    return (Post, Room, Building, SchoolClass, College, PartyBranch, SmallGrid)


def vacancy_candidates(*, kind: str, place, limit: int = 10) -> list[Student]:
    """Seed 000 四.(一): party members first, then activists, then current cadres,
    from the same room (dorm head, activist), class (monitor, league secretary) or
    small grid (small-grid leader); each candidate carries `reason`."""
    candidates = Student.objects.filter(status=StudentStatus.ENROLLED)
    if kind == PostKind.DORM_HEAD:
        candidates = candidates.filter(bed__room=place)
    elif kind in (PostKind.MONITOR, PostKind.LEAGUE_SECRETARY):
        candidates = candidates.filter(school_class=place)
    elif kind == PostKind.ACTIVIST:
        candidates = candidates.filter(
            bed__room=place, political_status__in=PoliticalStatus.at_least(PoliticalStatus.ACTIVIST)
        )
    elif kind == PostKind.SMALL_GRID_LEADER:
        candidates = candidates.filter(
            bed__room__party_room__small_grid=place, political_status__in=PARTY_MEMBERS
        )
    elif kind == PostKind.BRANCH_SECRETARY:
        candidates = candidates.filter(
            bed__room__party_room__branch=place, political_status__in=PARTY_MEMBERS
        )
    else:
        return []
    # Whoever holds this post now is no candidate for it (an appointed student was still
    # offered with a 任命 button). A subquery, not exclude(posts__kind=…, posts__end_date=…):
    # across a to-many relation those two conditions may match different posts.
    holding = Post.objects.current().filter(kind=kind, student__isnull=False).values("student_id")
    candidates = candidates.exclude(pk__in=holding)
    # Apps above grid leave people out through the registry (a worker appraised 不合格 is not
    # suggested again): grid knows the extension point, not who plugs into it.
    from campusgrid.core.registry import SUGGESTION_EXCLUSIONS

    for exclusion in SUGGESTION_EXCLUSIONS:
        candidates = candidates.exclude(pk__in=exclusion.student_ids(kind))
    cadres = Post.objects.current().filter(kind__in=CADRE_KINDS, student__isnull=False).values("student_id")
    ranked = (
        candidates.annotate(
            rank=Case(
                When(political_status__in=PARTY_MEMBERS, then=Value(0)),
                When(
                    political_status__in=[PoliticalStatus.ACTIVIST, PoliticalStatus.CANDIDATE], then=Value(1)
                ),
                When(pk__in=cadres, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
        .select_related("school_class", "bed__room__building")
        .defer("id_number")
        .order_by("rank", "student_no")
    )
    reasons = {0: "党员", 1: "入党积极分子", 2: "现任学生干部", 3: "同寝室/同班同学"}
    result = list(ranked[:limit])
    for student in result:
        student.reason = reasons[student.rank]
    return result


def prefetch_current_posts():
    return Prefetch("posts", queryset=Post.objects.current(), to_attr="current_posts")


def party_grid_rooms(*, user) -> list[dict]:
    """The rooms of the user's party posts (micro-grid, small grid, branch) with their small grid,
    activist and headcount: three queries whatever the number of rooms."""
    from django.db.models import Count

    from campusgrid.core.scoping import scope_for
    from campusgrid.org.models import Room

    ids = scope_for(user).party_room_ids
    if not ids:
        return []
    rooms = list(
        Room.objects.filter(pk__in=ids)
        .select_related("building")
        .annotate(members=Count("beds__student", filter=Q(beds__student__status=StudentStatus.ENROLLED)))
        .order_by("building__name", "number")
    )
    grids = dict(PartyRoom.objects.filter(room_id__in=ids).values_list("room_id", "small_grid__name"))
    activists = dict(
        Post.objects.current()
        .filter(kind=PostKind.ACTIVIST, room_id__in=ids, end_date__isnull=True)
        .values_list("room_id", "student__name")
    )
    return [
        {
            "room": r,
            "members": r.members,
            "small_grid": grids.get(r.pk) or "",
            "activist": activists.get(r.pk),
        }
        for r in rooms
    ]


def college_overview(*, user) -> list[dict]:
    """One row per college the user sees, with the columns the apps register
    (core.registry.COLLEGE_COLUMNS): one query per column, whatever the number of colleges.
    A count cell whose column has a `link` is a Figure opening its rows in that college."""
    from campusgrid.core.figures import Figure, list_url
    from campusgrid.core.registry import COLLEGE_COLUMNS
    from campusgrid.org.models import College

    colleges = list(College.objects.visible_to(user).order_by("name").values("id", "name"))
    values = {column.key: column.compute(user) for column in COLLEGE_COLUMNS}
    links = {column.key: column.link() for column in COLLEGE_COLUMNS if column.link is not None}
    rows = []
    for college in colleges:
        cells = []
        for column in COLLEGE_COLUMNS:
            value = values[column.key].get(college["id"])
            if column.kind == "rate":
                done, total = value or (0, 0)
                cells.append(
                    {"column": column, "done": done, "total": total, "rate": done / total if total else None}
                )
            elif column.key in links:
                url_name, params = links[column.key]
                url = list_url(None, url_name, {**params, "college": college["id"]})
                cells.append({"column": column, "value": Figure(column.label, value or 0, url)})
            else:
                cells.append({"column": column, "value": value or 0})
        rows.append({"college": college, "cells": cells})
    return rows


def students_by_college(user) -> dict[int, tuple[int, int]]:
    """Per college: enrolled students, and those of them with a bed — one query, kept on the
    user for the request (the overview's columns share it)."""
    from django.db.models import Count

    cached = getattr(user, "_campusgrid_students_by_college", None)
    if cached is None:
        cached = {
            row["college_id"]: (row["n"], row["bedded"])
            for row in Student.objects.visible_to(user)
            .filter(status=StudentStatus.ENROLLED)
            .values("college_id")
            .annotate(n=Count("id"), bedded=Count("id", filter=Q(bed__isnull=False)))
        }
        user._campusgrid_students_by_college = cached
    return cached


def enrolled_by_college(user) -> dict[int, int]:
    return {college_id: n for college_id, (n, _) in students_by_college(user).items()}


# --- lookups by what a person types: one error that names the field (page and API) ----------


def room_by_label(*, user, label: str, action: str = "view", field: str = "room") -> Room:
    """The room 楼栋/寝室号 in the user's reach (for `action`), or a ServiceError on `field`."""
    label = (label or "").strip()
    room = (
        Room.objects.visible_to(user, action).by_label(label).select_related("building").first()
        if label
        else None
    )
    if room is None:
        raise ServiceError(
            f"在您的网格范围内找不到寝室“{label}”" if label else "请填写寝室（楼栋/寝室号）", field=field
        )
    return room


PLACE_NAMES = {
    "room": "寝室（楼栋/寝室号）",
    "school_class": "班级",
    "college": "学院",
    "branch": "党支部",
    "small_grid": "小网格",
}


def place_get(*, user, field: str | None, value) -> object | None:
    """The place a post is over (`POST_RULES[kind]["place"]`), as typed or chosen:
    a room by label, a class or college by name, a branch or small grid by id —
    in the user's reach, or a ServiceError on `field`. No place (the university
    office): None, for those who see everything."""
    if field is None:
        if not scope_for(user).everything:
            raise ServiceError("只有学校学工部可以任命该职务")
        return None
    if field == "room":
        return room_by_label(user=user, label=value or "", field="room")
    value = (str(value) if value is not None else "").strip()
    visible_colleges = College.objects.visible_to(user)
    place = None
    if value:
        if field == "school_class":
            place = SchoolClass.objects.visible_to(user).filter(name=value).first()
        elif field == "college":
            place = visible_colleges.filter(name=value).first()
        elif value.isdigit() and field == "branch":
            place = PartyBranch.objects.filter(pk=int(value), college__in=visible_colleges).first()
        elif value.isdigit() and field == "small_grid":
            place = SmallGrid.objects.filter(pk=int(value), branch__college__in=visible_colleges).first()
    if place is None:
        raise ServiceError(f"找不到{PLACE_NAMES[field]}，或不在您的范围内", field=field)
    return place


def holder_get(*, user, number: str, holder_kind: str = "any", field: str = "holder"):
    """Whom to appoint: the student (学号) or staff member (工号) in the user's reach,
    of the kind the post takes (`POST_RULES[kind]["holder"]`)."""
    number = (number or "").strip()
    if number and holder_kind in ("student", "any"):
        student = Student.objects.visible_to(user).filter(student_no=number).select_related("bed").first()
        if student is not None:
            return student
    if number and holder_kind in ("staff", "any"):
        staff = Staff.objects.visible_to(user).filter(staff_no=number).first()
        if staff is not None:
            return staff
    raise ServiceError("在您的管理范围内找不到该学号或工号", field=field)
