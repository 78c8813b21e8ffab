"""The semester report computes every figure from the records: known records for college A
(tests/dashboards/report_records.py), each figure checked exactly, including seed 004's
−60% appliance-rate change and the 未启用 of a figure whose app has not registered it."""

import pytest
from django.urls import reverse

from campusgrid.core import registry
from campusgrid.dashboards.report.common import percentile
from campusgrid.dashboards.report.compute import build, figures_by_key

from . import report_records

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("apps_above_unregistered")]


@pytest.fixture
def records(world):
    return report_records.build(world)


@pytest.fixture
def figures(world, records):
    return figures_by_key(build(college=world.college_a, semester=records["semester"]))


def test_grids_and_people_are_counted_from_the_posts_at_the_end_of_term(world, figures):
    a = world.college_a.pk
    assert (
        figures["grid.rooms_with_dorm_head"]["value"],
        figures["grid.rooms_with_dorm_head"]["detail"],
    ) == (
        2,
        "有学生入住的寝室 5 间",
    )
    assert figures["grid.rooms_with_dorm_head"]["url"] == f"/grid/posts/?kind=dorm_head&college={a}"
    assert figures["grid.micro_grids"]["value"] == 2
    assert figures["grid.small_grids"]["value"] == 1
    assert figures["people.grid_workers"]["value"] == 7  # 2 dorm heads + 2 monitors + 3 staff
    assert figures["people.grid_workers"]["detail"].startswith("学生网格员 4 人，教职工 3 人")
    assert figures["people.party_members"]["value"] == 2
    assert figures["people.activists"]["value"] == 2


def test_coverage_at_the_start_and_the_end_of_term_follows_the_dated_terms(figures):
    # 13 enrolled; 东1/304 and 305 never had a dorm head; 东1/303 (3 students) lost its own on 12-01.
    assert figures["coverage.start"]["value"] == 84.6
    assert "11 / 13" in figures["coverage.start"]["detail"]
    assert figures["coverage.end"]["value"] == 61.5
    assert "8 / 13" in figures["coverage.end"]["detail"]
    assert figures["coverage.end"]["display"] == "61.5%"


def test_illegal_appliance_rate_first_last_and_the_seed_004_change(world, records, figures):
    a = world.college_a.pk
    first, last, change = (
        figures[k] for k in ("dorm.illegal_first", "dorm.illegal_last", "dorm.illegal_change")
    )
    assert (
        first["value"] == 100.0
        and first["url"] == reverse("ledgers:inspection-round", args=[records["first"].pk]) + f"?college={a}"
    )
    assert first["detail"] == "2025-10-10 第一轮安全检查：5 / 5 间寝室有违章电器"
    assert last["value"] == 40.0  # college B's room in the same round is not the college's
    assert change["value"] == -60.0 and change["display"] == "-60.0%"
    assert change["detail"] == "首轮 100.0% → 末轮 40.0%，下降 60.0%"
    assert [r["value"] for r in change["rows"]] == [100.0, 60.0, 40.0]  # the round before term left out


def test_night_absences_per_thousand_student_nights(world, figures):
    night = figures["dorm.night_absences"]
    assert (night["value"], night["detail"]) == (83.33, "夜不归宿 1 人次，查寝 12 人夜")
    assert "status=absent" in night["url"] and "date_from=2025-09-01" in night["url"]


def test_reports_by_category_with_times_and_share_in_time(world, records, figures):
    reports = figures["reports.by_category"]
    assert reports["value"] == 3
    rows = {r["label"]: r for r in reports["rows"]}
    appliance = rows["违章电器"]
    assert appliance["value"] == 2
    assert (appliance["accept_median"], appliance["accept_p90"]) == (2.0, 2.8)
    assert (appliance["handle_median"], appliance["handle_p90"]) == (17.5, 27.5)
    assert (appliance["handled"], appliance["in_time"], appliance["in_time_rate"]) == (2, 1, 50.0)
    assert f"category={records['appliance'].pk}" in appliance["url"]
    absence = rows["夜不归宿"]
    assert (
        absence["value"],
        absence["accept_median"],
        absence["handle_median"],
        absence["in_time_rate"],
    ) == (
        1,
        2.0,
        None,
        None,
    )
    assert figures["reports.in_time"]["value"] == 50.0
    assert figures["reports.in_time"]["detail"] == "在处理期限内处理 1 / 已处理 2 件"
    escalations = figures["reports.escalations"]
    assert (escalations["value"], escalations["detail"]) == (
        2,
        "其中超时自动升级 1 次；报告学校的重大事件 0 件",
    )


def test_the_list_urls_open_exactly_the_counted_rows(world, records, figures, login):
    """The page each figure links to lists exactly its rows, for the college's leader and for
    the office (whose `?college=` narrows to the college)."""
    from django.http import QueryDict

    from campusgrid.ledgers.selectors import night_entry_list
    from campusgrid.reports.selectors import report_list

    for person in (world.leader, world.office):
        client = login(person)
        rows = figures["reports.by_category"]["rows"] + [figures["reports.by_category"]]
        for row in rows:
            path, _, query = row["url"].partition("?")
            assert client.get(row["url"]).status_code == 200
            params = QueryDict(query, mutable=True)
            params.pop("college")
            if person is world.leader:
                assert report_list(user=person.user, params=params).count() == row["value"]
        night = figures["dorm.night_absences"]["url"]
        assert client.get(night).status_code == 200
    params = QueryDict(night.partition("?")[2])
    entries = night_entry_list(
        user=world.leader.user,
        filters={"status": params["status"], "date_from": params["date_from"], "date_to": params["date_to"]},
    )
    assert entries.count() == 1


def test_key_students_reviews_and_screening(figures):
    key = figures["key.by_reason"]
    assert key["value"] == 2
    assert {r["label"]: r["value"] for r in key["rows"]}["心理"] == 2
    assert {r["label"]: r["value"] for r in key["rows"]}["经济困难"] == 1
    assert figures["key.reviews"]["value"] == 50.0
    assert (
        figures["key.reviews"]["detail"]
        == "2026-01-20 按期复查 1 / 在册 2 人，逾期未复查 1 人；本学期完成复查 1 次"
    )
    assert figures["key.screening"]["value"] == 33.3
    assert figures["key.screening"]["detail"] == "筛查达到阈值 3 人，已跟进 1 人，待跟进 2 人"


def test_ratings(figures):
    ratings = figures["awards.room_ratings"]
    assert ratings["value"] == 1
    assert ratings["detail"] == "文明宿舍 1 间，示范寝室 1 间，五星宿舍 1 间，共评定 2 间"


@pytest.mark.parametrize(
    "key",
    [
        "service.volunteers",
        "service.students_served",
        "service.activities",
        "party.developed",
        "party.pipeline",
        "party.awards",
        "dashboards.class_honours",
    ],
)
def test_a_figure_whose_app_is_not_registered_says_not_enabled_never_zero(figures, key):
    figure = figures[key]
    assert (figure["enabled"], figure["value"], figure["display"]) == (False, None, "未启用")


def test_a_registered_figure_fills_its_slot(world, records):
    figure = registry.ReportFigure(
        "service.activities",
        "service",
        "开展服务活动次数",
        lambda college, semester: registry.FigureValue(10, "次", "/service/"),
        source="志愿服务",
    )
    registry.register_report_figure(figure)
    try:
        figures = figures_by_key(build(college=world.college_a, semester=records["semester"]))
    finally:
        registry.REPORT_FIGURES.remove(figure)
    assert (figures["service.activities"]["enabled"], figures["service.activities"]["display"]) == (
        True,
        "10 次",
    )
    assert figures["service.students_served"]["display"] == "未启用"


def test_the_university_report_adds_every_college(world, records):
    figures = figures_by_key(build(college=None, semester=records["semester"]))
    assert figures["reports.by_category"]["value"] == 4
    assert figures["key.screening"]["detail"] == "筛查达到阈值 4 人，已跟进 2 人，待跟进 2 人"
    assert figures["dorm.illegal_last"]["value"] == 50.0  # 3 of 6 rooms with college B's
    assert "college=" not in figures["reports.by_category"]["url"]


def test_percentile_interpolates_between_ranks():
    assert percentile([], 0.5) is None
    assert percentile([4], 0.9) == 4
    assert percentile([1, 2, 3, 4], 0.5) == 2.5
    assert percentile([10, 1, 3], 0.9) == pytest.approx(8.6)


def _listed(user, url):
    """The rows of the report list a figure opens, through the list's own selector."""
    from django.http import QueryDict

    from campusgrid.reports.selectors import report_list

    params = QueryDict(url.partition("?")[2], mutable=True)
    params.pop("college", None)
    return report_list(user=user, params=params).count()


def test_escalations_open_exactly_the_escalated_reports(world, records, figures, login):
    escalations = figures["reports.escalations"]
    assert "escalated=on" in escalations["url"] and "date_from=" in escalations["url"]
    assert _listed(world.leader.user, escalations["url"]) == escalations["value"] == 2
    page = login(world.leader).get(escalations["url"])
    assert page.status_code == 200 and page.context["page"].paginator.count == 2


def test_share_within_deadline_opens_the_reports_handled_in_and_out_of_time(world, records, figures, login):
    in_time = figures["reports.in_time"]
    rows = {r["label"]: r for r in in_time["rows"]}
    assert (rows["按期处理"]["value"], rows["超期处理"]["value"]) == (1, 1)
    assert "within_deadline=yes" in in_time["url"]
    assert "within_deadline=no" in rows["超期处理"]["url"]
    client = login(world.leader)
    for row in rows.values():
        assert _listed(world.leader.user, row["url"]) == row["value"]
        assert client.get(row["url"]).context["page"].paginator.count == row["value"]


def test_room_ratings_open_exactly_the_civil_rooms(world, records, figures, login):
    ratings = figures["awards.room_ratings"]
    assert "civil=on" in ratings["url"]
    page = login(world.leader).get(ratings["url"])
    assert page.status_code == 200 and page.context["page"].paginator.count == ratings["value"] == 1
