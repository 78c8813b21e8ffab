"""The pipeline's pages and endpoints in the scoping contract (tests/scoping/test_endpoints.py).

Records: 张三 (A1002, room 301) an applicant; 李四 (A2001, room 302, class A2) a development
candidate with a 政审 conclusion, on a scheduled branch meeting; 王五 (B1002) in college B's
branch; a PDF material on 张三's file."""

import datetime as dt

from tests.scoping.endpoints import COLLEGE_B, EVERYONE, Endpoint, Exempt, personas

R = "party_pipeline"

# 张三's file: his branch's secretary, the small-grid member, the activist of room 301 (an
# applicant), counselors, A1's class teacher, the leader, the office, and himself.
SEES_A1002 = personas(
    "activist",
    "small_grid_leader",
    "branch_secretary",
    "counselor",
    "class_teacher",
    "leader",
    "office",
    "student",
)
HIDDEN_A1002 = COLLEGE_B | personas("dorm_head", "monitor")
# 李四 (a candidate, class A2): not the activist (applicants only), not A1's class teacher.
SEES_A2001 = personas("small_grid_leader", "branch_secretary", "counselor", "leader", "office")
HIDDEN_A2001 = COLLEGE_B | personas("dorm_head", "monitor", "activist", "class_teacher", "student")
MANAGERS_A = personas("branch_secretary", "leader", "office")
NOT_MANAGERS_A = EVERYONE - MANAGERS_A
CANNOT_RECORD_A1002 = COLLEGE_B | personas(
    "dorm_head", "monitor", "student", "activist", "counselor", "class_teacher", "small_grid_leader"
)


def build(world) -> dict:
    from django.core.files.base import ContentFile

    from campusgrid.core import clock
    from campusgrid.party.models import BranchMeeting, DevelopmentFile, Material, MeetingVote, Step
    from tests import factories as f

    today = clock.today()
    a = DevelopmentFile.objects.create(
        student=world.student,
        branch=world.branch,
        college=world.college_a,
        rule_version="2026",
        applied_on=today,
    )
    Step.objects.create(file=a, code="application", on=today)
    c = DevelopmentFile.objects.create(
        student=world.mixed_a2,
        branch=world.branch,
        college=world.college_a,
        rule_version="2026",
        applied_on=today - dt.timedelta(days=800),
        stage="candidate",
    )
    for code, days, data in (
        ("application", 800, {}),
        ("talk", 790, {}),
        ("activist", 700, {}),
        ("candidate", 100, {}),
        ("political_review", 90, {"conclusion": "政审合格（机密）"}),
    ):
        Step.objects.create(file=c, code=code, on=today - dt.timedelta(days=days), data=data)
    branch_b = f.BranchFactory(college=world.college_b, name="机械学院学生第一党支部")
    f.PartyRoomFactory(room=world.room_b1, branch=branch_b)
    b = DevelopmentFile.objects.create(
        student=world.student_b,
        branch=branch_b,
        college=world.college_b,
        rule_version="2026",
        applied_on=today,
    )
    Step.objects.create(file=b, code="application", on=today)
    meeting = BranchMeeting.objects.create(branch=world.branch, purpose="admission", scheduled_for=today)
    MeetingVote.objects.create(meeting=meeting, file=c)
    material = Material(file=a, kind="application", name="申请书.pdf", content_type="application/pdf", size=9)
    material.upload.save("申请书.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return {"a": a, "c": c, "b": b, "meeting": meeting, "material": material}


RECORDS = {R: build}


def _a(w, r):
    return ["A1002"]


def _c(w, r):
    return ["A2001"]


ENDPOINTS = [
    Endpoint("party:board", sees=EVERYONE, records=R),
    Endpoint("party:board", query={"format": "xlsx"}, sees=EVERYONE, records=R),
    Endpoint(
        "party:file-new",
        sees=personas("branch_secretary", "leader", "office", "leader_b"),
        hidden=personas(
            "dorm_head", "monitor", "activist", "student", "counselor", "class_teacher", "student_b"
        ),
        records=R,
    ),
    Endpoint(
        "party:file-new",
        method="POST",
        refused=personas(
            "dorm_head", "monitor", "activist", "student", "counselor", "class_teacher", "student_b"
        ),
        data=lambda w, r: {"student_no": "A1005", "applied_on": "2026-01-05"},
        records=R,
    ),
    Endpoint("party:file", _a, sees=SEES_A1002, hidden=HIDDEN_A1002, records=R),
    Endpoint("party:file", _c, sees=SEES_A2001, hidden=HIDDEN_A2001, records=R),
    Endpoint(
        "party:step",
        _a,
        method="POST",
        refused=CANNOT_RECORD_A1002,
        data=lambda w, r: {"step": "talk", "talk-date": "2026-01-05", "talk-talker": "某某"},
        records=R,
    ),
    Endpoint(
        "party:material-upload",
        _a,
        method="POST",
        refused=CANNOT_RECORD_A1002,
        data=lambda w, r: {"kind": "application"},
        records=R,
    ),
    Endpoint(
        "party:material",
        lambda w, r: ["A1002", r["material"].pk],
        sees=SEES_A1002,
        hidden=HIDDEN_A1002,
        records=R,
    ),
    Endpoint("party:register-pdf", _a, sees=SEES_A1002, hidden=HIDDEN_A1002, records=R),
    Endpoint("party:meetings", sees=EVERYONE, records=R),
    Endpoint(
        "party:meetings",
        method="POST",
        refused=NOT_MANAGERS_A - personas("leader_b"),
        data=lambda w, r: {"branch": w.branch.pk, "purpose": "admission", "scheduled_for": "2026-01-05"},
        records=R,
    ),
    Endpoint(
        "party:meeting", lambda w, r: [r["meeting"].pk], sees=MANAGERS_A, hidden=NOT_MANAGERS_A, records=R
    ),
    Endpoint(
        "party:meeting",
        lambda w, r: [r["meeting"].pk],
        method="POST",
        refused=NOT_MANAGERS_A,
        data=lambda w, r: {"held_on": "2026-01-05"},
        records=R,
    ),
    Endpoint("party-file-list", sees=EVERYONE, records=R),
    Endpoint(
        "party-file-list",
        method="POST",
        refused=CANNOT_RECORD_A1002 | personas("leader_b"),
        data=lambda w, r: {"student_no": "A1005", "applied_on": "2026-01-05"},
        records=R,
    ),
    Endpoint("party-file-detail", _a, sees=SEES_A1002, hidden=HIDDEN_A1002, records=R),
    Endpoint("party-file-detail", _c, sees=SEES_A2001, hidden=HIDDEN_A2001, records=R),
    Endpoint(
        "party-file-steps",
        _a,
        method="POST",
        refused=CANNOT_RECORD_A1002,
        data=lambda w, r: {"step": "talk", "date": "2026-01-05"},
        records=R,
    ),
    Endpoint("party-assembly-list", sees=EVERYONE, records=R),
    Endpoint(
        "party-assembly-detail",
        lambda w, r: [r["meeting"].pk],
        sees=MANAGERS_A,
        hidden=NOT_MANAGERS_A,
        records=R,
    ),
]

_ = Exempt  # every pipeline URL is scoped
