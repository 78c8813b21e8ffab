"""学生名册 and /api/v1/students/ read a page at a time (issue 17 item 2): keyset pages by
学号 on the page, a probe row on the API, and neither counts the whole scoped list."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campusgrid.people.models import Student
from tests import factories as f
from tests.scoping.test_contract import COLLEGE_A

pytestmark = pytest.mark.django_db

ROSTER = reverse("people:students")


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr("campusgrid.people.views.PAGE_SIZE", 4)


def numbers(html: str) -> list[str]:
    return re.findall(r'<td><a href="/students/([^/]+)/">\1</a>', html)


def link(html: str, rel: str) -> str | None:
    found = re.search(rf'rel="{rel}" href="([^"]+)"', html)
    return unescape(found.group(1)) if found else None


def counts(queries) -> list[str]:
    """Counts of the student list (QuerySet.count()); the layout counts other things
    (unread notifications, a navigation badge) its own way."""
    pattern = re.compile(r'^SELECT COUNT\(\*\)( AS "__count")? FROM (\(SELECT .*? FROM )?"people_student"')
    return [q["sql"] for q in queries if pattern.match(q["sql"])]


def test_next_pages_walk_the_whole_list_once_in_student_number_order(world, login, small_pages):
    client = login(world.counselor)
    seen, url, pages = [], ROSTER, 0
    while url:
        html = client.get(url if url.startswith("/") else ROSTER + url).content.decode()
        rows = numbers(html)
        assert rows and len(rows) <= 4
        seen += rows
        url, pages = link(html, "next"), pages + 1
    assert pages == 3
    assert seen == sorted(COLLEGE_A)  # every row once, none lost or repeated, in 学号 order


def test_previous_pages_walk_back_to_the_first(world, login, small_pages):
    client = login(world.counselor)
    last = sorted(COLLEGE_A)[-3:]
    html = client.get(ROSTER, {"after": sorted(COLLEGE_A)[-4]}).content.decode()
    assert numbers(html) == last and link(html, "next") is None
    seen = []
    while (back := link(html, "prev")) is not None:
        html = client.get(ROSTER + back).content.decode()
        seen = numbers(html) + seen
    assert seen + last == sorted(COLLEGE_A)
    assert "上一页" not in html and "首页" in html  # reached the start by 上一页


def test_a_student_added_meanwhile_does_not_shift_the_next_page(world, login, small_pages):
    client = login(world.counselor)
    first = client.get(ROSTER).content.decode()
    second_url = link(first, "next")
    before = numbers(client.get(ROSTER + second_url).content.decode())
    f.StudentFactory(student_no="A0999", school_class=world.class_a1)  # sorts before every row
    assert numbers(client.get(ROSTER + second_url).content.decode()) == before


def test_page_links_keep_the_filters(world, login, small_pages):
    client = login(world.counselor)
    html = client.get(ROSTER, {"status": "enrolled", "college": world.college_a.pk}).content.decode()
    following = link(html, "next")
    assert "status=enrolled" in following and f"college={world.college_a.pk}" in following
    assert "after=" in following
    html = client.get(ROSTER + following).content.decode()
    back = link(html, "prev")
    assert "status=enrolled" in back and "before=" in back and "after=" not in back


def test_an_unfiltered_page_runs_no_count(world, login, small_pages):
    client = login(world.counselor)
    client.get(ROSTER)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(ROSTER)
    assert len(numbers(response.content.decode())) == 4 and link(response.content.decode(), "next")
    assert counts(queries) == []
    assert "共 " not in response.content.decode().split('id="roster-count"')[1][:80]


def test_a_filtered_page_counts_at_most_the_cap(world, login, small_pages, monkeypatch):
    client = login(world.counselor)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(ROSTER, {"status": "enrolled"}).content.decode()
    enrolled = Student.objects.filter(student_no__in=COLLEGE_A, status="enrolled").count()
    assert f"共 {enrolled} 人" in html
    (count,) = counts(queries)
    assert "LIMIT" in count.upper()  # bounded: never the whole scoped list
    monkeypatch.setattr("campusgrid.core.paging.COUNT_CAP", 5)
    html = client.get(ROSTER, {"status": "enrolled"}).content.decode()
    assert "超过 5 人" in html


def test_a_list_on_one_page_shows_its_count_without_a_query(world, login):
    client = login(world.counselor)
    client.get(ROSTER)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(ROSTER).content.decode()
    assert f"共 {len(COLLEGE_A)} 人" in html and counts(queries) == []
    assert 'id="roster-pager"' not in html


def test_a_stale_page_link_from_the_old_pager_opens_the_first_page(world, login, small_pages):
    html = login(world.counselor).get(ROSTER, {"page": "3"}).content.decode()
    assert numbers(html) == sorted(COLLEGE_A)[:4]


# --- the API ------------------------------------------------------------------------------------


def test_api_pages_walk_the_list_and_count_only_on_the_last(world, api):
    client = api(world.counselor)
    seen, url, bodies = [], "/api/v1/students/?page_size=4", []
    while url:
        body = client.get(url).json()
        bodies.append(body)
        seen += [r["student_no"] for r in body["results"]]
        url = body["next"]
    assert seen == sorted(COLLEGE_A)
    assert [b["count"] for b in bodies] == [None, None, len(COLLEGE_A)]
    assert bodies[0]["previous"] is None and "page=2" in bodies[2]["previous"]


def test_api_first_page_runs_no_count_and_last_page_is_found(world, api):
    client = api(world.counselor)
    client.get("/api/v1/students/?page_size=4")
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/v1/students/?page_size=4&status=enrolled").json()
    assert body["count"] is None and counts(queries) == []
    last = client.get("/api/v1/students/?page_size=4&page=last").json()
    assert [r["student_no"] for r in last["results"]] == sorted(COLLEGE_A)[8:]
    assert last["count"] == len(COLLEGE_A) and last["next"] is None
