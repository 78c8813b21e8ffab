"""The demo college's development pipeline (seed 004's proportions): a file for every student
in the pipeline — the demo's members, probationary members, candidates and activists, and
applications from 80% of the first-years — each with dated steps that follow the rules, and a
few files with warnings (an overdue talk, a candidate proposed 11 months after becoming an
activist, a graduating applicant), a 组织员 per college and one held and one scheduled
支部党员大会. Bulk-created: the bench builds 50,000 students."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from campusgrid.grid.models import PartyBranch, PartyRoom, Post, PostKind
from campusgrid.people.models import PoliticalStatus, PoliticalStatusChange, Staff, Student, StudentStatus

from . import rules
from .models.pipeline import (
    BranchMeeting,
    DevelopmentFile,
    MeetingPurpose,
    MeetingState,
    MeetingVote,
    Mentor,
    Stage,
    Step,
    StepCode,
)

PS = PoliticalStatus
S = StepCode
BATCH = 2000
STAGE_OF = {
    PS.APPLICANT: Stage.APPLICANT,
    PS.ACTIVIST: Stage.ACTIVIST,
    PS.CANDIDATE: Stage.CANDIDATE,
    PS.PROBATIONARY: Stage.PROBATIONARY,
    PS.MEMBER: Stage.FULL,
}
DAY = dt.timedelta(days=1)
OVERDUE_REVIEWS = 0.07  # the share of activists left with an overdue 半年考察


def build(demo) -> None:
    rng, today = demo.rng, demo.today
    months = rules.add_months
    branches = defaultdict(list)
    for branch in PartyBranch.objects.filter(kind=PartyBranch.Kind.STUDENT).order_by("id"):
        branches[branch.college_id].append(branch)
    room_branch = dict(PartyRoom.objects.values_list("room_id", "branch_id"))
    students = list(
        Student.objects.filter(status=StudentStatus.ENROLLED, college_id__in=list(branches))
        .values_list(
            "id",
            "college_id",
            "school_class_id",
            "bed__room_id",
            "political_status",
            "school_class__grade__year",
        )
        .order_by("id")
    )
    first_year = max((s[5] or 0) for s in students) if students else 0
    # Applications from 80% of the first-years (seed 004): their status becomes 入党申请人.
    new_applicants, history = [], []
    for row in students:
        if row[5] == first_year and row[4] in (PS.LEAGUE_MEMBER, PS.MASSES) and rng.random() < 0.8:
            new_applicants.append(row[0])
    applied_of = {sid: today - (10 + rng.randrange(70)) * DAY for sid in new_applicants}
    Student.objects.filter(id__in=new_applicants).update(political_status=PS.APPLICANT)
    history = [
        PoliticalStatusChange(
            student_id=sid, status=PS.APPLICANT, changed_on=applied_of[sid], note="演示数据：递交入党申请书"
        )
        for sid in new_applicants
    ]
    PoliticalStatusChange.objects.bulk_create(history, batch_size=BATCH)
    before = dict.fromkeys(new_applicants, PS.LEAGUE_MEMBER)
    statuses = {row[0]: (PS.APPLICANT if row[0] in applied_of else row[4]) for row in students}

    members_by_branch = defaultdict(list)
    files, plans = [], []
    for sid, college_id, class_id, room_id, _, _year in students:
        status = statuses[sid]
        if status not in STAGE_OF:
            continue
        college_branches = branches[college_id]
        branch_id = room_branch.get(room_id) or college_branches[(class_id or sid) % len(college_branches)].pk
        if status == PS.MEMBER:
            members_by_branch[branch_id].append(sid)
        plan = _plan(rng, today, status, applied_of.get(sid))
        # Files opened before the 2026 revision keep the 2014 rules.
        version = rules.default_version(plan[0][1])
        files.append(
            DevelopmentFile(
                student_id=sid,
                branch_id=branch_id,
                college_id=college_id,
                rule_version=version,
                stage=STAGE_OF[status],
                applied_on=plan[0][1],
                status_before=before.get(sid, PS.LEAGUE_MEMBER),
            )
        )
        plans.append(plan)
    # The warnings the demo shows: a handful of activists whose last 半年考察 is missing (so
    # it is overdue), overdue talks, a candidate proposed 11 months after becoming an
    # activist, a graduating applicant.
    activists = [i for i, f in enumerate(files) if f.stage == Stage.ACTIVIST]
    reviewed = [i for i in activists if any(code == S.REVIEW for code, _, _ in plans[i])]
    for i in rng.sample(reviewed, min(len(reviewed), round(OVERDUE_REVIEWS * len(activists)))):
        last = max(k for k, (code, _, _) in enumerate(plans[i]) if code == S.REVIEW)
        del plans[i][last]
    applicants = [i for i, f in enumerate(files) if f.stage == Stage.APPLICANT]
    for i in applicants[:3]:
        applied = today - (40 + rng.randrange(20)) * DAY
        files[i].applied_on = applied
        plans[i] = [(S.APPLICATION, applied, {})]
    candidates = [i for i, f in enumerate(files) if f.stage == Stage.CANDIDATE]
    if candidates:
        i = candidates[0]
        activist = today - 400 * DAY
        applied = activist - 120 * DAY
        candidate = months(activist, 11)
        plans[i] = [
            (S.APPLICATION, applied, {}),
            (S.TALK, applied + 10 * DAY, {"talker": "支部委员"}),
            (S.ACTIVIST, activist, {"source": "推优"}),
            (S.REPORT, months(activist, 3), {}),
            (S.REPORT, months(activist, 6), {}),
            (S.REPORT, months(activist, 9), {}),
            (S.REVIEW, months(activist, 6), {"text": "表现良好"}),
            (S.CANDIDATE, candidate, {}),
        ]
        files[i].applied_on = applied
        files[i].rule_version = rules.default_version(applied)
    graduating = None
    if len(applicants) > 3:
        graduating = files[applicants[3]].student_id
        Student.objects.filter(pk=graduating).update(left_on=today + 70 * DAY)
    DevelopmentFile.objects.bulk_create(files, batch_size=BATCH)
    ids = dict(DevelopmentFile.objects.values_list("student_id", "id"))
    steps, mentors = [], []
    for file, plan in zip(files, plans, strict=True):
        file.pk = ids[file.student_id]
        for code, on, data in plan:
            steps.append(Step(file_id=file.pk, code=code, on=on, data=data, note="演示数据"))
        pool = members_by_branch.get(file.branch_id) or []
        if file.stage in (Stage.ACTIVIST, Stage.CANDIDATE) and pool:
            mentor = pool[rng.randrange(len(pool))]
            if mentor != file.student_id:
                activist_on = next(on for code, on, _ in plan if code == S.ACTIVIST)
                mentors.append(
                    Mentor(file_id=file.pk, role=Mentor.Role.MENTOR, student_id=mentor, start=activist_on)
                )
    Step.objects.bulk_create(steps, batch_size=BATCH)
    Mentor.objects.bulk_create(mentors, batch_size=BATCH)
    _organisers(demo)
    _meetings(demo, files, plans)


def _plan(rng, today, status, applied=None) -> list[tuple[str, dt.date, dict]]:
    """Dated steps up to the status, each inside its legal window."""
    months = rules.add_months
    r = rng.randrange
    if status == PS.APPLICANT:
        applied = applied or today - (10 + r(150)) * DAY
        plan = [(S.APPLICATION, applied, {})]
        talk = applied + (5 + r(20)) * DAY
        if talk < today:
            plan.append((S.TALK, talk, {"talker": "支部委员"}))
        return plan
    if status == PS.ACTIVIST:
        activist = today - (40 + r(300)) * DAY
    elif status == PS.CANDIDATE:
        activist = months(today, -(13 + r(6)))
    elif status == PS.PROBATIONARY:
        meeting = today - (30 + r(300)) * DAY
        activist = months(meeting, -(15 + r(4)))
    else:
        meeting = months(today, -(14 + r(20)))
        activist = months(meeting, -(15 + r(4)))
    applied = activist - (90 + r(200)) * DAY
    plan = [
        (S.APPLICATION, applied, {}),
        (S.TALK, applied + (5 + r(20)) * DAY, {"talker": "支部委员"}),
        (S.ACTIVIST, activist, {"source": "推优" if r(3) else "推荐"}),
    ]
    # Quarterly thought reports and the branch's 半年考察, each a few days before it falls due
    # (rules: a review within six months of the last one, a report within the college's
    # months), up to today — until the admission meeting for those admitted.
    stop = months(activist, 15) if status in (PS.PROBATIONARY, PS.MEMBER) else today
    for step, every, data in (
        (S.REPORT, 3, {"title": "思想汇报"}),
        (S.REVIEW, rules.REVIEW_MONTHS, {"text": "表现良好，继续培养"}),
    ):
        due = months(activist, every)
        while due - 10 * DAY <= min(stop, today):
            on = min(due - (1 + r(10)) * DAY, today)
            plan.append((step, on, data))
            due = months(on, every)
    if status == PS.ACTIVIST:
        return plan
    candidate = months(activist, 12) + (1 + r(20)) * DAY
    plan += [
        (S.CANDIDATE, candidate, {}),
        (S.SPONSORS, candidate + 3 * DAY, {}),
        (S.POLITICAL_REVIEW, candidate + 10 * DAY, {"conclusion": "政治审查合格"}),
        (S.TRAINING, candidate + 15 * DAY, {"hours": 24, "course": "发展对象培训班"}),
    ]
    if status == PS.CANDIDATE:
        if candidate + 40 * DAY < today and r(2):
            plan.append((S.PRE_REVIEW, candidate + 40 * DAY, {"result": "合格"}))
        return sorted(plan, key=lambda p: p[1])
    pre = meeting - (7 + r(14)) * DAY
    approval = meeting + (10 + r(40)) * DAY
    plan += [
        (S.PRE_REVIEW, pre, {"result": "合格"}),
        (S.MEETING, meeting, {"members_due": 20, "present": 18, "yes": 17}),
    ]
    if approval < today:
        plan += [(S.PROBATIONARY, approval, {}), (S.OATH, approval + (3 + r(20)) * DAY, {})]
    if status == PS.MEMBER:
        end = months(meeting, 12)
        plan += [
            (S.FULL_APPLICATION, end - (20 + r(10)) * DAY, {}),
            (S.FULL_MEETING, end + (1 + r(10)) * DAY, {"members_due": 22, "present": 20, "yes": 20}),
            (S.FULL, end + (20 + r(30)) * DAY, {}),
        ]
    return sorted([p for p in plan if p[1] <= today], key=lambda p: p[1])


def _organisers(demo) -> None:
    """Each college's first leader is also its 组织员 (the committee's organiser)."""
    leaders = Post.objects.current().filter(kind=PostKind.LEADER, college__in=demo.colleges).order_by("id")
    seen = set()
    for post in leaders.select_related("staff"):
        if post.college_id in seen:
            continue
        seen.add(post.college_id)
        Staff.objects.filter(pk=post.staff_id).update(roles=f"{post.staff.roles},organiser".strip(","))


def _meetings(demo, files, plans) -> None:
    """The first branch's last admission meeting as held, with its votes."""
    by_branch = defaultdict(list)
    for file, plan in zip(files, plans, strict=True):
        meeting = next((on for code, on, _ in plan if code == S.MEETING), None)
        if meeting and file.stage == Stage.PROBATIONARY:
            by_branch[file.branch_id].append((meeting, file))
    for branch_id, rows in list(by_branch.items())[:3]:
        rows.sort(key=lambda r: r[0])
        held_on = rows[-1][0]
        meeting = BranchMeeting.objects.create(
            branch_id=branch_id,
            purpose=MeetingPurpose.ADMISSION,
            state=MeetingState.HELD,
            scheduled_for=held_on,
            held_on=held_on,
            members_due=20,
            present=18,
            written_opinions=1,
            ballots_issued=18,
            ballots_returned=18,
        )
        MeetingVote.objects.bulk_create(
            [
                MeetingVote(
                    meeting=meeting,
                    file=file,
                    yes=17,
                    no=0,
                    abstain=2,
                    passed=True,
                    resolution="支部党员大会经无记名投票表决，同意接收为中共预备党员。",
                )
                for on, file in rows
                if on == held_on
            ]
        )
