"""The coverage audit (SPEC §3, 横向到边，纵向到底，不漏一人), computed from live data.

A handful of flat queries and one pass in Python, so it answers for 50,000
students in well under two seconds and is always current (no nightly batch).
Scoped: a user sees the holes of the students, rooms, classes and colleges
they reach; the command line sees everything.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict

from campusgrid.core import clock
from campusgrid.core.scoping import Scope, scope_for
from campusgrid.org.models import College, Room, SchoolClass
from campusgrid.people import residence
from campusgrid.people.models import Residence, Staff, Student, StudentStatus

from . import eligibility
from .models import POST_RULES, PartyRoom, Post, PostKind

GAP_KINDS = {
    "student_without_room": "学生未分配寝室",
    "student_without_class": "学生未分班",
    "room_without_dorm_head": "寝室没有舍长",
    "class_without_monitor": "班级没有班长",
    "class_without_counselor": "班级没有辅导员",
    "college_without_leader": "学院没有领导网格员",
    "room_without_activist": "党建网格寝室没有入党积极分子负责",
    "room_without_small_grid": "党建网格寝室未划入有负责党员的小网格",
    "activist_with_several_rooms": "一名积极分子负责多个寝室",
    "post_holder_not_eligible": "任职人不再符合条件",
}


@dataclasses.dataclass
class Rate:
    key: str
    label: str
    total: int = 0
    covered: int = 0
    college_id: int | None = None  # a class's college: whether its page may be opened (sees_class)

    @property
    def rate(self) -> float:
        return self.covered / self.total if self.total else 1.0


@dataclasses.dataclass
class CoverageResult:
    students_total: int
    students_fully_covered: int
    gaps: list[dict]
    by_college: list[Rate]
    by_class: list[Rate]
    by_building: list[Rate]
    # True when `on` was a past day the 住宿记录 covers: rooms and enrolment as of that day
    # (people.residence); False: today's beds and enrolment (exact for today).
    as_of_history: bool = False

    @property
    def rate(self) -> float:
        return self.students_fully_covered / self.students_total if self.students_total else 1.0

    def as_json(self) -> dict:
        return {
            "students_total": self.students_total,
            "students_fully_covered": self.students_fully_covered,
            "coverage_rate": round(self.rate, 4),
            "gaps": self.gaps,
        }

    def counts_by_kind(self) -> dict[str, int]:
        return dict(Counter(g["kind"] for g in self.gaps))


def compute(user=None, *, scope: Scope | None = None, on=None) -> CoverageResult:
    """The audit as `user` sees it (None: the whole university), on the day `on` (the posts in
    term that day; for a past day the 住宿记录 covers, the beds held and the students enrolled
    that day too, see `_past_students`)."""
    today = clock.today()
    on = on or today
    past = on < today and residence.covers(on)
    if scope is None:
        scope = scope_for(user) if user is not None else None
    students = _past_students(on) if past else Student.objects.filter(status=StudentStatus.ENROLLED)
    if scope is not None and not scope.everything:
        students = students.visible_to(user)
    everyone = scope is None or scope.everything
    # One pass over the students brings their places' names and party rooms too (joins along
    # foreign keys and a one-to-one: no extra round trip per kind of name).
    fetched = (
        _fetched_on(students, on)
        if past
        else students.values_list(
            "id",
            "student_no",
            "college_id",
            "school_class_id",
            "bed__room_id",
            "bed__room__building__name",
            "bed__room__number",
            "school_class__name",
            "college__name",
            "bed__room__party_room__id",
            "bed__room__party_room__branch_id",
            "bed__room__party_room__small_grid_id",
        )
    )
    fetched = list(fetched)
    rows = [r[:5] for r in fetched]
    rooms_info = {r[4]: (r[5], r[6]) for r in fetched if r[4]}
    class_names = {r[3]: r[7] for r in fetched if r[3]}
    college_names = {r[2]: r[8] for r in fetched if r[2]}
    # a room counts in the party grid only while someone enrolled lives in it: its residents' rows
    party_rooms = {r[4]: (r[10], r[11]) for r in fetched if r[4] and r[9]}
    del fetched

    room_ids = {r[4] for r in rows if r[4]}
    class_ids = {r[3] for r in rows if r[3]}
    college_ids = {r[2] for r in rows}
    if scope is not None and not scope.everything:
        college_ids |= set(scope.manage_college_ids)

    # The students' rooms and classes as subqueries: no long id lists for a large college.
    if everyone:
        student_rooms = None
    elif past:
        student_rooms = (
            Residence.objects.on(on).filter(student_id__in=students.values("pk")).values("room_id")
        )
    else:
        student_rooms = students.filter(bed__isnull=False).values("bed__room_id")
    student_classes = (
        None if everyone else students.filter(school_class__isnull=False).values("school_class_id")
    )
    # The posts joined to nothing but the (small) staff table, then their student holders by
    # id: the database answers each from an index (one query joining the students as holders
    # would hash the whole student table).
    posts = list(
        Post.objects.current(on)
        .filter(_place_filter(student_rooms, student_classes, college_ids, party_rooms))
        .order_by()
        .values_list(
            "id",
            "kind",
            "room_id",
            "school_class_id",
            "college_id",
            "small_grid_id",
            "branch_id",
            "student_id",
            "staff_id",
            "staff__staff_no",
            "staff__name",
            "staff__active",
        )
    )
    holders = _holders(
        {p[7] for p in posts if p[7]},
        Student,
        ("student_no", "name", "status", "bed__room_id", "school_class_id", "political_status", "left_on"),
    )
    if past:  # the holders' rooms and enrolment on the day, from the same history
        room_on = residence.rooms_on(list(holders), on)
        holders = {
            i: (no, name, StudentStatus.ENROLLED if left and left > on else status, room_on.get(i), *rest)
            for i, (no, name, status, _room, *rest, left) in holders.items()
        }
    else:
        holders = {i: h[:-1] for i, h in holders.items()}
    no_student = (None,) * 6
    posts = [(*p[:8], *holders.get(p[7], no_student), *p[8:]) for p in posts]

    valid = defaultdict(set)  # (kind, place_id) has an eligible holder
    present = defaultdict(set)  # (kind, place_id) has any current holder
    activist_rooms = defaultdict(list)
    gaps: list[dict] = []
    rooms_info.update(_rooms({p[2] for p in posts if p[2]} - set(rooms_info)))
    room_labels = {rid: f"{b}/{n}" for rid, (b, n) in rooms_info.items()}
    scoped = scope is not None and not scope.everything
    party_small_grids = {sg for _, sg in party_rooms.values() if sg}
    party_branches = {b for b, _ in party_rooms.values()}
    # Names of places no student in reach names (a post's class or college without residents).
    missing = {p[3] for p in posts if p[3]} - set(class_names)
    if missing:
        class_names.update(SchoolClass.objects.filter(id__in=missing).values_list("id", "name"))
    missing = (college_ids | {p[4] for p in posts if p[4]}) - set(college_names)
    if missing:
        college_names.update(College.objects.filter(id__in=missing).values_list("id", "name"))
    for (
        post_id,
        kind,
        room_id,
        class_id,
        college_id,
        small_grid_id,
        branch_id,
        student_id,
        student_no,
        student_name,
        student_status,
        student_room,
        student_class,
        political,
        _staff_id,
        staff_no,
        staff_name,
        staff_active,
    ) in posts:
        if scoped and not (
            room_id in room_ids
            or class_id in class_ids
            or college_id in college_ids
            or small_grid_id in party_small_grids
            or branch_id in party_branches
        ):
            continue  # a post outside the user's reach: neither counted nor shown
        place_field = POST_RULES[kind]["place"]
        place_id = {
            "room": room_id,
            "school_class": class_id,
            "college": college_id,
            "small_grid": small_grid_id,
            "branch": branch_id,
            None: 0,
        }[place_field]
        present[kind].add(place_id)
        if student_id:
            why = eligibility.problem(
                kind=kind,
                holder_kind="student",
                holder_status=student_status,
                holder_room_id=student_room,
                holder_class_id=student_class,
                holder_political=political,
                place_id=place_id,
                room_in_party_area=(room_id in party_rooms) if kind == PostKind.ACTIVIST else True,
            )
        else:
            why = eligibility.problem(
                kind=kind, holder_kind="staff", holder_status="active" if staff_active else ""
            )
        if kind == PostKind.ACTIVIST and student_id:
            activist_rooms[student_id].append(room_id)
        if why:
            gap = {
                "kind": "post_holder_not_eligible",
                "post": kind,
                "post_id": post_id,
                "detail": f"{PostKind(kind).label}{student_name or staff_name}：{why}",
            }
            if student_no:
                gap["student_no"] = student_no
            if staff_no:
                gap["staff_no"] = staff_no
            if room_id:
                gap["room"] = room_labels.get(room_id, "")
            if class_id:
                gap["class"] = class_names.get(class_id, "")
            if college_id:
                gap["college"] = college_names.get(college_id, "")
            gaps.append(gap)
        else:
            valid[kind].add(place_id)

    for student_id, rooms in activist_rooms.items():
        if len(rooms) > 1:
            student_no = next(p[8] for p in posts if p[7] == student_id and p[1] == PostKind.ACTIVIST)
            gaps.append(
                {
                    "kind": "activist_with_several_rooms",
                    "student_no": student_no,
                    "rooms": sorted(room_labels.get(r, "") for r in rooms),
                    "room": room_labels.get(rooms[0], ""),
                    "detail": f"负责{len(rooms)}个寝室",
                }
            )

    small_grids_led = valid[PostKind.SMALL_GRID_LEADER]
    for college_id in sorted(college_ids, key=lambda c: college_names.get(c, "")):
        # Like rooms and classes: a hole is a missing holder; an ineligible one is its own gap.
        if college_id not in present[PostKind.LEADER]:
            gaps.append({"kind": "college_without_leader", "college": college_names.get(college_id, "")})
    for class_id in sorted(class_ids, key=lambda c: class_names.get(c, "")):
        if class_id not in present[PostKind.MONITOR]:
            gaps.append({"kind": "class_without_monitor", "class": class_names[class_id]})
        if class_id not in present[PostKind.COUNSELOR]:
            gaps.append({"kind": "class_without_counselor", "class": class_names[class_id]})
    for room_id in sorted(room_ids, key=lambda r: room_labels.get(r, "")):
        label = room_labels[room_id]
        if room_id not in present[PostKind.DORM_HEAD]:
            gaps.append({"kind": "room_without_dorm_head", "room": label})
        if room_id in party_rooms:
            _, small_grid_id = party_rooms[room_id]
            if room_id not in present[PostKind.ACTIVIST]:
                gaps.append({"kind": "room_without_activist", "room": label})
            if small_grid_id is None:
                gaps.append({"kind": "room_without_small_grid", "room": label})
            elif small_grid_id not in present[PostKind.SMALL_GRID_LEADER]:
                gaps.append(
                    {"kind": "room_without_small_grid", "room": label, "detail": "所在小网格没有负责党员"}
                )

    building_of_room = {rid: b for rid, (b, _) in rooms_info.items()}
    by_college: dict[int, Rate] = {}
    by_class: dict[int, Rate] = {}
    by_building: dict[str, Rate] = {}
    covered_total = 0
    for _id, student_no, college_id, class_id, room_id in rows:
        ok = True
        if room_id is None:
            gaps.append({"kind": "student_without_room", "student_no": student_no})
            ok = False
        if class_id is None:
            gaps.append({"kind": "student_without_class", "student_no": student_no})
            ok = False
        if ok:
            ok = (
                room_id in valid[PostKind.DORM_HEAD]
                and class_id in valid[PostKind.MONITOR]
                and class_id in valid[PostKind.COUNSELOR]
                and college_id in valid[PostKind.LEADER]
            )
            if ok and room_id in party_rooms:
                _, small_grid_id = party_rooms[room_id]
                ok = room_id in valid[PostKind.ACTIVIST] and small_grid_id in small_grids_led
        covered_total += ok
        rate = by_college.setdefault(college_id, Rate(str(college_id), college_names.get(college_id, "")))
        rate.total += 1
        rate.covered += ok
        if class_id:
            rate = by_class.setdefault(
                class_id, Rate(str(class_id), class_names.get(class_id, ""), college_id=college_id)
            )
            rate.total += 1
            rate.covered += ok
        if room_id:
            building = building_of_room.get(room_id, "")
            rate = by_building.setdefault(building, Rate(building, building))
            rate.total += 1
            rate.covered += ok
    for gap in gaps:
        gap.setdefault("label", GAP_KINDS[gap["kind"]])
    order = list(GAP_KINDS)
    gaps.sort(key=lambda g: order.index(g["kind"]))
    return CoverageResult(
        students_total=len(rows),
        students_fully_covered=covered_total,
        gaps=gaps,
        by_college=sorted(by_college.values(), key=lambda r: r.label),
        by_class=sorted(by_class.values(), key=lambda r: (r.rate, r.label)),
        by_building=sorted(by_building.values(), key=lambda r: r.label),
        as_of_history=past,
    )


def _past_students(on):
    """The students enrolled on the past day `on`: enrolled now, or left after that day (休学,
    退学 and 毕业 date `left_on`), and recorded by then. Their classes are today's (a class
    change keeps no history)."""
    import datetime as dt

    from django.db.models import Q
    from django.utils import timezone

    next_day = timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=1), dt.time()))
    return Student.objects.filter(
        Q(status=StudentStatus.ENROLLED) | Q(left_on__gt=on), created_at__lt=next_day
    )


def _fetched_on(students, on) -> list[tuple]:
    """compute()'s student rows with the room each held on `on` (people.residence), in the
    shape of today's query: the students, their stays that day, and those rooms' names and
    party rooms (three flat queries; the rooms by a subquery, no id list)."""
    base = students.order_by().values_list(
        "id", "student_no", "college_id", "school_class_id", "school_class__name", "college__name"
    )
    room_of = residence.rooms_on(students.values("pk"), on)
    rooms = {
        r[0]: r[1:]
        for r in Room.objects.filter(
            id__in=Residence.objects.on(on).filter(student_id__in=students.values("pk")).values("room_id")
        )
        .order_by()
        .values_list(
            "id",
            "building__name",
            "number",
            "party_room__id",
            "party_room__branch_id",
            "party_room__small_grid_id",
        )
    }
    none = (None,) * 5
    result = []
    for sid, number, college_id, class_id, class_name, college_name in base:
        room_id = room_of.get(sid)
        building, room_number, party_id, branch_id, small_grid_id = rooms.get(room_id, none)
        result.append(
            (
                sid,
                number,
                college_id,
                class_id,
                room_id if room_id in rooms else None,
                building,
                room_number,
                class_name,
                college_name,
                party_id,
                branch_id,
                small_grid_id,
            )
        )
    return result


def _place_filter(student_rooms, student_classes, college_ids, party_rooms):
    """Current posts over the students' rooms, classes and colleges, and the party
    posts of the branches and small grids whose rooms are in reach (None: all)."""
    from django.db.models import Q

    condition = Q(kind=PostKind.OFFICE)
    if student_rooms is None:
        return condition | ~Q(kind=PostKind.OFFICE)
    condition |= Q(room_id__in=student_rooms) | Q(school_class_id__in=student_classes)
    condition |= Q(college_id__in=college_ids)
    branches = {branch for branch, _ in party_rooms.values()}
    small_grids = {grid for _, grid in party_rooms.values() if grid}
    condition |= Q(branch_id__in=branches) | Q(small_grid_id__in=small_grids)
    return condition


def _holders(ids, model, fields) -> dict[int, tuple]:
    result = {}
    ids = list(ids)
    for start in range(0, len(ids), 5000):
        for row in (
            model.objects.filter(id__in=ids[start : start + 5000]).order_by().values_list("id", *fields)
        ):
            result[row[0]] = row[1:]
    return result


def _rooms(room_ids) -> dict[int, tuple[str, str]]:
    if not room_ids:
        return {}
    qs = Room.objects.filter(id__in=room_ids).order_by()
    return {rid: (b, n) for rid, b, n in qs.values_list("id", "building__name", "number")}


# --- the audit kept between requests, checked against its inputs (issue 15: a leader's first look) ---
#
# compute() walks every enrolled student of the reach in Python (6,000 in a large college): the
# leader's home, the coverage page, the dashboards' charts and the API each asked for it anew.
# compute_cached() keeps the result per scope and day in Django's cache under the change counters
# of every table the audit reads (core/fingerprint.py: database triggers, one indexed query). Any
# write that can open or close a hole (a post appointed or ended, a student moved, enrolled,
# withdrawn or re-classed, a bed, room, class, party room or small grid added or removed, a staff
# member deactivated — by a service, an import's bulk update, the admin or raw SQL) changes a
# counter, so the next request recomputes:
# a hole shows the moment it is created, and nothing needs to remember to invalidate. Chosen
# over counters maintained by the services because coverage is not a sum of per-row facts
# (a hole is a missing holder, eligibility depends on several rows), and over invalidation
# hooks because imports and retention write in bulk.

CACHE_SECONDS = 600


def inputs() -> tuple:
    """The models the audit reads, whose change counters key the kept result (the logins:
    eligibility asks that the holder's is active)."""
    from django.contrib.auth import get_user_model

    from campusgrid.org.models import Bed

    from .models import PartyBranch, SmallGrid

    return (
        Student,
        Staff,
        Post,
        Bed,
        Room,
        SchoolClass,
        PartyRoom,
        SmallGrid,
        PartyBranch,
        Residence,  # a past day's audit reads the 住宿记录
        get_user_model(),
    )


def watch_inputs() -> None:
    """Give the audit's tables their change counters (from the app's hooks.register())."""
    from django.contrib.auth import get_user_model

    from campusgrid.core.fingerprint import watch

    watch(*inputs()[:-1])
    watch(get_user_model(), fields=("is_active",))


def compute_cached(user, *, on=None) -> CoverageResult:
    """compute(user), kept per scope and day while the fingerprint of its inputs is unchanged:
    one query when nothing changed (the fingerprint is asked every time, so a write made in
    the same request is seen too)."""
    from campusgrid.core.fingerprint import changes, remember

    on = on or clock.today()
    scope = scope_for(user)
    return remember(
        "coverage", (scope, on), changes(*inputs()), lambda: compute(user, scope=scope, on=on), CACHE_SECONDS
    )
