"""Endpoints of the reports and notifications apps in the scoping contract (asserted by
tests/scoping/test_endpoints.py). Records: report "a" about 张三 (A1002) by the dorm head
of 东1/301, "b" about 王五 (B1002) in college B; a notice each for 张三 and 王五."""

from tests.scoping.endpoints import COLLEGE_B, Endpoint, Exempt, personas

SEES_A = personas("dorm_head", "monitor", "counselor", "leader", "office")
OUTSIDE_A = personas("leader_b", "counselor_b", "student_b")
ACTIONS = [
    "accept",
    "handle",
    "feedback",
    "confirm",
    "object",
    "escalate",
    "return",
    "resubmit",
    "transfer",
    "close",
]


def report_a(world, records):
    return [records["a"].pk]


def photo_a(world, records):
    from campusgrid.reports.models import ReportPhoto

    return [records["a"].pk, ReportPhoto.objects.get(report=records["a"]).pk]


def note_of_student(world, records):
    return [records["student"].pk]


ENDPOINTS = [
    Endpoint("reports:list", sees=SEES_A | personas("leader_b", "student"), records="reports"),
    Endpoint("reports:list", query={"format": "xlsx"}, sees=SEES_A | personas("leader_b"), records="reports"),
    Endpoint("reports:mine", sees=SEES_A | personas("student", "student_b"), records="reports"),
    Endpoint("reports:todo", sees=SEES_A | personas("leader_b", "counselor_b"), records="reports"),
    Endpoint("reports:new", sees=SEES_A | personas("student", "leader_b")),
    Endpoint("reports:detail", report_a, sees=SEES_A, hidden=OUTSIDE_A | {"student"}, records="reports"),
    *[
        Endpoint(
            "reports:act",
            lambda w, r, a=a: [r["a"].pk, a],
            method="POST",
            refused=OUTSIDE_A,
            records="reports",
        )
        for a in ACTIONS
    ],
    Endpoint(
        "reports:photo", photo_a, sees=personas("monitor"), hidden=OUTSIDE_A | {"student"}, records="reports"
    ),
    Endpoint("report-list", sees=SEES_A | personas("leader_b", "student"), records="reports"),
    Endpoint("report-detail", report_a, sees=SEES_A, hidden=OUTSIDE_A | {"student"}, records="reports"),
    *[
        Endpoint(f"report-{a}", report_a, method="POST", refused=OUTSIDE_A, records="reports")
        for a in ACTIONS
    ],
    # notifications: a user's own only
    Endpoint("notifications:list", sees=personas("student", "office"), records="notifications"),
    Endpoint(
        "notifications:open",
        note_of_student,
        method="POST",
        refused=COLLEGE_B | personas("office", "counselor", "dorm_head"),
        records="notifications",
    ),
    Exempt("notifications:read-all", "personal: marks the user's own notices read (Notification.scope_q)"),
    Endpoint("notification-list", sees=personas("student", "office", "student_b"), records="notifications"),
    Exempt("notification-read-all", "personal: marks the user's own notices read (Notification.scope_q)"),
]
