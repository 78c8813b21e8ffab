"""Reads of the grids: each student's chains, posts, vacancy suggestions."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Prefetch, Q, Value, When

from campusgrid.core import clock
from campusgrid.core.scoping import get_visible_or_404
from campusgrid.people.models import PARTY_MEMBERS, PoliticalStatus, Student, StudentStatus

from .models import CADRE_KINDS, PartyRoom, Post, PostKind


def _current(on=None):
    return Post.objects.current(on or clock.today()).select_related("student", "staff")


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


def post_list(*, user, current_only: bool = True):
    qs = Post.objects.visible_to(user).select_related(
        "student", "staff", "room__building", "school_class", "college", "branch", "small_grid__branch"
    )
    if current_only:
        qs = qs.current()
    return qs.order_by("kind", "-start_date")


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
    return list(
        Post.objects.held_by(user)
        .current()
        .select_related("room__building", "school_class", "college", "branch", "small_grid__branch")
    )


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
