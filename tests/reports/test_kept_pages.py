"""The report list pages keep their count and page ids between requests (core.paging.
KeptPaginator) under the change counters of the tables they read, and read the rows fresh by id:
the scoped list's SQL runs again only after a write to one of those tables."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campusgrid.reports import services
from campusgrid.reports.models import Report

pytestmark = pytest.mark.django_db


def _ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-report-id="(\d+)"', response.content.decode())]


def _report(actor, description, students, **extra):
    return services.report_create(
        actor=actor.user,
        category="安全隐患",
        severity="normal",
        description=description,
        students=students,
        **extra,
    )


def _scoped_reads(queries) -> list[str]:
    """The statements that read the reports through a subquery (the scoped list's plan), as
    opposed to the rows read by id."""
    return [
        q["sql"]
        for q in queries.captured_queries
        if "reports_report" in q["sql"] and " IN (SELECT" in q["sql"]
    ]


@pytest.mark.parametrize("url_name", ["reports:list", "reports:todo", "reports:mine"])
def test_a_kept_page_runs_the_scoped_list_once_until_a_write(world, login, kept, url_name):
    first = _report(world.dorm_head, "插线板冒烟", [world.student])
    client = login(world.dorm_head)
    url = reverse(url_name)
    with CaptureQueriesContext(connection) as cold:
        before = _ids(client.get(url))
    with CaptureQueriesContext(connection) as warm:
        again = _ids(client.get(url))
    assert again == before
    if url_name != "reports:mine":  # 我的上报 has no subquery: reporter = me
        assert _scoped_reads(cold), "the first page runs the scoped list"
    assert not _scoped_reads(warm), f"kept: {_scoped_reads(warm)}"
    if url_name == "reports:todo":
        assert before == []  # the dorm head's own report waits for the monitor, not for them
        return
    assert before == [first.pk]

    second = _report(world.dorm_head, "门锁坏了", [world.student])
    assert _ids(client.get(url)) == [second.pk, first.pk]  # the write moved the kept page


def test_a_kept_page_shows_the_rows_as_they_are_now(world, login, kept):
    """Only which reports and how many are kept: a row's state is read with the page."""
    report = _report(world.dorm_head, "插线板冒烟", [world.student])
    client = login(world.dorm_head)
    url = reverse("reports:list")
    assert "已上报" in client.get(url).content.decode()
    Report.objects.filter(pk=report.pk).update(description="描述已改")  # a write the counters see
    assert "描述已改" in client.get(url).content.decode()


def test_each_filter_and_page_has_its_own_kept_list(world, login, kept):
    for i in range(32):
        _report(world.dorm_head, f"问题{i}", [world.student])
    urgent = services.report_create(
        actor=world.dorm_head.user,
        category="安全隐患",
        severity="urgent",
        description="着火",
        students=[world.student],
    )
    client = login(world.dorm_head)
    url = reverse("reports:list")
    page1, page2 = _ids(client.get(url)), _ids(client.get(url, {"page": 2}))
    assert len(page1) == 30 and len(page2) == 3 and not set(page1) & set(page2)
    assert "共 33 条" in client.get(url).content.decode()
    assert _ids(client.get(url, {"severity": "紧急"})) == [urgent.pk]
    assert _ids(client.get(url, {"page": 99})) == page2  # past the end: the last page, as Django answers
    assert _ids(client.get(url)) == page1


def test_a_short_list_is_counted_by_its_page(world, login, kept):
    _report(world.dorm_head, "插线板冒烟", [world.student])
    client = login(world.dorm_head)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reports:list"))
    assert "共 1 条" in response.content.decode()
    counts = [
        q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"] and "reports_report" in q["sql"]
    ]
    # The menu's 待我处理 badge counts the to-do (assignee …); the list itself is not counted.
    assert all("assignee_id" in sql for sql in counts)


def test_kept_pages_are_the_users_own(world, login, kept):
    """Two dorm heads of different rooms never see each other's kept page."""
    mine = _report(world.dorm_head, "插线板冒烟", [world.student])
    other = _report(world.dorm_head_b, "水管漏水", [world.student_b])
    url = reverse("reports:list")
    assert _ids(login(world.dorm_head).get(url)) == [mine.pk]
    assert _ids(login(world.dorm_head_b).get(url)) == [other.pk]
    assert _ids(login(world.dorm_head).get(url)) == [mine.pk]


def test_an_invalid_filter_says_so_and_lists_nothing(world, login, kept):
    _report(world.dorm_head, "插线板冒烟", [world.student])
    response = login(world.dorm_head).get(reverse("reports:list"), {"date_from": "昨天"})
    assert response.status_code == 200
    assert "起始日期" in response.content.decode() and _ids(response) == []
