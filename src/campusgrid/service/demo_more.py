"""Demo pairings, 舆情 reports and visits (registered in hooks_more): deterministic from the
demo's rng, written in bulk where the rows are many (reports, visits), through the services
where the rules matter (marking 就业困难, pairing, turning an item into a report)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from campusgrid.core import clock
from campusgrid.core.names import person_name
from campusgrid.grid.models import Post, PostKind
from campusgrid.people.models import PARTY_MEMBERS, Student, StudentStatus

from .models import (
    Cadence,
    ContactWay,
    FollowUp,
    ItemKind,
    ItemSeverity,
    OpinionItem,
    OpinionReport,
    OpinionSettings,
    Outcome,
    Pairing,
    PairingContact,
    PairingSettings,
    Source,
    Visit,
    VisitKind,
    VisitTarget,
)
from .models.visits import DEFAULT_TARGETS

GOALS = [
    "毕业前落实签约单位",
    "完成简历并参加三场招聘会",
    "准备公务员考试",
    "考研复试辅导",
    "了解基层就业项目",
]
CONTACTS = [
    "一起修改简历，补充了实习经历",
    "推荐了两家对口企业的招聘信息",
    "模拟面试一次，指出表达问题",
    "电话了解求职进展，情绪稳定",
    "陪同参加校园招聘会",
]
ITEMS = [
    (ItemKind.ONLINE, Source.ONLINE, "微信", "班级群内有同学转发未经证实的校园传言", ItemSeverity.NORMAL),
    (ItemKind.THOUGHT, Source.OFFLINE, "", "个别同学对奖学金评定结果有意见", ItemSeverity.NORMAL),
    (ItemKind.SAFETY, Source.OFFLINE, "", "楼道有人私拉电线给电动车充电", ItemSeverity.SERIOUS),
    (ItemKind.LIVING, Source.OFFLINE, "", "宿舍热水供应不稳定，同学反映较多", ItemSeverity.NORMAL),
    (ItemKind.ONLINE, Source.ONLINE, "QQ", "有人在群里推广兼职刷单，疑似诈骗", ItemSeverity.SERIOUS),
    (ItemKind.STUDY, Source.OFFLINE, "", "期中考试前部分同学焦虑情绪明显", ItemSeverity.NORMAL),
]
SEEN = [
    "卫生良好，物品摆放整齐",
    "有同学作息不规律，已提醒",
    "发现违规电器一件，已没收",
    "同学反映网络不稳定",
    "寝室关系融洽",
]


def build(demo) -> None:
    for role, kind, per, times in DEFAULT_TARGETS:  # after a flush (demo --replace)
        VisitTarget.objects.get_or_create(role=role, kind=kind, per=per, defaults={"times": times})
    rng = demo.rng
    today = clock.today()
    current = Post.objects.current()
    counselors = {
        p.school_class_id: p.staff.user
        for p in current.filter(kind=PostKind.COUNSELOR).select_related("staff__user")
        if p.staff.user_id
    }
    _pairings(demo, rng, today, counselors)
    _opinion(demo, rng, today, counselors)
    _visits(demo, rng, today, current)


def _pairings(demo, rng, today, counselors) -> None:
    from . import services

    year = PairingSettings.get().graduating_year(today)
    for college in demo.colleges:
        seniors = list(
            Student.objects.filter(
                college=college,
                status=StudentStatus.ENROLLED,
                school_class__grade__year=year,
                user__isnull=False,
            )
            .exclude(political_status__in=PARTY_MEMBERS)
            .order_by("student_no")
        )
        members = list(
            Student.objects.filter(
                college=college, status=StudentStatus.ENROLLED, political_status__in=PARTY_MEMBERS
            )
            .exclude(user__isnull=True)
            .select_related("user")
            .order_by("student_no")
        )
        if not seniors or not members:
            continue
        _job_posts(rng, today, college, seniors, counselors)
        count = min(len(seniors), max(4, len(seniors) // 60), 12)
        for index, student in enumerate(rng.sample(seniors, count)):
            actor = counselors.get(student.school_class_id)
            if actor is None:
                continue
            services.employment_difficulty_mark(actor=actor, student=student)
            mentor = rng.choice(members).user
            pairing = services.pairing_create(
                actor=actor, student=student, mentor=mentor, goal=rng.choice(GOALS)
            )
            started = today - dt.timedelta(days=rng.randint(40, 90))
            contacts, day = [], started
            for _ in range(rng.randint(0, 4)):
                day = day + dt.timedelta(days=rng.randint(5, 16))
                if day > today:
                    break
                contacts.append(
                    PairingContact(
                        pairing=pairing,
                        contacted_on=day,
                        way=rng.choice(ContactWay.values),
                        content=rng.choice(CONTACTS),
                        next_step="下周继续跟进",
                        recorded_by=mentor,
                        recorded_by_name=person_name(mentor),
                    )
                )
            PairingContact.objects.bulk_create(contacts)
            outcome = [
                Outcome.PENDING,
                Outcome.SIGNED,
                Outcome.PENDING,
                Outcome.FURTHER,
                Outcome.FLEXIBLE,
                Outcome.ABROAD,
            ][index % 6]
            Pairing.objects.filter(pk=pairing.pk).update(
                started_on=started,
                last_contact_on=contacts[-1].contacted_on if contacts else started,
                outcome=outcome,
                outcome_on=None if outcome == Outcome.PENDING else min(today, day + dt.timedelta(days=3)),
                outcome_note="" if outcome == Outcome.PENDING else "演示数据",
            )


JOBS = [
    ("某化工集团有限公司", "工艺工程师"),
    ("某新材料科技公司", "研发助理"),
    ("某检测认证中心", "检测技术员"),
    ("某制药股份公司", "质量管理专员"),
]


def _job_posts(rng, today, college, seniors, counselors) -> None:
    from campusgrid.org.models import Major

    from . import services

    actor = next((counselors[s.school_class_id] for s in seniors if s.school_class_id in counselors), None)
    majors = list(Major.objects.filter(college=college).order_by("name"))
    if actor is None or not majors:
        return
    for company, position in JOBS:
        services.job_post_create(
            actor=actor,
            college=college,
            company=company,
            position=position,
            majors=rng.sample(majors, min(len(majors), rng.randint(1, 2))),
            deadline=today + dt.timedelta(days=rng.randint(7, 40)),
            link="https://job.example.edu.cn/",
            note="校园招聘，线上投递简历",
        )


def _opinion(demo, rng, today, counselors) -> None:
    from .selectors.opinion import expected_reporters, week_start
    from .services import opinion_item_escalate

    OpinionSettings.get()
    reporters = expected_reporters(on=today)
    this_week = week_start(today)
    reports, plans = [], []
    for weeks_back in range(4, -1, -1):
        start = this_week - dt.timedelta(days=7 * weeks_back)
        share = (
            0.6 if weeks_back == 0 else 0.93
        )  # this week is still under way; earlier weeks have a few missing
        for row in reporters:
            if rng.random() > share:
                continue
            with_item = rng.random() < 0.12
            submitted = (
                clock.now() - dt.timedelta(days=7 * weeks_back) - dt.timedelta(hours=rng.randint(1, 60))
            )
            report = OpinionReport(
                reporter=row["user"],
                reporter_name=row["name"],
                cadence=Cadence.WEEKLY,
                period_start=start,
                college_id=row["college_id"],
                school_class_id=row["school_class_id"],
                room_id=row["room_id"],
                nothing_to_report=not with_item,
                submitted_at=max(submitted, _aware(start)),
            )
            reports.append(report)
            if with_item:
                plans.append(report)
    OpinionReport.objects.bulk_create(reports, batch_size=2000)
    items = []
    for index, report in enumerate(plans):
        kind, source, platform, summary, severity = ITEMS[index % len(ITEMS)]
        items.append(
            OpinionItem(
                report=report,
                kind=kind,
                source=source,
                platform=platform,
                summary=summary,
                severity=severity,
                created_at=report.submitted_at,
            )
        )
    OpinionItem.objects.bulk_create(items, batch_size=2000)
    # One item of last week turned into a problem report, by the reporter's counselor.
    for item in OpinionItem.objects.filter(
        report__period_start__lt=this_week, report__room__isnull=False, report__school_class__isnull=False
    ).select_related("report")[:20]:
        actor = counselors.get(item.report.school_class_id)
        if actor is not None:
            opinion_item_escalate(actor=actor, item=item)
            break


def _aware(day):
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


def _visits(demo, rng, today, current) -> None:
    start = (
        max(demo.semester.start, today - dt.timedelta(days=150))
        if demo.semester
        else today - dt.timedelta(days=90)
    )
    span = max((today - start).days, 1)
    pairs = (
        Student.objects.filter(status=StudentStatus.ENROLLED, bed__isnull=False, school_class__isnull=False)
        .values_list("school_class_id", "bed__room_id", "college_id")
        .distinct()
    )
    rooms_of = defaultdict(set)
    college_of = {}
    for class_id, room_id, college_id in pairs:
        rooms_of[class_id].add(room_id)
        college_of[class_id] = college_id
    plans = []  # (visit, rooms, visitor)
    for post in (
        current.filter(kind__in=[PostKind.COUNSELOR, PostKind.CLASS_TEACHER])
        .select_related("staff__user")
        .order_by("id")
    ):
        user = post.staff.user
        if user is None or post.school_class_id not in rooms_of:
            continue
        rooms = sorted(rooms_of[post.school_class_id])
        # Most rooms visited once or twice; some not yet (what 走访进度 lists).
        visits_per_room = {r: rng.choice([0, 0, 1, 1, 2, 2, 3]) for r in rooms}
        queue = [r for r, n in visits_per_room.items() for _ in range(n)]
        rng.shuffle(queue)
        while queue:
            size = rng.randint(3, 6)
            batch, queue = sorted(set(queue[:size])), queue[size:]
            day = start + dt.timedelta(days=rng.randrange(span))
            plans.append(
                (
                    Visit(
                        kind=VisitKind.DORM,
                        visited_on=day,
                        college_id=college_of[post.school_class_id],
                        seen=rng.choice(SEEN),
                        recorded_by=user,
                        recorded_by_name=person_name(user),
                    ),
                    batch,
                    user,
                )
            )
        if post.kind == PostKind.COUNSELOR:
            for _ in range(rng.randint(0, 3)):
                day = start + dt.timedelta(days=rng.randrange(span))
                plans.append(
                    (
                        Visit(
                            kind=VisitKind.CLASSROOM,
                            visited_on=day,
                            college_id=college_of[post.school_class_id],
                            school_class_id=post.school_class_id,
                            seen="课堂纪律良好，到课率高",
                            recorded_by=user,
                            recorded_by_name=person_name(user),
                        ),
                        [],
                        user,
                    )
                )
    college_rooms = defaultdict(list)
    for class_id, rooms in rooms_of.items():
        college_rooms[college_of[class_id]].extend(sorted(rooms))
    for post in current.filter(kind=PostKind.LEADER).select_related("staff__user").order_by("id"):
        user = post.staff.user
        rooms = sorted(set(college_rooms.get(post.college_id, [])))
        if user is None or not rooms:
            continue
        month = start.replace(day=1)
        while month <= today:
            day = min(today, month + dt.timedelta(days=rng.randint(5, 20)))
            plans.append(
                (
                    Visit(
                        kind=VisitKind.DORM,
                        visited_on=day,
                        college_id=post.college_id,
                        seen="带领学工队伍检查宿舍安全",
                        companions="学工办老师、辅导员",
                        recorded_by=user,
                        recorded_by_name=person_name(user),
                    ),
                    rng.sample(rooms, min(3, len(rooms))),
                    user,
                )
            )
            month = (month + dt.timedelta(days=32)).replace(day=1)
    Visit.objects.bulk_create([v for v, _, _ in plans], batch_size=2000)
    room_links = [Visit.rooms.through(visit_id=v.pk, room_id=r) for v, rooms, _ in plans for r in rooms]
    visitor_links = [Visit.visitors.through(visit_id=v.pk, user_id=u.pk) for v, _, u in plans]
    Visit.rooms.through.objects.bulk_create(room_links, batch_size=5000)
    Visit.visitors.through.objects.bulk_create(visitor_links, batch_size=5000)
    follow_ups = [FollowUp(visit=v, text="跟进违规电器处理情况") for v, _, _ in plans if "违规电器" in v.seen]
    FollowUp.objects.bulk_create(follow_ups, batch_size=2000)
