"""Demo assessments, awards and work meetings: last semester's assessments (party members over
their grids' activists, activists over their rooms' applicants, a few left undone), the
branches' awards proposed from the records, decided and published, and two quarters of work
meetings with minutes, decisions and 舆情 items, one turned into a report; one branch skipped
a quarter and is flagged. Deterministic from the demo's rng; through the services except the
assessments, written in bulk (tens of thousands at 50,000 students)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from campusgrid.core import clock
from campusgrid.grid.models import PartyBranch, PartyRoom, Post, PostKind
from campusgrid.org.models import Semester
from campusgrid.people.models import PoliticalStatus, Student, StudentStatus

from .models import Assessment, AssessmentKind, AwardKind, WorkMeeting
from .selectors.meetings import meeting_people, previous_quarter, quarter_of, quarter_range

COMMENTS = [
    "带头维护寝室卫生，查寝、检查配合积极，能主动了解同学思想动态。",
    "联系寝室同学较紧密，按时完成网格工作，带头作用还可加强。",
    "寝室安全检查中主动整改隐患，及时上报同学困难，表现良好。",
    "工作认真负责，组织寝室同学参加志愿服务，群众基础好。",
]
MINUTES = [
    "传达学院党委关于学生公寓党建工作的要求；各小网格汇报本月寝室卫生、安全检查和查寝情况；"
    "分析入党积极分子在寝室中的表现；布置下阶段“党员寝室挂牌”和文明宿舍创建工作。",
    "学习《中国共产党发展党员工作细则》有关条款；通报本季度违章电器检查结果；"
    "讨论考试周寝室学习氛围建设；收集同学对公寓管理的意见建议。",
]
OPINIONS = [
    "部分同学反映热水供应时间偏短，晚间洗漱排队，情绪较大。",
    "有同学在班级群转发未经核实的宿舍调整消息，引起议论。",
    "个别寝室反映楼道灯损坏多日未修，夜间出行不便。",
]
DECISIONS = [
    "各小网格本月内完成一次寝室走访并记录",
    "整理同学意见，报学院学生公寓管理办公室",
    "组织党员寝室开展一次卫生互查",
]


def build(demo) -> None:
    rng = demo.rng
    current = demo.semester
    last = Semester.objects.filter(end__lt=current.start).order_by("-start").first()
    branches = list(
        PartyBranch.objects.filter(college__in=demo.colleges, kind=PartyBranch.Kind.STUDENT).select_related(
            "college"
        )
    )
    if last is not None:
        _assessments(rng, last)
        with clock.frozen_at(dt.datetime.combine(last.end - dt.timedelta(days=3), dt.time(15, 0))):
            for branch in branches:
                _awards(rng, branch, last)
    _meetings(rng, branches)


def _holder_user(post):
    holder = post.student or post.staff
    return holder.user if holder is not None else None


def _assessments(rng, semester) -> None:
    today = clock.today()
    leaders = {
        p.small_grid_id: p
        for p in Post.objects.current(today)
        .filter(kind=PostKind.SMALL_GRID_LEADER)
        .select_related("student__user")
    }
    activists = list(
        Post.objects.current(today)
        .filter(kind=PostKind.ACTIVIST, student__isnull=False)
        .select_related("student", "room__party_room")
        .order_by("id")
    )
    rows = []
    at = timezone.make_aware(dt.datetime.combine(semester.end - dt.timedelta(days=7), dt.time(10, 0)))
    for post in activists:
        leader = leaders.get(post.room.party_room.small_grid_id) if hasattr(post.room, "party_room") else None
        if leader is None or leader.student is None or rng.random() < 0.08:
            continue  # a few left undone: the desk shows who has not assessed whom
        rows.append(
            Assessment(
                semester=semester,
                kind=AssessmentKind.MEMBER_ON_ACTIVIST,
                subject=post.student,
                assessor=leader.student.user,
                assessor_name=leader.student.name,
                score=rng.choice([62, 75, 82, 86, 88, 90, 93, 95]),
                comment=rng.choice(COMMENTS),
                created_at=at,
                updated_at=at,
            )
        )
    by_room = {p.room_id: p for p in activists}
    applicants = Student.objects.filter(
        bed__room_id__in=list(by_room),
        political_status=PoliticalStatus.APPLICANT,
        status=StudentStatus.ENROLLED,
    ).values_list("id", "bed__room_id")
    for student_id, room_id in applicants:
        if rng.random() < 0.15:
            continue
        activist = by_room[room_id]
        rows.append(
            Assessment(
                semester=semester,
                kind=AssessmentKind.ACTIVIST_ON_APPLICANT,
                subject_id=student_id,
                assessor=activist.student.user,
                assessor_name=activist.student.name,
                score=rng.choice([70, 78, 84, 88, 91]),
                comment=rng.choice(COMMENTS),
                created_at=at,
                updated_at=at,
            )
        )
    Assessment.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)


def _awards(rng, branch, semester) -> None:
    from .selectors.awards import award_candidates
    from .services.awards import award_decide, award_propose, award_publish

    secretary = (
        Post.objects.current()
        .filter(kind=PostKind.BRANCH_SECRETARY, branch=branch)
        .select_related("student__user", "staff__user")
        .first()
    )
    leader = (
        Post.objects.current()
        .filter(kind=PostKind.LEADER, college=branch.college)
        .select_related("staff__user")
        .first()
    )
    if secretary is None or leader is None or _holder_user(secretary) is None or leader.staff.user is None:
        return
    user = _holder_user(secretary)
    candidates = award_candidates(user=user, branch=branch, semester=semester)
    awards = []
    for kind, places in ((AwardKind.EXCELLENT_MEMBER, 2), (AwardKind.ADVANCED, 3)):
        for row in [c for c in candidates[kind] if c["student"].user_id != user.pk][:places]:
            awards.append(
                award_propose(
                    actor=user,
                    branch=branch,
                    semester=semester,
                    kind=kind,
                    student_no=row["student"].student_no,
                )
            )
    if not awards:
        return
    for i, award in enumerate(awards):
        award_decide(actor=user, award=award, approve=i != 1, decided_on=clock.today(), note="支委会集体讨论")
    award_publish(actor=leader.staff.user, branch=branch, semester=semester)


def _meetings(rng, branches) -> None:
    from .services.meetings import meeting_flag_quarters, meeting_record, opinion_report

    today = clock.today()
    this = quarter_of(today)
    before = previous_quarter(*this)
    raised = False
    for index, branch in enumerate(branches):
        secretary = (
            Post.objects.current()
            .filter(kind=PostKind.BRANCH_SECRETARY, branch=branch)
            .select_related("student__user", "staff__user")
            .first()
        )
        if secretary is None or _holder_user(secretary) is None:
            continue
        user = _holder_user(secretary)
        people = list(meeting_people(branch=branch)[:12])
        rooms = list(
            PartyRoom.objects.filter(branch=branch).select_related("room__building").order_by("id")[:6]
        )
        if not people or not rooms:
            continue
        for q_index, (year, quarter) in enumerate((before, this)):
            if q_index == 0 and index == len(branches) - 1 and len(branches) > 1:
                continue  # the last branch skipped last quarter: tick flags it
            first, last = quarter_range(year, quarter)
            day = min(first + dt.timedelta(days=20 + rng.randrange(40)), today, last)
            responsible = rng.choice(people)
            meeting = meeting_record(
                actor=user,
                branch=branch,
                date=day,
                place="学生公寓党员之家",
                host_name=secretary.holder.name,
                attendees=rng.sample(people, min(len(people), 8)),
                minutes=MINUTES[q_index % len(MINUTES)],
                decisions=[
                    {
                        "text": rng.choice(DECISIONS),
                        "responsible": responsible,
                        "due_on": day + dt.timedelta(days=14),
                    }
                ],
                opinions=[
                    {
                        "text": OPINIONS[(index + k) % len(OPINIONS)],
                        "room": rng.choice(rooms).room,
                        "students": [],
                    }
                    for k in range(2)
                ],
            )
            if not raised and q_index == 1:
                item = meeting.opinions.order_by("id").first()
                opinion_report(actor=user, item=item)
                raised = True
    if WorkMeeting.objects.exists():
        meeting_flag_quarters(clock.now())
