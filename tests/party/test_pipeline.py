"""One applicant walked through every stage to full member on a travelling clock, through
the stable API: each step's legal earliest date and deadline, a forbidden date refused in
Chinese naming the earliest allowed date, and the political status following the stage."""

import datetime as dt

import pytest

from campusgrid.party import services
from campusgrid.party.models import BranchMeeting, DevelopmentFile, MeetingPurpose
from campusgrid.people.models import PoliticalStatus, Student

pytestmark = pytest.mark.django_db

D = dt.date
FILES = "/api/v1/party/files/"


def step_of(body, code):
    return next(s for s in body["steps"] if s["step"] == code)


def status_of(api, world, who):
    return api(who).get(f"/api/v1/students/{world.student.student_no}/").json()["political_status"]


def hold_meeting(world, actor, purpose, held_on, **votes):
    file = DevelopmentFile.objects.get(student=world.student)
    meeting = services.meeting_schedule(
        actor=actor.user, branch=world.branch, purpose=purpose, scheduled_for=held_on, files=[file]
    )
    return services.meeting_record(
        actor=actor.user,
        meeting=meeting,
        held_on=held_on,
        members_due=5,
        present=3,
        written_opinions=1,
        ballots_issued=3,
        ballots_returned=3,
        votes={file.pk: {"yes": 3, "no": 0, "abstain": 1, "resolution": "同意接收", **votes}},
        attended=[world.monitor, world.small_grid_leader, world.branch_secretary],
    )


def test_an_applicant_walks_every_stage_to_full_member(world, api, organiser, travel):
    secretary = api(world.branch_secretary)
    committee = api(organiser)
    no = world.student.student_no
    url = f"{FILES}{no}/"
    steps = f"{url}steps/"

    travel(D(2025, 9, 8))
    r = secretary.post(
        FILES, {"student_no": no, "applied_on": "2025-09-08", "rule_version": "2026"}, format="json"
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert (
        body["stage"] == "applicant"
        and body["rule_version"] == "2026"
        and body["branch"] == world.branch.name
    )
    talk = step_of(body, "talk")
    assert (talk["earliest"], talk["deadline"]) == ("2025-09-08", "2025-10-08")
    assert "第七条" in talk["deadline_article"]
    assert status_of(api, world, world.counselor) == "入党申请人"

    travel(D(2025, 9, 20))
    r = secretary.post(steps, {"step": "talk", "date": "2025-09-20", "talker": "书记辛"}, format="json")
    assert r.status_code == 201, r.content
    assert step_of(r.json(), "talk")["date"] == "2025-09-20"

    travel(D(2025, 10, 10))
    r = secretary.post(steps, {"step": "activist", "date": "2025-10-10", "source": "推优"}, format="json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["stage"] == "activist"
    cand = step_of(body, "candidate")
    assert cand["earliest"] == "2026-10-10" and "第十三条" in cand["earliest_article"]
    assert step_of(body, "review")["deadline"] == "2026-04-10"
    assert step_of(body, "report")["college_deadline"] == "2026-01-10"
    assert status_of(api, world, world.counselor) == "入党积极分子"
    # A probationary member cannot be a mentor; full members can.
    r = secretary.post(
        steps, {"step": "mentors", "date": "2025-10-10", "people": [world.monitor.student_no]}, format="json"
    )
    assert r.status_code == 400 and "预备党员" in r.json()["detail"]
    r = secretary.post(steps, {"step": "mentors", "date": "2025-10-10", "people": ["A2002"]}, format="json")
    assert r.status_code == 201, r.content

    for day in (D(2025, 12, 20), D(2026, 3, 20), D(2026, 6, 20), D(2026, 9, 20)):
        travel(day)
        assert (
            secretary.post(steps, {"step": "report", "date": day.isoformat()}, format="json").status_code
            == 201
        )
    travel(D(2026, 3, 1))
    assert (
        secretary.post(
            steps, {"step": "review", "date": "2026-03-01", "text": "表现良好"}, format="json"
        ).status_code
        == 201
    )

    travel(D(2026, 10, 30))
    # Too early: the candidate needs a year as activist and a 公示 first.
    r = secretary.post(steps, {"step": "publicity", "date": "2026-09-28", "end": "2026-10-09"}, format="json")
    assert r.status_code == 400
    assert "2026年10月10日" in r.json()["detail"] and "不得早于" in r.json()["detail"]
    r = secretary.post(steps, {"step": "candidate", "date": "2026-10-26"}, format="json")
    assert r.status_code == 400 and "公示" in r.json()["detail"]
    r = secretary.post(steps, {"step": "publicity", "date": "2026-10-19", "end": "2026-10-23"}, format="json")
    assert r.status_code == 201, r.content
    assert step_of(r.json(), "candidate")["earliest"] == "2026-10-24"  # after 5 working days
    r = secretary.post(steps, {"step": "candidate", "date": "2026-10-23"}, format="json")
    assert r.status_code == 400 and "2026年10月24日" in r.json()["detail"]
    r = secretary.post(steps, {"step": "candidate", "date": "2026-10-26"}, format="json")
    assert r.status_code == 201 and r.json()["stage"] == "candidate"
    assert status_of(api, world, world.counselor) == "发展对象"

    # Sponsors: two full members; a probationary member is refused.
    r = secretary.post(
        steps,
        {"step": "sponsors", "date": "2026-10-27", "people": ["A2002", world.monitor.student_no]},
        format="json",
    )
    assert r.status_code == 400 and "预备党员" in r.json()["detail"] and r.json()["field"] == "people"
    r = secretary.post(
        steps, {"step": "sponsors", "date": "2026-10-27", "people": ["A2002", "A2005"]}, format="json"
    )
    assert r.status_code == 201, r.content
    r = secretary.post(steps, {"step": "political_review", "date": "2026-10-28"}, format="json")
    assert r.status_code == 400 and "书面结论" in r.json()["detail"]
    r = secretary.post(
        steps, {"step": "political_review", "date": "2026-10-28", "conclusion": "政治审查合格"}, format="json"
    )
    assert r.status_code == 201
    r = secretary.post(steps, {"step": "training", "date": "2026-10-29", "hours": 16}, format="json")
    assert r.status_code == 201
    # 预审 is the committee's, and refused while training is short of 24 学时.
    r = secretary.post(steps, {"step": "pre_review", "date": "2026-10-30"}, format="json")
    assert r.status_code == 403
    r = committee.post(steps, {"step": "pre_review", "date": "2026-10-30"}, format="json")
    assert r.status_code == 400 and "24学时" in r.json()["detail"]
    assert (
        secretary.post(
            steps, {"step": "training", "date": "2026-10-30", "hours": 8}, format="json"
        ).status_code
        == 201
    )

    travel(D(2026, 11, 2))
    r = committee.post(steps, {"step": "pre_review", "date": "2026-11-02", "result": "合格"}, format="json")
    assert r.status_code == 201, r.content
    meeting = step_of(r.json(), "meeting")
    assert (meeting["earliest"], meeting["deadline"]) == ("2026-11-02", "2026-12-02")
    assert "第十九条" in meeting["deadline_article"]
    # The meeting goes through the meeting record, not the steps endpoint.
    r = secretary.post(steps, {"step": "meeting", "date": "2026-11-20"}, format="json")
    assert r.status_code == 400

    travel(D(2026, 11, 20))
    hold_meeting(world, world.branch_secretary, MeetingPurpose.ADMISSION, D(2026, 11, 20))
    body = secretary.get(url).json()
    assert step_of(body, "meeting")["date"] == "2026-11-20"
    approval = step_of(body, "probationary")
    assert (approval["earliest"], approval["deadline"]) == ("2026-11-20", "2027-02-20")
    assert body["stage"] == "candidate"  # admitted only by the committee's approval

    travel(D(2026, 12, 10))
    r = committee.post(steps, {"step": "probationary", "date": "2026-12-10"}, format="json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["stage"] == "probationary" and body["probation_end"] == "2027-11-20"
    assert step_of(body, "oath")["deadline"] == "2027-01-10"
    assert status_of(api, world, world.counselor) == "中共预备党员"
    student = Student.objects.get(pk=world.student.pk)
    assert student.political_history.order_by("-changed_on", "-id").first().changed_on == D(2026, 11, 20)

    travel(D(2026, 12, 15))
    assert secretary.post(steps, {"step": "oath", "date": "2026-12-15"}, format="json").status_code == 201

    travel(D(2027, 10, 22))
    body = secretary.get(url).json()
    app = step_of(body, "full_application")
    assert (app["college_earliest"], app["college_deadline"]) == ("2027-10-20", "2027-11-20")
    assert (
        secretary.post(steps, {"step": "full_application", "date": "2027-10-22"}, format="json").status_code
        == 201
    )
    assert step_of(secretary.get(url).json(), "full_meeting")["earliest"] == "2027-11-20"

    travel(D(2027, 11, 21))
    hold_meeting(
        world, world.branch_secretary, MeetingPurpose.FULL, D(2027, 11, 21), resolution="同意按期转正"
    )
    full = step_of(secretary.get(url).json(), "full")
    assert (full["earliest"], full["deadline"]) == ("2027-11-21", "2028-02-21")

    travel(D(2027, 12, 1))
    r = committee.post(steps, {"step": "full", "date": "2027-12-01"}, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["stage"] == "full"
    assert status_of(api, world, world.counselor) == "中共党员"
    latest = Student.objects.get(pk=world.student.pk).political_history.order_by("-changed_on", "-id").first()
    assert (latest.status, latest.changed_on) == (
        PoliticalStatus.MEMBER,
        D(2027, 11, 20),
    )  # 党龄 from the end of probation
    assert BranchMeeting.objects.filter(branch=world.branch).count() == 2
    # Attendance went through the one attendance mechanism (service.Session, kind party_meeting).
    from campusgrid.service.models import Attendance

    session = BranchMeeting.objects.filter(branch=world.branch).first().session
    assert session.kind == "party_meeting"
    assert Attendance.objects.filter(session=session, status="present").count() == 3


def test_the_2014_rules_have_no_publicity_and_no_meeting_limit(world, api, travel):
    travel(D(2025, 9, 8))
    secretary = api(world.branch_secretary)
    r = secretary.post(
        FILES, {"student_no": "A1002", "applied_on": "2025-09-08", "rule_version": "2014"}, format="json"
    )
    body = r.json()
    assert "publicity" not in [s["step"] for s in body["steps"]]
    assert body["rule_version"] == "2014"
    assert "第七条" in step_of(body, "talk")["deadline_article"]
    # No meeting window before the 预审, and none of the 2026 one-month limits once it exists.
    assert step_of(body, "meeting")["earliest"] is None and step_of(body, "meeting")["deadline"] is None


def test_bad_bodies_answer_400_in_chinese(world, api, travel):
    travel(D(2025, 9, 8))
    secretary = api(world.branch_secretary)
    assert secretary.post(FILES, [1, 2], format="json").status_code == 400
    r = secretary.post(FILES, {"student_no": "A1002", "applied_on": "明天"}, format="json")
    assert r.status_code == 400 and r.json()["field"] == "applied_on"
    r = secretary.post(FILES, {"student_no": "A1002", "applied_on": "2025-09-09"}, format="json")
    assert r.status_code == 400 and "晚于今天" in r.json()["detail"]
    assert (
        secretary.post(FILES, {"student_no": "A1002", "applied_on": "2025-09-08"}, format="json").status_code
        == 201
    )
    r = secretary.post(FILES, {"student_no": "A1002", "applied_on": "2025-09-08"}, format="json")
    assert r.status_code == 409
    r = secretary.post(f"{FILES}A1002/steps/", {"step": "nonsense", "date": "2025-09-08"}, format="json")
    assert r.status_code == 400 and r.json()["field"] == "step"
    r = secretary.post(f"{FILES}A1002/steps/", {"step": "talk", "date": 20250908}, format="json")
    assert r.status_code == 400 and r.json()["field"] == "date"
    r = secretary.post(
        f"{FILES}A1002/steps/", {"step": "talk", "date": "2025-09-08", "talker": "x" * 5000}, format="json"
    )
    assert r.status_code == 400
    # Out of scope answers 404 like missing.
    assert api(world.leader_b).get(f"{FILES}A1002/").status_code == 404
    assert (
        api(world.leader_b)
        .post(f"{FILES}A1002/steps/", {"step": "talk", "date": "2025-09-08"}, format="json")
        .status_code
        == 404
    )
