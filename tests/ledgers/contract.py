"""Endpoints of the ledgers app (pages and API) in the scoping contract, asserted by
tests/scoping/test_endpoints.py over the records of tests/ledgers/test_scoping.py's
`seeded` (night checks, leave, a holiday, inspection rounds in both colleges)."""

from tests.scoping.endpoints import COLLEGE_B, EVERYONE, Endpoint, personas

L = "ledgers"
CHECKERS_301 = personas("dorm_head", "counselor", "class_teacher", "leader", "office")
LEAVE_A = personas("dorm_head", "monitor", "counselor", "leader", "student", "office", "small_grid_leader")
OUTSIDE_A = personas("leader_b", "counselor_b", "student_b")
LEVEL_3_A = personas("counselor", "leader", "office")
STAFF_ALL = personas("counselor", "class_teacher", "leader", "office", "leader_b", "counselor_b")


def _leave_a(world, records):
    from campusgrid.ledgers.models import LeaveRequest

    return LeaveRequest.objects.get(student=world.student).pk


def _check_301(world, records):
    from campusgrid.ledgers.models import NightCheck

    return NightCheck.objects.filter(room=world.room_a1).first().pk


def _registration_a(world, records):
    from campusgrid.ledgers.models import HolidayRegistration

    return HolidayRegistration.objects.get(student=world.student).pk


def _inspection_a(world, records):
    from campusgrid.ledgers.models import Inspection

    return Inspection.objects.get(round=records["round_a"], room=world.room_a1).pk


def _finding_a(world, records):
    from campusgrid.ledgers.models import Finding

    return Finding.objects.get(inspection__round=records["round_a"]).pk


ENDPOINTS = [
    # night checks
    Endpoint("ledgers:night", sees=personas("dorm_head", "counselor", "office"), ok=302, records=L),
    Endpoint("ledgers:night-progress", sees=EVERYONE, records=L),
    Endpoint("ledgers:night-list", sees=EVERYONE, records=L),
    Endpoint("ledgers:night-list", query={"format": "xlsx"}, sees=STAFF_ALL, records=L),
    Endpoint(
        "ledgers:night-check",
        lambda w, r: [w.room_a1.pk],
        sees=CHECKERS_301,
        hidden=COLLEGE_B | personas("monitor", "student"),
        records=L,
    ),
    Endpoint(
        "ledgers:night-check",
        lambda w, r: [w.room_a1.pk],
        method="POST",
        refused=COLLEGE_B | personas("monitor", "student"),
        data=lambda w, r: {"s-A1002": "present"},
        records=L,
    ),
    # leave
    Endpoint("ledgers:leave-list", sees=EVERYONE, records=L),
    Endpoint("ledgers:leave-list", query={"format": "xlsx"}, sees=STAFF_ALL, records=L),
    Endpoint("ledgers:leave-new", sees=EVERYONE, records=L),
    Endpoint(
        "ledgers:leave-detail", lambda w, r: [_leave_a(w, r)], sees=LEAVE_A, hidden=OUTSIDE_A, records=L
    ),
    *[
        Endpoint(
            "ledgers:leave-act",
            lambda w, r, a=a: [_leave_a(w, r), a],
            method="POST",
            refused=OUTSIDE_A,
            records=L,
        )
        for a in ("approve", "refuse", "cancel", "return")
    ],
    # holiday
    Endpoint("ledgers:holiday-list", sees=EVERYONE, records=L),
    Endpoint("ledgers:holiday-open", sees=LEVEL_3_A, records=L),
    # a plain student has their own registrations on holiday-list, no class ledger (issue 12 item 10)
    Endpoint(
        "ledgers:holiday-ledger",
        sees=EVERYONE - personas("student", "student_b"),
        hidden=personas("student", "student_b"),
        records=L,
    ),
    Endpoint("ledgers:holiday-ledger", query={"format": "xlsx"}, sees=STAFF_ALL, records=L),
    Endpoint(
        "ledgers:holiday-window",
        lambda w, r: [r["window_a"].pk],
        sees=personas("counselor", "class_teacher", "office", "monitor"),
        hidden=OUTSIDE_A,
        records=L,
    ),
    Endpoint(
        "ledgers:holiday-register",
        lambda w, r: [r["window_a"].pk],
        method="POST",
        refused=OUTSIDE_A,
        records=L,
    ),
    Endpoint(
        "ledgers:holiday-depart",
        lambda w, r: [_registration_a(w, r)],
        method="POST",
        refused=OUTSIDE_A,
        records=L,
    ),
    Endpoint(
        "ledgers:holiday-return",
        lambda w, r: [_registration_a(w, r)],
        method="POST",
        refused=OUTSIDE_A,
        records=L,
    ),
    # inspections
    Endpoint("ledgers:inspection-list", sees=EVERYONE, records=L),
    Endpoint("ledgers:inspection-new", sees=LEVEL_3_A, records=L),
    Endpoint(
        "ledgers:inspection-round",
        lambda w, r: [r["round_a"].pk],
        sees=LEVEL_3_A,
        hidden=personas("leader_b", "counselor_b"),
        records=L,
    ),
    Endpoint(
        "ledgers:inspection-room",
        lambda w, r: [_inspection_a(w, r)],
        sees=LEVEL_3_A,
        hidden=personas("leader_b", "counselor_b"),
        records=L,
    ),
    Endpoint("ledgers:finding-list", sees=EVERYONE, records=L),
    Endpoint("ledgers:finding-list", query={"format": "xlsx"}, sees=STAFF_ALL, records=L),
    Endpoint(
        "ledgers:finding",
        lambda w, r: [_finding_a(w, r)],
        sees=LEVEL_3_A,
        hidden=personas("leader_b", "counselor_b"),
        records=L,
    ),
    Endpoint(
        "ledgers:finding-photo",
        lambda w, r: [_finding_a(w, r)],
        sees=LEVEL_3_A,
        hidden=personas("leader_b", "counselor_b"),
        records=L,
    ),
    Endpoint("ledgers:ratings", sees=EVERYONE, records=L),
    # API
    Endpoint("night-check-list", sees=EVERYONE, records=L),
    Endpoint(
        "night-check-detail", lambda w, r: [_check_301(w, r)], sees=CHECKERS_301, hidden=COLLEGE_B, records=L
    ),
    Endpoint("night-check-progress", sees=EVERYONE, records=L),
    Endpoint("leave-list", sees=EVERYONE, records=L),
    Endpoint("leave-detail", lambda w, r: [_leave_a(w, r)], sees=LEAVE_A, hidden=OUTSIDE_A, records=L),
    *[
        Endpoint(f"leave-{a}", lambda w, r: [_leave_a(w, r)], method="POST", refused=OUTSIDE_A, records=L)
        for a in ("approve", "refuse", "cancel", "return")
    ],
    Endpoint("holiday-window-list", sees=EVERYONE, records=L),
    Endpoint(
        "holiday-window-detail",
        lambda w, r: [r["window_a"].pk],
        sees=personas("counselor", "office"),
        hidden=OUTSIDE_A,
        records=L,
    ),
    Endpoint("holiday-registration-list", sees=EVERYONE, records=L),
    Endpoint(
        "holiday-registration-detail",
        lambda w, r: [_registration_a(w, r)],
        sees=personas("counselor", "office", "student"),
        hidden=OUTSIDE_A,
        records=L,
    ),
    Endpoint(
        "holiday-registration-depart",
        lambda w, r: [_registration_a(w, r)],
        method="POST",
        refused=OUTSIDE_A,
        records=L,
    ),
    Endpoint(
        "holiday-registration-return",
        lambda w, r: [_registration_a(w, r)],
        method="POST",
        refused=OUTSIDE_A,
        records=L,
    ),
    Endpoint("inspection-round-list", sees=EVERYONE, records=L),
    Endpoint("inspection-round-rates", sees=EVERYONE, records=L),
    Endpoint(
        "inspection-round-detail",
        lambda w, r: [r["round_a"].pk],
        sees=LEVEL_3_A,
        hidden=personas("leader_b", "counselor_b"),
        records=L,
    ),
    Endpoint("inspection-list", sees=EVERYONE, records=L),
    Endpoint(
        "inspection-detail",
        lambda w, r: [_inspection_a(w, r)],
        sees=LEVEL_3_A,
        hidden=personas("leader_b", "counselor_b"),
        records=L,
    ),
    *[
        Endpoint(
            f"inspection-{a}",
            lambda w, r: [_inspection_a(w, r)],
            method="POST",
            refused=personas("leader_b", "counselor_b"),
            records=L,
        )
        for a in ("record", "findings")
    ],
    Endpoint("finding-list", sees=EVERYONE, records=L),
    Endpoint(
        "finding-detail",
        lambda w, r: [_finding_a(w, r)],
        sees=LEVEL_3_A,
        hidden=personas("leader_b", "counselor_b"),
        records=L,
    ),
    Endpoint(
        "finding-recheck",
        lambda w, r: [_finding_a(w, r)],
        method="POST",
        refused=personas("leader_b", "counselor_b"),
        records=L,
    ),
    Endpoint("room-rating-list", sees=EVERYONE, records=L),
]
