"""The semester report's slots filled by their apps (service, party, the class honours): each
figure against hand-built records, its URL opening the rows it counts, and the report built
with them (PDF and .xlsx) — every slot filled."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from campusgrid.dashboards.report import figures as report_figures
from campusgrid.dashboards.report.compute import build, figures_by_key
from campusgrid.dashboards.report.pdf import report_pdf
from campusgrid.dashboards.report.xlsx import report_xlsx
from campusgrid.service import figures as service_figures

from .service_records import records_fixture, semester_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def test_volunteer_activities_held_and_their_list(world, semester, records, login):
    a = world.college_a.pk
    value = service_figures.activities(world.college_a, semester)
    assert (value.value, value.unit) == (2, "次")
    assert value.detail == "志愿服务活动 2 次，由 1 支志愿服务队组织"
    assert (
        value.url == f"/service/sessions/?kind=volunteer&date_from=2025-09-01&date_to=2025-12-01&college={a}"
    )
    from campusgrid.service.selectors.sessions import session_list

    listed = session_list(
        user=world.leader.user,
        filters={"kind": "volunteer", "date_from": "2025-09-01", "date_to": "2025-12-01"},
    )
    assert listed.count() == value.value
    assert login(world.leader).get(value.url).status_code == 200
    assert service_figures.activities(None, semester).value == 3  # college B's too


def test_volunteers_are_those_who_took_part_or_were_credited(world, semester, records):
    value = service_figures.volunteers(world.college_a, semester)
    # 舍长甲 (present, credited), 班长 (late), 舍长丁 (credited); 辅导员甲 (present); the absent one not.
    assert value.value == 4
    assert value.detail == "学生 3 人（认定志愿时长 2 人，共 3.5 小时），教职工 1 人"
    assert (
        value.url
        == f"/service/volunteers/?date_from=2025-09-01&date_to=2025-12-01&college={world.college_a.pk}"
    )


def test_the_volunteers_credited_hours_open_exactly_their_ledger_rows(world, semester, records, login):
    value = service_figures.volunteers(world.college_a, semester)
    (row,) = value.rows
    ledger = f"/service/hours/?date_from=2025-09-01&date_to=2025-12-01&college={world.college_a.pk}"
    assert (row["label"], row["value"], row["url"]) == ("认定志愿时长的学生", 2, ledger)
    for person in (world.leader, world.office):
        page = login(person).get(row["url"])
        assert page.status_code == 200
        listed = list(page.context["page"].paginator.object_list)
        assert len(listed) == row["value"]
        assert sum(r["total"] for r in listed) == Decimal("3.5")


def test_students_served_by_student_number_and_counted(world, semester, records):
    value = service_figures.students_served(world.college_a, semester)
    assert value.value == 2 + 5 + 3  # two on the register (one served twice) plus those counted
    assert value.detail == "按学号登记 2 人（去重），另计未在册 8 人次"
    assert (
        value.url == f"/service/served/?date_from=2025-09-01&date_to=2025-12-01&college={world.college_a.pk}"
    )
    assert [(r["label"], r["value"]) for r in value.rows] == [
        ("按学号登记（去重）", 2),
        ("未在册服务对象（人次）", 8),
    ]
    assert value.rows[1]["url"].startswith(
        "/service/sessions/?kind=volunteer&unregistered=on&date_from=2025-09-01"
    )


def test_class_honours_granted_for_the_semester(world, semester, records, login):
    value = report_figures.class_honours(world.college_a, semester)
    assert (value.value, value.unit) == (3, "个")
    assert [(r["label"], r["value"], r["classes"]) for r in value.rows] == [
        ("优良学风班", 2, "化工2401、化工2402"),
        ("三杰班", 1, "化工2401"),
    ]
    assert value.detail == "优良学风班 2 个；三杰班 1 个"
    assert (
        value.url
        == f"/dashboards/class-honours/?semester={semester.pk}&college=%E5%8C%96%E5%B7%A5%E5%AD%A6%E9%99%A2"
    )
    page = login(world.leader).get(value.url)
    assert page.status_code == 200 and "化工2401" in page.content.decode()
    assert report_figures.class_honours(None, semester).value == 4


def test_the_report_carries_the_filled_slots(world, semester, records):
    data = build(college=world.college_a, semester=semester)
    figures = figures_by_key(data)
    for key in (
        "service.volunteers",
        "service.students_served",
        "service.activities",
        "party.developed",
        "party.pipeline",
        "dashboards.class_honours",
    ):
        assert figures[key]["enabled"] and figures[key]["display"] != "未启用", key
        assert "college=" in figures[key]["url"], key
    assert (figures["service.activities"]["value"], figures["dashboards.class_honours"]["value"]) == (2, 3)
    assert figures["party.awards"]["enabled"] and figures["party.awards"]["value"] == 0  # none published here
    assert [r["label"] for r in figures["party.pipeline"]["rows"]][0] == "入党申请人"
    book = load_workbook(io.BytesIO(report_xlsx(data)), read_only=True)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "化工2401、化工2402" in cells
    assert report_pdf(data)[:4] == b"%PDF"
