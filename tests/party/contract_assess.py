"""Assessments, awards and work meetings (party-assess) in the scoping contract, asserted by
tests/scoping/test_endpoints.py over the records `build` makes: a semester around today,
张三 (301) and 李四 (302) applicants, the small grid's assessment of 积极分子乙 and his of 张三,
a work meeting of the branch with a 舆情 item, a proposal of 积极分子乙 for 先进个人."""

import datetime as dt

from tests.scoping.endpoints import COLLEGE_B, EVERYONE, Endpoint, personas

R = "party_assess"
DESK = personas("branch_secretary", "leader", "office")
NOT_DESK = EVERYONE - DESK
SHEET = personas(
    "activist", "small_grid_leader", "branch_secretary", "counselor", "class_teacher", "leader", "office"
)
MEETING = personas("branch_secretary", "small_grid_leader", "activist", "leader", "office")
SCORE_OF_A1003 = personas("small_grid_leader", "activist", "counselor", "class_teacher", "leader", "office")
OUTSIDERS = personas("student", "leader_b")


def build(world) -> dict:
    from campusgrid.core import clock
    from campusgrid.org.models import Semester
    from campusgrid.party.models import AwardKind
    from campusgrid.party.services.assess import assessment_record
    from campusgrid.party.services.awards import award_propose
    from campusgrid.party.services.meetings import meeting_record
    from campusgrid.people.models import PoliticalStatus

    today = clock.today()
    semester = Semester.objects.create(
        name="党建评议合同学期", start=today - dt.timedelta(days=60), end=today + dt.timedelta(days=60)
    )
    for who in ("student", "mixed_a2"):
        world[who].political_status = PoliticalStatus.APPLICANT
        world[who].save(update_fields=["political_status"])
    member = assessment_record(
        actor=world.small_grid_leader.user,
        semester=semester,
        student_no="A1003",
        score=90,
        comment="带头作用好",
    )
    assessment_record(
        actor=world.activist.user, semester=semester, student_no="A1002", score=85, comment="积极向上"
    )
    meeting = meeting_record(
        actor=world.branch_secretary.user,
        branch=world.branch,
        date=today,
        minutes="通报寝室检查情况",
        attendees=[world.small_grid_leader, world.activist],
        opinions=[{"text": "热水时间短", "room": world.room_a1, "students": []}],
    )
    award = award_propose(
        actor=world.branch_secretary.user,
        branch=world.branch,
        semester=semester,
        kind=AwardKind.ADVANCED,
        student_no="A1003",
    )
    return {
        "semester": semester,
        "assessment": member,
        "meeting": meeting,
        "item": meeting.opinions.get(),
        "award": award,
    }


RECORDS = {R: build}


def _desk(w, r):
    return {"branch": w.branch.pk, "semester": r["semester"].pk}


ENDPOINTS = [
    # pages
    Endpoint(
        "party:assess-mine",
        sees=personas("activist", "small_grid_leader"),
        hidden=EVERYONE - personas("activist", "small_grid_leader"),
        records=R,
    ),
    Endpoint(
        "party:assess-form",
        lambda w, r: ["A1002"],
        sees=personas("activist"),
        hidden=personas("small_grid_leader", "student", "dorm_head", "counselor", "branch_secretary")
        | COLLEGE_B,
        records=R,
    ),
    Endpoint(
        "party:assess-form",
        lambda w, r: ["A1002"],
        method="POST",
        refused=personas("small_grid_leader", "student", "dorm_head", "counselor") | COLLEGE_B,
        data=lambda w, r: {"score": "80", "comment": "表现良好", "version": "1"},
        records=R,
    ),
    Endpoint(
        "party:assess-sheet",
        lambda w, r: ["A1003"],
        sees=SHEET,
        hidden=personas("student", "dorm_head", "monitor") | COLLEGE_B,
        records=R,
    ),
    Endpoint("party:assess-progress", sees=DESK, hidden=NOT_DESK, records=R),
    Endpoint("party:award-list", sees=DESK, hidden=NOT_DESK, records=R),
    Endpoint("party:award-list", query={"format": "xlsx"}, sees=EVERYONE, records=R),
    Endpoint(
        "party:award-propose",
        method="POST",
        refused=personas("small_grid_leader", "activist", "student", "counselor") | COLLEGE_B,
        data=lambda w, r: {**_desk(w, r), "kind": "advanced", "student_no": "A1006"},
        records=R,
    ),
    Endpoint(
        "party:award-decide",
        lambda w, r: [r["award"].pk],
        method="POST",
        refused=personas("small_grid_leader", "activist", "student", "counselor") | COLLEGE_B,
        data=lambda w, r: {"decision": "approve", "decided_on": dt.date.today().isoformat()},
        records=R,
    ),
    Endpoint(
        "party:award-publish",
        method="POST",
        refused=personas("small_grid_leader", "activist", "student") | COLLEGE_B,
        data=_desk,
        records=R,
    ),
    Endpoint(
        "party:award-quota",
        method="POST",
        refused=personas("small_grid_leader", "activist", "student") | COLLEGE_B,
        data=lambda w, r: {**_desk(w, r), "kind": "advanced", "quota": "9"},
        records=R,
    ),
    Endpoint("party:meeting-list", sees=DESK, hidden=NOT_DESK, records=R),
    Endpoint(
        "party:meeting-new",
        sees=personas("branch_secretary"),
        hidden=personas("leader", "office", "activist", "small_grid_leader", "student") | COLLEGE_B,
        records=R,
    ),
    Endpoint(
        "party:meeting-new",
        method="POST",
        refused=personas("leader", "activist", "student") | COLLEGE_B,
        data=lambda w, r: {"branch": w.branch.pk, "date": dt.date.today().isoformat(), "minutes": "纪要内容"},
        records=R,
    ),
    Endpoint(
        "party:meeting-detail",
        lambda w, r: [r["meeting"].pk],
        sees=MEETING,
        hidden=personas("student", "dorm_head", "counselor", "monitor") | COLLEGE_B,
        records=R,
    ),
    Endpoint(
        "party:opinion-report",
        lambda w, r: [r["item"].pk],
        method="POST",
        refused=personas("student", "dorm_head", "counselor") | COLLEGE_B,
        records=R,
    ),
    # API
    Endpoint("party-assessment-list", sees=EVERYONE, records=R),
    Endpoint(
        "party-assessment-list",
        method="POST",
        refused=personas("student", "dorm_head", "counselor", "branch_secretary") | COLLEGE_B,
        data=lambda w, r: {"student_no": "A1006", "score": 80, "comment": "表现良好"},
        records=R,
    ),
    Endpoint(
        "party-assessment-detail",
        lambda w, r: [r["assessment"].pk],
        sees=SCORE_OF_A1003,
        hidden=personas("student", "dorm_head", "monitor", "branch_secretary") | COLLEGE_B,
        records=R,
    ),
    Endpoint("party-assessment-mine", sees=EVERYONE, records=R),
    Endpoint("party-assessment-progress", sees=DESK, hidden=NOT_DESK, records=R),
    Endpoint(
        "party-assessment-sheet",
        query={"student_no": "A1003"},
        sees=SHEET,
        hidden=personas("student", "dorm_head", "monitor") | COLLEGE_B,
        records=R,
    ),
    Endpoint("party-award-list", sees=EVERYONE, records=R),
    Endpoint(
        "party-award-detail",
        lambda w, r: [r["award"].pk],
        sees=DESK,
        hidden=personas("activist", "student", "small_grid_leader", "dorm_head", "counselor") | COLLEGE_B,
        records=R,
    ),
    Endpoint("party-award-candidates", sees=DESK, hidden=NOT_DESK, records=R),
    Endpoint(
        "party-award-propose",
        method="POST",
        refused=personas("activist", "student", "small_grid_leader", "leader") | COLLEGE_B,
        data=lambda w, r: {**_desk(w, r), "kind": "advanced", "student_no": "A1006"},
        records=R,
    ),
    Endpoint(
        "party-award-decide",
        lambda w, r: [r["award"].pk],
        method="POST",
        refused=personas("activist", "student", "small_grid_leader", "leader") | COLLEGE_B,
        data=lambda w, r: {"approve": True, "decided_on": dt.date.today().isoformat()},
        records=R,
    ),
    Endpoint(
        "party-award-publish",
        method="POST",
        refused=personas("activist", "student", "small_grid_leader", "branch_secretary") | COLLEGE_B,
        data=_desk,
        records=R,
    ),
    Endpoint("party-meeting-list", sees=EVERYONE, records=R),
    Endpoint(
        "party-meeting-list",
        method="POST",
        refused=personas("leader", "activist", "student") | COLLEGE_B,
        data=lambda w, r: {
            "branch": w.branch.pk,
            "date": dt.date.today().isoformat(),
            "minutes": "纪要内容",
            "attendees": ["A1003"],
        },
        records=R,
    ),
    Endpoint(
        "party-meeting-detail",
        lambda w, r: [r["meeting"].pk],
        sees=MEETING,
        hidden=personas("student", "dorm_head", "counselor", "monitor") | COLLEGE_B,
        records=R,
    ),
    Endpoint(
        "party-meeting-report-opinion",
        lambda w, r: [r["meeting"].pk],
        method="POST",
        refused=personas("activist", "small_grid_leader", "student") | COLLEGE_B,
        data=lambda w, r: {"item": r["item"].pk},
        records=R,
    ),
]
