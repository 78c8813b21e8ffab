"""The semester report's pages in the scoping contract: a college's leaders and the office
open a college's report; the leader of another college, counselors and students get 404;
only they may generate one."""

import datetime as dt

from campusgrid.dashboards import services_report
from campusgrid.dashboards.models import SemesterReportRun
from campusgrid.org.models import Semester

from ..scoping.endpoints import STUDENTS_A, Endpoint, personas


def build(world) -> dict:
    semester = Semester.objects.create(
        name="2025-2026学年第一学期", start=dt.date(2025, 9, 1), end=dt.date(2026, 1, 20)
    )
    run = SemesterReportRun.objects.create(
        college=world.college_a, semester=semester, requested_by_name="院领导甲"
    )
    services_report.report_run_execute(run_id=run.pk)
    return {"semester": semester, "run": run}


RECORDS = {"semester_report": build}

OUTSIDE_A = STUDENTS_A | personas(
    "counselor", "class_teacher", "counselor_b", "dorm_head_b", "student_b", "leader_b"
)
NOT_LEADERS = STUDENTS_A | personas("counselor", "class_teacher", "counselor_b", "dorm_head_b", "student_b")


def _run(world, records):
    return [records["run"].pk]


def _post(world, records):
    return {"college": world.college_a.pk, "semester": records["semester"].pk}


ENDPOINTS = [
    Endpoint(
        "dashboards:report",
        sees=personas("leader", "office", "leader_b"),
        hidden=NOT_LEADERS,
        records="semester_report",
    ),
    Endpoint(
        "dashboards:report",
        method="POST",
        data=_post,
        refused=NOT_LEADERS | personas("leader_b"),
        records="semester_report",
    ),
    Endpoint(
        "dashboards:report-run",
        _run,
        sees=personas("leader", "office"),
        hidden=OUTSIDE_A,
        records="semester_report",
    ),
    *[
        Endpoint(
            "dashboards:report-download",
            lambda world, records, fmt=fmt: [records["run"].pk, fmt],
            sees=personas("leader", "office"),
            hidden=OUTSIDE_A,
            records="semester_report",
        )
        for fmt in ("pdf", "xlsx")
    ],
    Endpoint(
        "dashboards:report-export",
        sees=personas("leader", "office", "leader_b"),
        hidden=NOT_LEADERS,
        records="semester_report",
        query={"format": "xlsx"},
    ),
]
