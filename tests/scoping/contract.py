"""Endpoints of people and grid (and the project's own URLs) in the scoping contract;
asserted by tests/scoping/test_endpoints.py."""

from campusgrid.grid.models import Post

from .endpoints import COLLEGE_B, EVERYONE, LEVEL_3_A, STUDENTS_A, Endpoint, Exempt, personas

SEES_A1002 = STUDENTS_A | personas("counselor", "class_teacher", "leader", "office")
STUDENTS_NO_RIGHTS = personas("monitor", "dorm_head", "student", "small_grid_leader")


def a1002(world, records):
    return ["A1002"]


def monitor_post_a1(world, records):
    return [Post.objects.get(kind="monitor", school_class=world.class_a1).pk]


ENDPOINTS = [
    Exempt("home", "personal page: the user's own panels (tests/grid/test_pages.py)"),
    Exempt("login", "public"),
    Exempt("logout", "public"),
    Exempt("healthz", "public, no personal data (tests/ops/test_health_and_tick.py)"),
    Exempt(
        "people:my-data", "personal: the signed-in student's own data only (tests/ops/test_personal_data.py)"
    ),
    Exempt(
        "people:profile",
        "personal: the user's own token and sign-ins only (tests/foundation/test_security.py)",
    ),
    Exempt("ping", "login required, no data (the benchmark's old floor)"),
    Exempt(
        "bench-api-floor",
        "login required, no data, 404 outside `campusgrid bench` (tests/dashboards/test_bench.py)",
    ),
    Exempt("schema", "login required, no data"),
    Exempt("api-docs", "login required, no data"),
    Exempt("api-root", "DRF index, no data"),
    Exempt("grid:import-template", "no personal data (headers and an invented example row)"),
    # people
    Endpoint("people:students", sees=EVERYONE),
    Endpoint("people:student", a1002, sees=SEES_A1002, hidden=COLLEGE_B),
    Endpoint(
        "people:student",
        a1002,
        method="POST",
        refused=STUDENTS_NO_RIGHTS | COLLEGE_B,
        data=lambda w, r: {"version": w.student.version, "phone": "13900000000"},
    ),
    Endpoint("people:classes", sees=EVERYONE),
    Endpoint(
        "people:class",
        lambda w, r: ["化工2401"],
        sees=personas("monitor", "counselor", "class_teacher", "leader", "office"),
        hidden=personas("leader_b", "dorm_head", "student"),
    ),
    Endpoint(
        "people:room",
        lambda w, r: ["东1", "301"],
        sees=personas("dorm_head", "monitor", "counselor", "small_grid_leader", "student"),
        hidden=personas("leader_b", "counselor_b", "student_b"),
    ),
    # grid
    Endpoint("grid:coverage", sees=personas("leader", "leader_b", "counselor", "office")),
    Endpoint("grid:posts", sees=personas("counselor", "leader", "office", "leader_b", "counselor_b")),
    Endpoint("grid:post", monitor_post_a1, sees=LEVEL_3_A, hidden=personas("counselor_b", "leader_b")),
    Endpoint(
        "grid:appoint",
        query={"kind": "monitor", "class": "化工2401"},
        sees=personas("counselor", "leader", "office"),
        hidden=personas("counselor_b", "leader_b"),
    ),
    Endpoint(
        "grid:placement",
        a1002,
        method="POST",
        refused=personas("monitor", "dorm_head", "student", "counselor_b", "leader_b"),
        data=lambda w, r: {"action": "status", "status": "withdrawn"},
    ),
    Endpoint(
        "grid:import",
        sees=personas("counselor", "class_teacher", "leader", "office", "leader_b", "counselor_b"),
        hidden=personas(
            "dorm_head", "monitor", "student", "activist", "small_grid_leader", "branch_secretary"
        ),
    ),
    Endpoint(
        "grid:import",
        method="POST",
        refused=personas("dorm_head", "monitor", "student"),
        data=lambda w, r: {"kind": "roster"},
    ),
    # API
    Endpoint("student-list", sees=EVERYONE),
    Endpoint("student-detail", a1002, sees=SEES_A1002, hidden=COLLEGE_B),
    Endpoint("post-list", sees=personas("counselor", "leader", "office", "leader_b", "counselor_b")),
    Endpoint("post-detail", monitor_post_a1, sees=LEVEL_3_A, hidden=personas("counselor_b", "leader_b")),
    Endpoint(
        "post-end",
        monitor_post_a1,
        method="POST",
        refused=personas("monitor", "dorm_head", "student", "counselor_b", "leader_b"),
    ),
    Endpoint("api-coverage", sees=personas("leader", "leader_b", "office", "counselor")),
    Endpoint(
        "api-student-chain",
        a1002,
        sees=personas("dorm_head", "counselor"),
        hidden=COLLEGE_B,
        names_others="a chain names the student's party-grid leaders, who live in other rooms",
    ),
    Endpoint(
        "api-vacancy-candidates",
        query={"kind": "monitor", "class": "化工2401"},
        sees=personas("counselor", "leader", "office"),
    ),
]
