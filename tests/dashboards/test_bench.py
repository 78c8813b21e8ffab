"""`make bench`'s fairer floor (issue 17 item 2): an HTML floor page with the base layout and
navigation for the same user and no content, reachable only where it measures something;
each page's ratio is to the floor of its kind."""

import pytest
from django.test import Client
from django.urls import reverse

from campusgrid.demo import bench

pytestmark = pytest.mark.django_db


def test_the_html_floor_is_the_layout_and_navigation_without_content(world, login, settings):
    client = login(world.leader)
    assert client.get(reverse("bench-floor")).status_code == 404  # not in production
    settings.CAMPUSGRID_BENCH_FLOOR = True
    page = client.get(reverse("bench-floor"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="main-nav"' in html and "网格覆盖" in html  # the same navigation as any page
    assert "panel-" not in html and "<table" not in html  # and nothing of a page's own


def test_staff_may_open_the_floor(world, login):
    user = world.leader.user
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    assert login(world.leader).get(reverse("bench-floor")).status_code == 200


def test_the_floor_needs_a_login(client, settings):
    settings.CAMPUSGRID_BENCH_FLOOR = True
    assert client.get(reverse("bench-floor")).status_code == 302


def test_the_api_floor_is_an_empty_answer_under_the_api_stack(world, login, settings):
    url = reverse("bench-api-floor")
    assert login(world.leader).get(url).status_code == 404  # not in production
    settings.CAMPUSGRID_BENCH_FLOOR = True
    answer = login(world.leader).get(url, HTTP_ACCEPT="application/json")
    assert answer.status_code == 200 and answer.json() == {}
    assert answer.renderer_context["view"].permission_classes  # the API's own permission classes
    assert Client().get(url).status_code in (401, 403)  # the API's answer to a missing login


def test_budgets_are_ratios_to_the_floor_of_the_page_kind():
    html = {"page": "工作台（首页）", "as": "leader", "kind": "html"}
    assert bench.ratio_budget(html) == 10
    assert bench.ratio_budget({**html, "as": "counselor"}) == 5
    assert bench.ratio_budget({**html, "page": "学工部看板", "as": "office"}) == 20
    assert bench.ratio_budget({**html, "page": "请假列表", "as": "dorm_head"}) == 2
    assert bench.ratio_budget({**html, "kind": "api"}) is None
    assert bench.ratio_budget({**html, "peer_of": "学生名册（筛选）"}) is None


def test_pages_option_picks_rows_by_a_word_and_admin_rows_with_their_page():
    assert bench.picked("学生名册（筛选）", []) and bench.picked("看板", [])
    assert bench.picked("学生名册（筛选）", ["名册"]) and not bench.picked("看板", ["名册"])
    assert bench.picked("admin 学生列表（搜索）", ["名册"], peer="学生名册（搜索）")
    assert not bench.picked("admin 学生列表（搜索）", ["看板"], peer="学生名册（搜索）")
    assert bench.picked("admin 学生列表（搜索）", ["看板", "admin"], peer="学生名册（搜索）")


def test_pages_compared_are_timed_in_turn(world, login):
    """The peer row's ratio comes from one interleaved run of the two pages: a, b, a, b …"""
    client = login(world.leader)
    seen = []
    real_get = client.get

    def get(path, *args, **kwargs):
        seen.append(path)
        return real_get(path, *args, **kwargs)

    client.get = get
    a, b = reverse("home"), reverse("people:students")
    first, second = bench.time_pages(client, [a, b], 3)
    assert first["status"] == second["status"] == 200 and first["queries"] > 0
    assert seen[-6:] == [a, b, a, b, a, b]


def test_the_peer_ratio_is_ours_over_the_admin_from_the_same_run():
    row = {"page": "admin 学生列表（筛选）", "p50_ms": 40.0, "peer_pair": {"p50_ms": 18.0}}
    assert bench.peer_ratio(row) == 0.45


def test_a_pages_ratio_is_to_the_floor_timed_beside_it():
    run_floor = {"dorm_head": {"p95_ms": 40.0}}
    row = {"as": "dorm_head", "p95_ms": 30.0, "floor_beside": {"p95_ms": 20.0}}
    assert bench.floor_ratio(row, run_floor) == 1.5
    assert bench.floor_ratio({"as": "dorm_head", "p95_ms": 30.0}, run_floor) == 0.8  # an admin row


def test_a_row_starts_with_the_users_api_history_forgotten(world, api, settings, kept):
    settings.CAMPUSGRID_THROTTLE_USER = "3/min"
    client = api(world.leader)
    for _ in range(3):
        assert client.get("/api/v1/students/").status_code == 200
    assert client.get("/api/v1/students/").status_code == 429
    bench._fresh_throttle(world.leader.user)
    assert client.get("/api/v1/students/").status_code == 200
