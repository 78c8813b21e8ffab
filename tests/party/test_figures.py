"""The party figures of the semester report (party/figures.py) against hand-built files: members
developed in the semester and since the records start, the pipeline by stage now, their list
URLs, and the registration that fills the report's 未启用 slots."""

import datetime as dt

import pytest
from django.urls import reverse

from campusgrid.core import clock, registry
from campusgrid.org.models import Semester
from campusgrid.party import figures
from campusgrid.party.models import DevelopmentFile
from campusgrid.party.models.pipeline import Step
from tests import factories as f

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def semester(db):
    return Semester.objects.create(name="2025-2026学年第一学期", start=D(2025, 9, 1), end=D(2026, 1, 17))


@pytest.fixture
def records(world, semester):
    clock.set_now(dt.datetime(2025, 12, 1, 9, 0))
    branch_b = f.BranchFactory(college=world.college_b, name="外学院支部")

    def file(
        student, stage, applied_on, *, branch=world.branch, college=world.college_a, closed_on=None, **steps
    ):
        row = DevelopmentFile.objects.create(
            student=student,
            branch=branch,
            college=college,
            rule_version="2014",
            stage=stage,
            applied_on=applied_on,
            closed_on=closed_on,
        )
        for code, on in steps.items():
            Step.objects.create(file=row, code=code, on=on)
        return row

    # (the branch meeting before each approval: the board's schedule reckons probation from it)
    file(
        world.dorm_head, "probationary", D(2024, 3, 1), meeting=D(2025, 9, 20), probationary=D(2025, 10, 10)
    )  # this semester
    file(
        world.monitor,
        "full",
        D(2023, 9, 1),
        meeting=D(2024, 10, 10),
        probationary=D(2024, 11, 1),
        full_meeting=D(2025, 10, 20),
        full=D(2025, 11, 1),
    )  # before the semester
    file(world.dorm_head_mixed, "activist", D(2025, 3, 1), activist=D(2025, 4, 1))
    file(world.mixed_a2, "applicant", D(2025, 3, 1), closed_on=D(2025, 9, 20))
    file(
        world.monitor_a2, "probationary", D(2024, 3, 1), meeting=D(2025, 11, 28), probationary=D(2025, 12, 20)
    )  # after today
    file(
        world.dorm_head_b,
        "probationary",
        D(2022, 3, 1),
        branch=branch_b,
        college=world.college_b,
        meeting=D(2025, 9, 10),
        probationary=D(2025, 10, 1),
    )
    yield
    clock.set_now(None)


def board(**params):
    from urllib.parse import urlencode

    return f"{reverse('party:board')}?{urlencode(params)}"


def test_members_developed_in_the_semester_and_since_the_records_start(world, semester, records):
    value = figures.developed(world.college_a, semester)
    assert value.value == 1
    assert value.unit == "人"
    assert value.detail == "自 2023年09月 有档案以来共发展 2 人（2 年 3 个月）"
    assert value.url == board(
        developed_from="2025-09-01", developed_to="2025-12-01", college=world.college_a.pk
    )


def test_members_developed_across_the_university(world, semester, records):
    value = figures.developed(None, semester)
    assert (value.value, value.detail) == (2, "自 2022年03月 有档案以来共发展 3 人（3 年 9 个月）")
    assert value.url == board(developed_from="2025-09-01", developed_to="2025-12-01")


def test_members_developed_open_exactly_the_files_developed_in_the_semester(world, semester, records, login):
    value = figures.developed(world.college_a, semester)
    for person in (world.leader, world.office):
        page = login(person).get(value.url)
        assert page.status_code == 200
        assert page.context["total"] == value.value
        listed = [v.file.number for column in page.context["columns"] for v in column["items"]]
        assert listed == [world.dorm_head.student_no]


def test_the_pipeline_by_stage_now_with_a_row_and_link_per_stage(world, semester, records):
    value = figures.pipeline(world.college_a, semester)
    a = world.college_a.pk
    assert (value.value, value.chart) == (4, "bar")
    assert value.detail == "在培养档案 4 份（截至报告生成时），终止培养 1 份"
    assert [(r["label"], r["value"]) for r in value.rows] == [
        ("入党申请人", 0),
        ("入党积极分子", 1),
        ("发展对象", 0),
        ("中共预备党员", 2),
        ("中共党员", 1),
    ]
    assert value.rows[3]["url"] == board(stage="probationary", college=a)
    assert value.url == board(college=a)


def test_the_pipeline_figure_equals_the_board_it_links_to(world, semester, records, login):
    from campusgrid.party.selectors.pipeline import file_list

    value = figures.pipeline(world.college_a, semester)
    leader = world.leader.user
    assert file_list(user=leader).filter(closed_on__isnull=True).count() == value.value
    for row in value.rows:
        stage = row["url"].split("stage=")[1].split("&")[0]
        assert file_list(user=leader, stage=stage).filter(closed_on__isnull=True).count() == row["value"]
    client = login(world.leader)
    assert client.get(value.url).status_code == 200
    assert client.get(value.rows[3]["url"]).status_code == 200


def test_the_party_slots_are_filled():
    keys = {f.key for f in registry.REPORT_FIGURES}
    assert {"party.developed", "party.pipeline", "party.awards"} <= keys


def test_the_awards_figure_counts_the_published_awards_of_the_semester_by_kind(world, semester):
    from campusgrid.party.models.awards import Award, AwardKind, AwardState

    def award(student, kind, state, college_branch=world.branch):
        Award.objects.create(
            semester=semester, branch=college_branch, kind=kind, student=student, state=state
        )

    award(world.small_grid_leader, AwardKind.EXCELLENT_MEMBER, AwardState.PUBLISHED)
    award(world.activist, AwardKind.ADVANCED, AwardState.PUBLISHED)
    award(world.student, AwardKind.ADVANCED, AwardState.APPROVED)  # decided, not yet published
    value = figures.awards(world.college_a, semester)
    assert value.value == 2
    assert [(r["label"], r["value"]) for r in value.rows] == [
        ("学生公寓优秀党员", 1),
        ("学生公寓先进个人", 1),
    ]
    assert f"semester={semester.pk}" in value.url and "state=published" in value.url
    assert figures.awards(world.college_b, semester).value == 0
