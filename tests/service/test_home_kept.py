"""The home page's 本期舆情 and 我的网格职务 panels, and the menu's service facts, are kept
between requests (core.fingerprint.kept) and move with the next write they read."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campusgrid.core import clock
from campusgrid.core.fingerprint import _TABLE_IN_SQL as TABLE
from campusgrid.core.scoping import forget_scope
from campusgrid.grid.models import Post, PostKind
from campusgrid.service import services

pytestmark = pytest.mark.django_db


def _read(queries) -> set[str]:
    return {table for q in queries.captured_queries for table in TABLE.findall(q["sql"])}


def _panel(html: str, marker: str) -> str:
    return html.split(marker, 1)[1].split("</div></div></div>", 1)[0] if marker in html else ""


def test_the_opinion_panel_is_kept_and_moves_with_a_filed_report(world, login, kept):
    client = login(world.dorm_head)
    home = client.get(reverse("home")).content.decode()
    assert "本周还没有报送舆情" in _panel(home, 'id="panel-opinion"')
    with CaptureQueriesContext(connection) as again:
        assert "本周还没有报送舆情" in _panel(
            client.get(reverse("home")).content.decode(), 'id="panel-opinion"'
        )
    read = _read(again)
    assert not read & {
        "service_opinionreport",
        "service_specialperiod",
        "service_opinionsettings",
        "service_pairing",
    }

    services.opinion_report_nothing(actor=world.dorm_head.user)
    panel = _panel(client.get(reverse("home")).content.decode(), 'id="panel-opinion"')
    assert "已报送（无异常）" in panel

    services.special_period_create(
        actor=world.leader.user,
        college=world.college_a,
        kind="key_date",
        name="国庆节",
        start=clock.today(),
        end=clock.today(),
        due_time=dt.time(20, 0),
    )
    panel = _panel(client.get(reverse("home")).content.decode(), 'id="panel-opinion"')
    assert "今日舆情（国庆节）" in panel and "今天还没有报送舆情" in panel  # a daily report is due again


def test_the_service_facts_are_kept_per_user_and_follow_a_pairing(world, login, kept):
    from campusgrid.service.models import Pairing

    client = login(world.student)
    assert "我的结对" not in client.get(reverse("home")).content.decode()
    with CaptureQueriesContext(connection) as again:
        client.get(reverse("home"))
    assert "service_pairing" not in _read(again)
    Pairing.objects.create(
        student=world.student,
        mentor=world.small_grid_leader.user,
        mentor_name=world.small_grid_leader.name,
        goal="学业帮扶",
        last_contact_on=clock.today(),
    )
    assert "我的结对" in client.get(reverse("home")).content.decode()
    # Another student is not answered from this student's kept facts.
    assert "我的结对" not in login(world.student_b).get(reverse("home")).content.decode()


def test_my_posts_panel_is_kept_and_drops_an_ended_post(world, login, kept):
    client = login(world.dorm_head)
    marker = "我的网格职务"
    home = client.get(reverse("home")).content.decode()
    assert marker in home and "舍长" in home.split(marker, 1)[1][:400]
    with CaptureQueriesContext(connection) as again:
        client.get(reverse("home"))
    # The scope reads the posts on every request (grid.scope); the panel's own read joins the places.
    panel_sql = [q for q in again.captured_queries if q["sql"].startswith('SELECT "grid_post"."id"')]
    assert not [q for q in panel_sql if 'JOIN "org_building"' in q["sql"]]
    Post.objects.filter(student=world.dorm_head, kind=PostKind.DORM_HEAD).update(end_date=clock.today())
    forget_scope(world.dorm_head.user)
    home = client.get(reverse("home")).content.decode()
    assert marker not in home and "我的信息" in home
