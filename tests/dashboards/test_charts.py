"""The dashboards' charts (issue 15 item 1): the page for levels 3–5, each chart's JSON from
/api/v1/dashboards/charts/<key>/, and every datum's link opening exactly the rows it counts.
The office sees colleges side by side and opens a college's dashboard (?college=)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from campusgrid.core.registry import CHARTS

from .test_panels import demo, rows_of  # noqa: F401 (the module's demo university)

# Charts whose data are counts of rows (the others are rates: their links open the holes or
# the round behind the rate, which the next test opens without comparing). A datum whose value
# is not a count (service-hours: hours) carries `rows`, the number of rows its list shows.
COUNTS = {
    "reports-category",
    "reports-trend",
    "absences-week",
    "holiday-outstanding",
    "hazards",
    "ratings",
    "party-pipeline",
    "service-hours",
}
PERSONAS = ["leader", "counselor", "office", "office-in-college"]


def _client(demo, persona):  # noqa: F811
    who = "office" if persona.startswith("office") else persona
    client = Client()
    client.force_login(demo[who])
    query = f"?college={demo['college'].pk}" if persona == "office-in-college" else ""
    return client, query


def _chart(client, key, query=""):
    response = client.get(reverse("dashboard-chart-detail", args=[key]) + query)
    assert response.status_code == 200, (key, response.content[:200])
    return response.json()


def _data(chart):
    for series in chart.get("series", []):
        yield from series["data"]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_dashboard_lists_every_chart_with_its_scoped_data_url(demo, db, persona):  # noqa: F811
    client, query = _client(demo, persona)
    response = client.get(reverse("dashboards:index") + query)
    assert response.status_code == 200
    html = response.content.decode()
    for chart in CHARTS:
        assert f'id="chart-{chart.key}"' in html
        assert reverse("dashboard-chart-detail", args=[chart.key]) + query in html.replace("&amp;", "&")
    assert ('id="dashboard-colleges"' in html) == (persona == "office")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("key", sorted(COUNTS))
def test_each_bar_opens_exactly_the_rows_it_counts(demo, db, persona, key):  # noqa: F811
    client, query = _client(demo, persona)
    chart = _chart(client, key, query)
    data = list(_data(chart))
    assert data or chart.get("empty"), key
    wrong = []
    for datum in data:
        if persona == "office-in-college" or persona != "office" or "dashboards" not in datum["url"]:
            listed = rows_of(client, datum["url"])
            if listed != datum.get("rows", datum["value"]):
                wrong.append(f"{datum['value']} ≠ {listed} rows at {datum['url']}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_datum_of_every_chart_opens_a_page(demo, db, persona):  # noqa: F811
    client, query = _client(demo, persona)
    opened = 0
    for chart in CHARTS:
        for datum in _data(_chart(client, chart.key, query)):
            assert datum["url"].startswith("/")
            assert client.get(datum["url"]).status_code == 200, (chart.key, datum["url"])
            opened += 1
    assert opened > 10


@pytest.mark.django_db
def test_the_office_sees_colleges_side_by_side_and_each_opens_its_dashboard(demo, db):  # noqa: F811
    client, _ = _client(demo, "office")
    chart = _chart(client, "coverage-class")
    college = demo["college"]
    assert college.name in chart["categories"]
    urls = [d["url"] for d in _data(chart)]
    assert reverse("dashboards:index") + f"?college={college.pk}" in urls
    page = client.get(reverse("dashboards:index") + f"?college={college.pk}")
    assert page.status_code == 200 and college.name in page.content.decode()


@pytest.mark.django_db
def test_a_dorm_head_has_no_dashboard(demo, db):  # noqa: F811
    from campusgrid.grid.models import Post, PostKind

    dorm_head = Post.objects.current().filter(kind=PostKind.DORM_HEAD).select_related("student__user").first()
    client = Client()
    client.force_login(dorm_head.student.user)
    assert client.get(reverse("dashboards:index")).status_code == 404
    assert client.get(reverse("dashboard-chart-detail", args=["hazards"])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["leader", "counselor", "office-in-college"])
def test_the_party_pipeline_has_a_bar_a_stage_each_opening_the_board_of_that_stage(
    demo,  # noqa: F811
    db,
    persona,
):
    client, query = _client(demo, persona)
    chart = _chart(client, "party-pipeline", query)
    assert chart["categories"] == ["申请人", "积极分子", "发展对象", "预备党员", "正式党员"]
    data = list(_data(chart))
    assert sum(d["value"] for d in data) > 0
    for datum, stage in zip(
        data, ["applicant", "activist", "candidate", "probationary", "full"], strict=True
    ):
        page = client.get(datum["url"])
        assert f"stage={stage}" in datum["url"]
        shown = {v.file.stage for column in page.context["columns"] for v in column["items"]}
        assert shown <= {stage}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["leader", "counselor", "office-in-college"])
def test_each_class_s_hours_are_the_sum_of_its_ledger_rows(demo, db, persona):  # noqa: F811
    client, query = _client(demo, persona)
    chart = _chart(client, "service-hours", query)
    data = list(_data(chart))
    assert data, chart
    for name, datum in zip(chart["categories"], data, strict=True):
        page = client.get(datum["url"])
        rows = list(page.context["page"].paginator.object_list)
        assert round(sum(float(r["total"]) for r in rows), 1) == datum["value"], datum["url"]
        assert {r["student__school_class__name"] for r in rows} == {name}


@pytest.mark.django_db
def test_the_office_sees_each_college_s_hours_and_opens_its_dashboard(demo, db):  # noqa: F811
    client, _ = _client(demo, "office")
    chart = _chart(client, "service-hours")
    assert demo["college"].name in chart["categories"]
    assert all("/dashboards/?college=" in d["url"] for d in _data(chart))
