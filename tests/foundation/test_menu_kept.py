"""The menu is kept between requests (core.context_processors): its rules and badges are read
once per user, scope and minute, and again as soon as a table they read changes."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campusgrid.core import clock
from campusgrid.core.context_processors import menu_facts, menu_inputs
from campusgrid.core.fingerprint import _TABLE_IN_SQL as TABLE  # check_inputs' reading of SQL
from campusgrid.core.scoping import forget_scope, scope_for

from ..world import PERSONAS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", PERSONAS + ["dorm_head_mixed", "activist_mixed"])
def test_the_menu_reads_only_the_tables_it_is_kept_on(world, persona):
    user = world[persona].user
    forget_scope(user)
    scope = scope_for(user)  # the scope is the kept menu's key: compiled before, not part of it
    with CaptureQueriesContext(connection) as queries:
        menu_facts(user, scope)
    read = {table for q in queries.captured_queries for table in TABLE.findall(q["sql"])}
    # The service rules' one query selects its answers beside the viewing user's own row
    # (service.selectors.navigation): it reads no column of it.
    declared = {model._meta.db_table for model in menu_inputs()} | {"auth_user"}
    assert read <= declared, f"{persona}'s menu reads {sorted(read - declared)}"


def _badges(html: str) -> dict[str, str]:
    """The menu's badges by item label, and the header's unread count."""
    nav = html.split('id="main-nav"', 1)[1].split("</ul>", 1)[0]
    found = dict(re.findall(r'</i> ([^<]+?) <span class="badge[^"]*">(\d+)</span>', nav))
    header = re.search(r'id="header-unread">(\d+)<', html)
    found["header"] = header.group(1) if header else None
    return found


def test_a_kept_menu_moves_with_the_next_write_it_reads(world, login, kept, settings):
    from campusgrid.notifications.models import Notification
    from campusgrid.reports import services as report_services

    settings.CAMPUSGRID_BENCH_FLOOR = True
    floor = reverse("bench-floor")  # the layout and nothing else: what it reads is the menu's
    client = login(world.monitor)
    before = _badges(client.get(floor).content.decode())
    assert "待我处理" not in before and before["header"] is None
    with CaptureQueriesContext(connection) as again:
        assert _badges(client.get(floor).content.decode()) == before
    # Kept: the second page reads the counters, not the rules and badges (nor the header's count).
    read = {table for q in again.captured_queries for table in TABLE.findall(q["sql"])}
    assert "core_tablechange" in read
    assert not read & {"notifications_notification", "reports_report", "service_pairing"}

    report_services.report_create(  # reaches the monitor: a report at level 2 and a notification
        actor=world.dorm_head.user,
        category="安全隐患",
        severity="normal",
        description="插线板冒烟",
        students=[world.student],
    )
    after = _badges(client.get(floor).content.decode())
    unread = Notification.objects.filter(user=world.monitor.user, read_at__isnull=True).count()
    assert unread >= 1 and after["header"] == str(unread) and after["通知"] == str(unread)
    assert after.get("待我处理") == "1"

    Notification.objects.filter(user=world.monitor.user).update(read_at=clock.now())
    read = _badges(client.get(floor).content.decode())
    assert read["header"] is None and "通知" not in read and read["待我处理"] == "1"


def test_the_kept_menu_is_the_users_own(world, login, kept):
    """Two users never share a menu: the key holds the user and their scope."""

    def items(person) -> str:
        html = login(person).get("/").content.decode()
        return html.split('id="main-nav"', 1)[1].split("</ul>", 1)[0]

    for _ in range(2):  # computed, then kept
        counselor, dorm_head = items(world.counselor), items(world.dorm_head)
        assert "网格覆盖" in counselor and "重点学生" in counselor
        assert "今晚查寝" in dorm_head and "重点学生" not in dorm_head
