"""The dashboards' pages and chart endpoints in the scoping contract (issue 15 item 1):
levels 3–5 see them (each chart reads through its app's scoped selectors), the grid's
student levels are answered 404; the benchmark's HTML floor is exempt."""

from campusgrid.core.registry import CHARTS
from tests.scoping.endpoints import COLLEGE_B, STUDENTS_A, Endpoint, Exempt, personas

MANAGERS = personas("counselor", "leader", "office", "leader_b", "counselor_b")
STUDENTS = STUDENTS_A | (COLLEGE_B - MANAGERS)

ENDPOINTS = [
    Exempt(
        "bench-floor",
        "no data: the benchmark's HTML floor (base layout and navigation), 404 outside DEBUG, "
        "staff and `campusgrid bench` (tests/dashboards/test_bench.py)",
    ),
    Endpoint("dashboards:index", sees=MANAGERS, hidden=STUDENTS),
    Endpoint(
        "dashboard-chart-list", sees=MANAGERS | STUDENTS
    ),  # the charts the caller may see (none for students)
    *[
        Endpoint("dashboard-chart-detail", lambda w, r, key=chart.key: [key], sees=MANAGERS, hidden=STUDENTS)
        for chart in CHARTS
    ],
]
RECORDS: dict = {}
