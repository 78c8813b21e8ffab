"""Endpoints of the service app's sessions, hours, teams and training (pages and API) in the
scoping contract, asserted by tests/scoping/test_endpoints.py over the records built here."""

import datetime as dt
from decimal import Decimal

from tests.scoping.endpoints import EVERYONE, Endpoint, Exempt, personas

R = "service_sessions"
ORGANISERS = personas(
    "counselor", "class_teacher", "leader", "office", "leader_b", "counselor_b", "branch_secretary"
)
NOT_ORGANISERS = EVERYONE - ORGANISERS
MANAGERS = personas("counselor", "class_teacher", "leader", "office", "leader_b", "counselor_b")
# Session A (化工2401's anti-fraud talk, organised by the counselor): its audience, the
# organiser, the staff of its college.
SEE_A = personas(
    "counselor", "class_teacher", "leader", "office", "dorm_head", "monitor", "activist", "student"
)
HIDDEN_A = EVERYONE - SEE_A
RUN_A = personas("counselor", "leader", "office")  # the organiser, the college's leader, the office
NOT_RUN_A = EVERYONE - RUN_A
# Team A (the branch's team): its college's leader and staff, its branch area, its members.
SEE_TEAM_A = personas(
    "counselor",
    "class_teacher",
    "leader",
    "office",
    "activist",
    "small_grid_leader",
    "branch_secretary",
    "student",
)


def build(world) -> dict:
    from campusgrid.core import clock
    from campusgrid.grid.models import PostKind
    from campusgrid.service import services
    from campusgrid.service.models import TrainingRequirement

    now = clock.now()
    past = now - dt.timedelta(days=2)
    team_a = services.team_create(
        actor=world.leader.user,
        college=world.college_a,
        branch=world.branch,
        name="平安公寓服务队",
        theme="平安公寓",
    )
    services.team_member_add(actor=world.leader.user, team=team_a, students=[world.student, world.mixed_a2])
    team_b = services.team_create(
        actor=world.leader_b.user, college=world.college_b, name="学业互助队", theme="学业互助"
    )
    services.team_member_add(actor=world.leader_b.user, team=team_b, students=[world.student_b])
    a = services.session_create(
        actor=world.counselor.user,
        kind="volunteer",
        title="反诈宣传志愿服务",
        topic="反诈宣传",
        starts_at=past,
        ends_at=past + dt.timedelta(hours=2),
        hours=Decimal("2"),
        audience_classes=[world.class_a1],
        team=team_a,
    )
    services.attendance_record(actor=world.counselor.user, session=a, student=world.student, status="present")
    services.hours_credit(actor=world.counselor.user, session=a)
    b = services.session_create(
        actor=world.counselor_b.user,
        kind="education",
        title="安全教育",
        starts_at=past,
        ends_at=past + dt.timedelta(hours=1),
        hours=Decimal("1"),
        audience_classes=[world.class_b1],
    )
    services.attendance_record(
        actor=world.counselor_b.user, session=b, student=world.student_b, status="present"
    )
    services.hours_credit(actor=world.counselor_b.user, session=b)
    live = services.session_create(
        actor=world.counselor.user,
        kind="training",
        title="舍长岗前培训",
        topic="舍长岗前培训",
        starts_at=now - dt.timedelta(minutes=5),
        ends_at=now + dt.timedelta(hours=1),
        audience_classes=[world.class_a1],
    )
    TrainingRequirement.objects.create(post_kind=PostKind.DORM_HEAD, topic="舍长岗前培训", within_days=30)
    return {"a": a, "b": b, "live": live, "team_a": team_a, "team_b": team_b}


RECORDS = {R: build}


def _a(world, records):
    return [records["a"].pk]


def _live(world, records):
    return [records["live"].pk]


def _team_a(world, records):
    return [records["team_a"].pk]


ENDPOINTS = [
    # pages
    Endpoint("service:session-list", sees=ORGANISERS, hidden=NOT_ORGANISERS, records=R),
    Endpoint("service:session-new", sees=ORGANISERS, hidden=NOT_ORGANISERS, records=R),
    Endpoint("service:session-detail", _a, sees=SEE_A, hidden=HIDDEN_A, records=R),
    Endpoint(
        "service:session-attendance",
        _a,
        method="POST",
        refused=NOT_RUN_A,
        data=lambda w, r: {"person": f"s-{w.student.pk}", "status": "late"},
        records=R,
    ),
    Endpoint(
        "service:session-hours",
        _a,
        method="POST",
        refused=NOT_RUN_A,
        data=lambda w, r: {"person": "A1002", "hours": "1", "reason": "提前离场"},
        records=R,
    ),
    Endpoint(
        "service:session-served",
        _a,
        method="POST",
        refused=NOT_RUN_A,
        data=lambda w, r: {"student_numbers": "A1002", "served_count": "5"},
        records=R,
    ),
    Endpoint("service:session-signup", _a, method="POST", refused=HIDDEN_A, records=R),
    Endpoint("service:session-code", _live, sees=RUN_A, hidden=EVERYONE - RUN_A, records=R),
    Endpoint("service:session-qr", _live, sees=RUN_A, hidden=EVERYONE - RUN_A, records=R),
    Endpoint("service:sign-in", sees=EVERYONE, records=R),
    Endpoint("service:my-sessions", sees=EVERYONE, records=R),
    Endpoint("service:my-hours", sees=EVERYONE, records=R),
    Endpoint("service:hours-ledger", sees=ORGANISERS, hidden=NOT_ORGANISERS, records=R),
    Endpoint(
        "service:hours-ledger", query={"format": "xlsx"}, sees=ORGANISERS, hidden=NOT_ORGANISERS, records=R
    ),
    Endpoint("service:team-list", sees=EVERYONE, records=R),
    Endpoint("service:team-new", sees=MANAGERS, hidden=EVERYONE - MANAGERS, records=R),
    Endpoint(
        "service:team-detail",
        _team_a,
        sees=SEE_TEAM_A,
        hidden=EVERYONE - SEE_TEAM_A,
        records=R,
        names_others="a volunteer team's roster (names; 学号 for its college's staff) is shown to its branch area and members",
    ),
    Endpoint(
        "service:team-detail",
        _team_a,
        method="POST",
        refused=EVERYONE - personas("counselor", "class_teacher", "leader", "office"),
        data=lambda w, r: {"student_numbers": "A1004"},
        records=R,
    ),
    Endpoint(
        "service:team-member-remove",
        lambda w, r: [r["team_a"].pk, "A1002"],
        method="POST",
        refused=EVERYONE - personas("counselor", "class_teacher", "leader", "office"),
        records=R,
    ),
    Endpoint("service:training", sees=MANAGERS, hidden=EVERYONE - MANAGERS, records=R),
    Endpoint(
        "service:training", query={"format": "xlsx"}, sees=MANAGERS, hidden=EVERYONE - MANAGERS, records=R
    ),
    # API
    Endpoint("service-session-list", sees=EVERYONE, records=R),
    Endpoint("service-session-detail", _a, sees=SEE_A, hidden=HIDDEN_A, records=R),
    Endpoint("service-session-attendance", _a, sees=RUN_A, hidden=NOT_RUN_A, records=R),
    Endpoint(
        "service-session-record",
        _a,
        method="POST",
        refused=NOT_RUN_A,
        data=lambda w, r: {"student_no": "A1002", "status": "late"},
        records=R,
    ),
    Endpoint("service-session-credit-hours", _a, method="POST", refused=NOT_RUN_A, records=R),
    Endpoint(
        "service-session-correct-hours",
        _a,
        method="POST",
        refused=NOT_RUN_A,
        data=lambda w, r: {"number": "A1002", "hours": "1", "reason": "提前离场"},
        records=R,
    ),
    Exempt(
        "service-session-sign-in",
        "the attendee's own sign-in: the code and the session's audience decide (tests/service/test_sessions.py)",
    ),
    Endpoint("service-hours-list", sees=EVERYONE, records=R),
    Endpoint("service-team-list", sees=EVERYONE, records=R),
    Endpoint("service-team-detail", _team_a, sees=SEE_TEAM_A, hidden=EVERYONE - SEE_TEAM_A, records=R),
]
