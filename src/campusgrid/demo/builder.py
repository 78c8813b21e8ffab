"""The demo college (`campusgrid demo`): a deterministic, realistic college or,
with --students 50000, a university of ~30 colleges.

Everything is written with bulk inserts so 50,000 students take about a minute.
Later apps add their records through `core.registry.register_demo_step`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F

from campusgrid.core import clock, fingerprint
from campusgrid.core.actors import SYSTEM
from campusgrid.core.crypto import digest, encrypt
from campusgrid.core.registry import DEMO_STEPS
from campusgrid.grid.models import PartyBranch, PartyRoom, Post, PostKind, SmallGrid
from campusgrid.org.models import (
    Bed,
    Building,
    College,
    Floor,
    Grade,
    Holiday,
    Major,
    Room,
    SchoolClass,
    Semester,
    University,
)
from campusgrid.people import residence
from campusgrid.people.models import PoliticalStatus, PoliticalStatusChange, Staff, Student, StudentStatus
from campusgrid.people.services import name_initials

from .names import AREAS, COLLEGE_THEMES, ETHNICITIES, ORIGINS, NameMaker

DEMO_PASSWORD = "demo1234"
BATCH = 2000
PS = PoliticalStatus


@dataclasses.dataclass
class Demo:
    """What the builder made, for later steps and for printing the logins."""

    rng: random.Random
    today: dt.date
    university: University
    colleges: list[College]
    semester: Semester
    logins: list[tuple[str, str, str]] = dataclasses.field(default_factory=list)  # (role, username, name)
    personas: dict = dataclasses.field(default_factory=dict)


def college_sizes(total: int) -> list[int]:
    if total <= 6000:
        return [total]
    count = min(len(COLLEGE_THEMES), max(2, round(total / 1700)))
    first = min(6000, total // 4)
    rest = total - first
    sizes = [first] + [rest // (count - 1)] * (count - 1)
    sizes[-1] += total - sum(sizes)
    return sizes


def build(*, students: int = 2000, seed: int = 2026, stdout=None) -> Demo:
    rng = random.Random(seed)
    names = NameMaker(rng)
    today = clock.today()
    say = (lambda msg: stdout.write(msg)) if stdout else (lambda msg: None)
    password = make_password(DEMO_PASSWORD)
    User = get_user_model()
    with transaction.atomic(), residence.dated():
        university = University.objects.create(name="示范大学")
        semester = _calendar(today)
        sizes = college_sizes(students)
        say(f"建立 {len(sizes)} 个学院，共 {students} 名学生……")
        colleges = []
        users, student_rows, staff_rows = [], [], []
        post_plan = []
        class_seq = 0
        building_seq = 0
        for index, size in enumerate(sizes):
            name, code, majors = COLLEGE_THEMES[index]
            college = College.objects.create(university=university, name=name, code=code)
            colleges.append(college)
            made = _college(rng, names, college, code, majors, size, today, index, building_seq)
            building_seq += made["buildings"]
            class_seq += len(made["classes"])
            users += made["users"]
            student_rows += made["students"]
            staff_rows += made["staff"]
            post_plan.append(made)
        # Office staff (level 5).
        office = [("X0001", "周文华"), ("X0002", "钱立新")]
        for no, person in office:
            users.append(User(username=no, first_name=person, password=password))
            staff_rows.append(
                Staff(
                    staff_no=no,
                    name=person,
                    name_initials=name_initials(person),
                    roles="office",
                    phone=names.mobile(),
                )
            )
        for u in users:
            u.password = password
        say("写入账号……")
        User.objects.bulk_create(users, batch_size=BATCH)
        user_ids = dict(User.objects.values_list("username", "id"))
        for s in student_rows:
            s.user_id = user_ids[s.student_no]
        for s in staff_rows:
            s.user_id = user_ids[s.staff_no]
        say("写入学生与教职工……")
        Student.objects.bulk_create(student_rows, batch_size=500)
        Staff.objects.bulk_create(staff_rows, batch_size=BATCH)
        student_ids = dict(Student.objects.values_list("student_no", "id"))
        staff_ids = dict(Staff.objects.values_list("staff_no", "id"))
        history = []
        for s in student_rows:
            for status, on in s._history:
                history.append(
                    PoliticalStatusChange(
                        student_id=student_ids[s.student_no], status=status, changed_on=on, note="演示数据"
                    )
                )
        PoliticalStatusChange.objects.bulk_create(history, batch_size=BATCH)
        say("建立网格……")
        posts = []
        start = semester.start - dt.timedelta(days=365)
        for made in post_plan:
            posts += _posts(rng, made, student_ids, staff_ids, start)
        posts.append(Post(kind=PostKind.OFFICE, staff_id=staff_ids["X0001"], start_date=start))
        posts.append(Post(kind=PostKind.OFFICE, staff_id=staff_ids["X0002"], start_date=start))
        Post.objects.bulk_create(posts, batch_size=BATCH)
        demo = Demo(rng=rng, today=today, university=university, colleges=colleges, semester=semester)
        _holes(demo, post_plan[0])
        _personas(demo)
        for step in DEMO_STEPS:
            say(f"演示数据：{step.name}……")
            step.run(demo)
        _superuser(password)
    # The build's row-by-row writes leave one change-counter row each on SQLite (hundreds of
    # thousands at 50,000 students): fold them now, as the served app's tick would on its first
    # minute, so the first requests do not sum them.
    fingerprint.compact()
    say(
        f"完成：{Student.objects.count()} 名学生，{Staff.objects.count()} 名教职工，{Post.objects.count()} 个网格职务记录。"
    )
    return demo


def _calendar(today: dt.date) -> Semester:
    """Semesters around today: the one running now, the one before and the next."""
    year = today.year if today.month >= 8 else today.year - 1
    autumn = Semester.objects.create(
        name=f"{year}-{year + 1}学年第一学期", start=dt.date(year, 9, 1), end=dt.date(year + 1, 1, 17)
    )
    Holiday.objects.create(
        semester=autumn, name="中秋节", start=dt.date(year, 9, 25), end=dt.date(year, 9, 27)
    )
    Holiday.objects.create(
        semester=autumn, name="国庆节", start=dt.date(year, 10, 1), end=dt.date(year, 10, 7)
    )
    Holiday.objects.create(
        semester=autumn, name="元旦", start=dt.date(year + 1, 1, 1), end=dt.date(year + 1, 1, 3)
    )
    spring_before = Semester.objects.create(
        name=f"{year - 1}-{year}学年第二学期", start=dt.date(year, 2, 23), end=dt.date(year, 7, 5)
    )
    Holiday.objects.create(
        semester=spring_before, name="清明节", start=dt.date(year, 4, 4), end=dt.date(year, 4, 6)
    )
    Holiday.objects.create(
        semester=spring_before, name="劳动节", start=dt.date(year, 5, 1), end=dt.date(year, 5, 5)
    )
    spring = Semester.objects.create(
        name=f"{year}-{year + 1}学年第二学期", start=dt.date(year + 1, 2, 22), end=dt.date(year + 1, 7, 4)
    )
    Holiday.objects.create(
        semester=spring, name="劳动节", start=dt.date(year + 1, 5, 1), end=dt.date(year + 1, 5, 5)
    )
    current = Semester.current(today)
    return current or autumn


def _political(rng: random.Random, grade_index: int) -> str:
    """Realistic proportions (seed 004: ~8% party members, ~34% activists per ~2,000 students),
    more members in the senior grades."""
    roll = rng.random()
    member_share = [0.015, 0.05, 0.10, 0.16][grade_index]
    activist_share = [0.26, 0.36, 0.38, 0.34][grade_index]
    if roll < member_share:
        status = PS.MEMBER if rng.random() < 0.45 and grade_index >= 2 else PS.PROBATIONARY
    elif roll < member_share + 0.03 * (grade_index >= 1):
        status = PS.CANDIDATE
    elif roll < member_share + activist_share:
        status = PS.ACTIVIST
    elif roll < member_share + activist_share + 0.22:
        status = PS.APPLICANT
    elif roll < 0.97:
        status = PS.LEAGUE_MEMBER
    else:
        status = PS.MASSES
    return status


def _college(rng, names, college, code, majors, size, today, college_index, building_seq):
    User = get_user_model()
    entry_year = today.year if today.month >= 8 else today.year - 1
    years = [entry_year, entry_year - 1, entry_year - 2, entry_year - 3]  # grade index 0 = freshmen
    grades = {y: Grade.objects.create(college=college, year=y) for y in years}
    major_objs = [
        (Major.objects.create(college=college, name=m), abbr)
        for m, abbr in majors[: max(2, min(len(majors), size // 300 + 2))]
    ]
    per_grade = [size // 4] * 4
    per_grade[0] += size - sum(per_grade)
    classes, users, students = [], [], []
    number = 0
    for gi, year in enumerate(years):
        count = per_grade[gi]
        n_classes = max(1, round(count / 30))
        for ci in range(n_classes):
            major, abbr = major_objs[ci % len(major_objs)]
            seq = ci // len(major_objs) + 1
            cls = SchoolClass(
                name=f"{abbr}{year % 100:02d}{seq:02d}", college=college, major=major, grade=grades[year]
            )
            cls._grade_index = gi
            cls._size = count // n_classes + (1 if ci < count % n_classes else 0)
            classes.append(cls)
    SchoolClass.objects.bulk_create(classes)
    members = defaultdict(list)
    for cls in classes:
        year = cls.grade.year
        for _ in range(cls._size):
            number += 1
            gender = (
                "男"
                if rng.random() < (0.62 if code in ("HC", "JX", "DQ", "JS", "TM", "NY", "HK") else 0.42)
                else "女"
            )
            name = names.person(gender)
            student_no = f"{year}{college_index + 1:02d}{number:05d}"
            region, origin = rng.choice(ORIGINS)
            status = _political(rng, cls._grade_index)
            id_number = names.id_number(region, year - 18, gender)
            s = Student(
                student_no=student_no,
                name=name,
                name_initials=name_initials(name),
                gender=gender,
                college=college,
                school_class=cls,
                political_status=status,
                phone=names.mobile(),
                id_number=encrypt(id_number),
                id_number_digest=digest(id_number),
                ethnicity=rng.choice(ETHNICITIES),
                origin=origin,
                parent_phone=names.mobile(),
                status=StudentStatus.ENROLLED,
            )
            s._history = _history(rng, status, year)
            s._grade_index = cls._grade_index
            members[cls.name].append(s)
            students.append(s)
            users.append(User(username=student_no, first_name=name))
    # Housing: by grade and gender, class by class; leftovers share rooms (mixed classes).
    made_buildings = 0
    rooms_by_student = {}
    room_objs, bed_objs = [], []
    buildings = {}

    def new_building(gender):
        nonlocal made_buildings
        made_buildings += 1
        seq = building_seq + made_buildings
        name = f"{AREAS[(seq - 1) // 20 % len(AREAS)]}{(seq - 1) % 20 + 1}栋"
        b = Building.objects.create(name=name, gender=gender)
        floors = {n: Floor.objects.create(building=b, number=n) for n in range(1, 7)}
        return {"building": b, "floors": floors, "next": 0}

    def next_room(gender, capacity):
        current = buildings.get(gender)
        if current is None or current["next"] >= 6 * 20:
            current = buildings[gender] = new_building(gender)
        index = current["next"]
        current["next"] += 1
        floor = index // 20 + 1
        room = Room(
            building=current["building"],
            floor=current["floors"][floor],
            number=f"{floor}{index % 20 + 1:02d}",
            capacity=capacity,
        )
        room_objs.append(room)
        return room

    for gi in range(4):
        capacity = 6 if gi == 0 else 4
        for gender in ("男", "女"):
            queue = []
            for cls in classes:
                if cls._grade_index != gi:
                    continue
                people = [s for s in members[cls.name] if s.gender == gender]
                full = len(people) // capacity * capacity
                for start in range(0, full, capacity):
                    room = next_room(gender, capacity)
                    for offset, s in enumerate(people[start : start + capacity]):
                        rooms_by_student[s.student_no] = (room, offset + 1)
                queue += people[full:]
            for start in range(0, len(queue), capacity):
                room = next_room(gender, capacity)
                for offset, s in enumerate(queue[start : start + capacity]):
                    rooms_by_student[s.student_no] = (room, offset + 1)
    Room.objects.bulk_create(room_objs, batch_size=BATCH)
    for room in room_objs:
        for n in range(1, room.capacity + 1):
            bed_objs.append(Bed(room=room, number=n))
    Bed.objects.bulk_create(bed_objs, batch_size=BATCH)
    bed_of = {(b.room_id, b.number): b for b in bed_objs}
    for s in students:
        room, n = rooms_by_student[s.student_no]
        s.bed = bed_of[(room.pk, n)]
        s._room = room
    # Staff: a counselor per ~5 classes, a class teacher per class, 3-4 leaders.
    staff = []
    staff_no = 0

    def add_staff(role, gender=None):
        nonlocal staff_no
        staff_no += 1
        gender = gender or rng.choice("男女")
        name = names.person(gender)
        no = f"T{college_index + 1:02d}{staff_no:03d}"
        member = Staff(
            staff_no=no,
            name=name,
            name_initials=name_initials(name),
            college=college,
            roles=role,
            phone=names.mobile(),
        )
        staff.append(member)
        users.append(User(username=no, first_name=name))
        return member

    leaders = [add_staff("leader") for _ in range(4 if size > 3000 else 3)]
    counselors = []
    ordered = sorted(classes, key=lambda c: (c._grade_index, c.name))
    group = 5
    for start in range(0, len(ordered), group):
        counselor = add_staff("counselor")
        counselors.append((counselor, ordered[start : start + group]))
    teachers = [(add_staff("class_teacher"), cls) for cls in classes]
    return {
        "college": college,
        "classes": classes,
        "members": members,
        "students": students,
        "users": users,
        "staff": staff,
        "leaders": leaders,
        "counselors": counselors,
        "teachers": teachers,
        "rooms": room_objs,
        "buildings": made_buildings,
        "size": size,
    }


def _history(rng, status, entry_year) -> list:
    """Dated political-status history up to `status`."""
    order = list(PS.values)
    steps = [PS.LEAGUE_MEMBER] if status != PS.MASSES else [PS.MASSES]
    if status != PS.MASSES:
        steps = list(order[1 : order.index(status) + 1])
    result = []
    day = dt.date(entry_year, 9, 1)
    for i, s in enumerate(steps):
        result.append((s, day if i == 0 else day + dt.timedelta(days=120 * i + rng.randint(0, 60))))
    return result


MEMBERS = (PS.MEMBER, PS.PROBATIONARY)  # who leads a small grid
ACTIVISTS = (PS.ACTIVIST, PS.CANDIDATE)  # who is a room's activist


def _first_unused(people, statuses, pool, used: set):
    """The first of `people` of one of `statuses` not yet given a post, else the first of
    `pool` not yet given one (None when all are); the one chosen is marked used."""
    chosen = next((s for s in people if s.political_status in statuses and s.student_no not in used), None)
    if chosen is None:
        chosen = next((s for s in pool if s.student_no not in used), None)
    if chosen is not None:
        used.add(chosen.student_no)
    return chosen


def _posts(rng, made, student_ids, staff_ids, start) -> list[Post]:
    """Both grids, complete; `_holes` then opens a few realistic gaps."""
    posts = []
    college = made["college"]
    for leader in made["leaders"]:
        posts.append(
            Post(kind=PostKind.LEADER, staff_id=staff_ids[leader.staff_no], college=college, start_date=start)
        )
    for counselor, classes in made["counselors"]:
        for cls in classes:
            posts.append(
                Post(
                    kind=PostKind.COUNSELOR,
                    staff_id=staff_ids[counselor.staff_no],
                    school_class=cls,
                    start_date=start,
                )
            )
    for teacher, cls in made["teachers"]:
        posts.append(
            Post(
                kind=PostKind.CLASS_TEACHER,
                staff_id=staff_ids[teacher.staff_no],
                school_class=cls,
                start_date=start,
            )
        )
    rank = {PS.MEMBER: 0, PS.PROBATIONARY: 0, PS.CANDIDATE: 1, PS.ACTIVIST: 1}
    cadres = set()
    for cls in made["classes"]:
        people = sorted(
            made["members"][cls.name], key=lambda s: (rank.get(s.political_status, 2), rng.random())
        )
        monitor, secretary = people[0], people[1]
        posts.append(
            Post(
                kind=PostKind.MONITOR,
                student_id=student_ids[monitor.student_no],
                school_class=cls,
                start_date=start,
            )
        )
        posts.append(
            Post(
                kind=PostKind.LEAGUE_SECRETARY,
                student_id=student_ids[secretary.student_no],
                school_class=cls,
                start_date=start,
            )
        )
        cadres |= {monitor.student_no, secretary.student_no}
    by_room = defaultdict(list)
    for s in made["students"]:
        by_room[s._room.pk].append(s)
    for room in made["rooms"]:
        people = by_room.get(room.pk)
        if not people:
            continue
        head = sorted(
            people, key=lambda s: (rank.get(s.political_status, 2), s.student_no in cadres, rng.random())
        )[0]
        posts.append(
            Post(
                kind=PostKind.DORM_HEAD, student_id=student_ids[head.student_no], room=room, start_date=start
            )
        )
    # Party grid: student branches over ~55% of the rooms, small grids of ~3 rooms,
    # one activist per room (seed 004).
    branch_count = max(1, round(made["size"] / 200))
    occupied = [r for r in made["rooms"] if by_room.get(r.pk)]
    area = occupied[: int(len(occupied) * 0.55)]
    branches = [
        PartyBranch.objects.create(college=college, name=f"{college.name}学生第{i + 1}党支部")
        for i in range(branch_count)
    ]
    per_branch = max(1, len(area) // branch_count + 1)
    party_rooms, small_grids = [], []
    used_activists = set()
    members_pool = [s for s in made["students"] if s.political_status in MEMBERS]
    activists_pool = [s for s in made["students"] if s.political_status in ACTIVISTS]
    for bi, branch in enumerate(branches):
        rooms = area[bi * per_branch : (bi + 1) * per_branch]
        secretary_pool = [s for s in members_pool if s.political_status == PS.MEMBER] or members_pool
        if secretary_pool:
            secretary = secretary_pool[bi % len(secretary_pool)]
            posts.append(
                Post(
                    kind=PostKind.BRANCH_SECRETARY,
                    student_id=student_ids[secretary.student_no],
                    branch=branch,
                    start_date=start,
                )
            )
        for gi in range(0, len(rooms), 3):
            grid = SmallGrid(branch=branch, name=f"第{gi // 3 + 1}小网格")
            grid._rooms = rooms[gi : gi + 3]
            small_grids.append(grid)
    SmallGrid.objects.bulk_create(small_grids, batch_size=BATCH)
    leaders_used = set()
    for grid in small_grids:
        residents = [s for r in grid._rooms for s in by_room[r.pk]]
        leader = _first_unused(residents, MEMBERS, members_pool, leaders_used)
        if leader is not None:
            posts.append(
                Post(
                    kind=PostKind.SMALL_GRID_LEADER,
                    student_id=student_ids[leader.student_no],
                    small_grid=grid,
                    start_date=start,
                )
            )
        for room in grid._rooms:
            party_rooms.append(PartyRoom(room=room, branch_id=grid.branch_id, small_grid=grid))
            activist = _first_unused(by_room[room.pk], ACTIVISTS, activists_pool, used_activists)
            if activist is not None:
                posts.append(
                    Post(
                        kind=PostKind.ACTIVIST,
                        student_id=student_ids[activist.student_no],
                        room=room,
                        start_date=start,
                    )
                )
    PartyRoom.objects.bulk_create(party_rooms, batch_size=BATCH)
    return posts


def _holes(demo: Demo, made) -> None:
    """A handful of true holes in the first college, made the way they happen."""
    from campusgrid.grid import services

    college = made["college"]
    rng = random.Random(7)
    heads = list(
        Post.objects.filter(
            kind=PostKind.DORM_HEAD,
            end_date__isnull=True,
            room__posts__isnull=False,
            student__college=college,
            student__school_class__grade__year=min(c.grade.year for c in made["classes"]),
        )
        .distinct()
        .order_by("id")[:40]
    )
    if len(heads) < 3:
        return
    # 1. A dorm head of the graduating grade left school (毕业/休学): the post ends, the room is open.
    graduated = heads[rng.randrange(len(heads))]
    services.student_status_change(actor=SYSTEM, student=graduated.student, status=StudentStatus.SUSPENDED)
    # 2. A dorm head moved to another room: still holds the old post, no longer eligible.
    moved = next(p for p in heads if p.pk != graduated.pk)
    free_bed = (
        Bed.objects.filter(
            student__isnull=True,
            room__in=Room.objects.filter(
                building__gender=moved.student.gender, beds__student__college=college
            ),
        )
        .exclude(room=moved.room)
        .first()
    )
    if free_bed is not None:
        services.student_move(actor=SYSTEM, student=moved.student, bed=free_bed)
    # 3. A class without a monitor: the monitor's term ended and nobody has been appointed yet.
    monitor = (
        Post.objects.filter(kind=PostKind.MONITOR, school_class__college=college, end_date__isnull=True)
        .order_by("-id")
        .first()
    )
    if monitor is not None:
        services.post_end(actor=SYSTEM, post=monitor, reason="辞去班长职务")
    # 4. A party-grid room whose activist became a development candidate elsewhere: the post ended.
    activist = (
        Post.objects.filter(
            kind=PostKind.ACTIVIST, room__party_room__branch__college=college, end_date__isnull=True
        )
        .order_by("id")[5:6]
        .first()
    )
    if activist is not None:
        services.post_end(actor=SYSTEM, post=activist, reason="调整联系寝室")
    # 5. A transfer student who has not been given a bed yet.
    newcomer = (
        Student.objects.filter(college=college, school_class__isnull=False, bed__isnull=False)
        .order_by("-student_no")
        .first()
    )
    if newcomer is not None:
        services.student_move(actor=SYSTEM, student=newcomer, bed=None)


def _personas(demo: Demo) -> None:
    """One login per kind of user, from the first college, printed by `make run`."""
    college = demo.colleges[0]
    current = Post.objects.current().filter(end_date__isnull=True)

    def first(kind, **where):
        return current.filter(kind=kind, **where).select_related("student", "staff").order_by("id").first()

    leader = first(PostKind.LEADER, college=college)
    counselor = first(PostKind.COUNSELOR, school_class__college=college)
    cls = counselor.school_class
    monitor = first(PostKind.MONITOR, school_class=cls) or first(
        PostKind.MONITOR, school_class__college=college
    )
    teacher = first(PostKind.CLASS_TEACHER, school_class=cls)
    dorm_head = first(PostKind.DORM_HEAD, student__school_class=cls, student__bed__room=F("room"))
    activist = first(PostKind.ACTIVIST, room__party_room__branch__college=college)
    small = first(PostKind.SMALL_GRID_LEADER, small_grid__branch__college=college)
    secretary = first(PostKind.BRANCH_SECRETARY, branch__college=college)
    cadre_ids = current.filter(student__isnull=False).values("student_id")
    plain = (
        Student.objects.filter(school_class=cls, status=StudentStatus.ENROLLED, bed__isnull=False)
        .exclude(id__in=cadre_ids)
        .order_by("student_no")
        .first()
    )
    office = first(PostKind.OFFICE)
    other_college = demo.colleges[1] if len(demo.colleges) > 1 else None
    rows = [
        ("系统管理员", "admin", "系统管理员"),
        ("学校学工部（全校）", office.staff.staff_no, office.staff.name),
        (f"学院领导（{college.name}）", leader.staff.staff_no, leader.staff.name),
        (f"辅导员（{cls.name} 等）", counselor.staff.staff_no, counselor.staff.name),
        (f"班主任（{cls.name}）", teacher.staff.staff_no, teacher.staff.name),
        (f"班长（{monitor.school_class.name}）", monitor.student.student_no, monitor.student.name),
    ]
    if dorm_head:
        rows.append((f"舍长（{dorm_head.room.label}）", dorm_head.student.student_no, dorm_head.student.name))
    if secretary:
        rows.append(
            (f"支部书记（{secretary.branch.name}）", secretary.student.student_no, secretary.student.name)
        )
    if small:
        rows.append((f"网格党员（{small.small_grid}）", small.student.student_no, small.student.name))
    if activist:
        rows.append(
            (
                f"入党积极分子（微网格 {activist.room.label}）",
                activist.student.student_no,
                activist.student.name,
            )
        )
    if plain:
        rows.append(("普通学生", plain.student_no, plain.name))
    if other_college:
        other = first(PostKind.LEADER, college=other_college)
        rows.append((f"学院领导（{other_college.name}）", other.staff.staff_no, other.staff.name))
    demo.logins = rows
    demo.personas = {
        "leader": leader,
        "counselor": counselor,
        "monitor": monitor,
        "dorm_head": dorm_head,
        "class": cls,
        "plain": plain,
    }


def _superuser(password: str) -> None:
    User = get_user_model()
    User.objects.create(
        username="admin", first_name="系统管理员", is_staff=True, is_superuser=True, password=password
    )
