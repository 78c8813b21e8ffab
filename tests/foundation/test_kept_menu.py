"""The menu's per-user answers kept between requests (issue 17): the unread notices' badge and
the service items' facts are kept under the change counters of the tables they read, and a
write shows on the very next request (with the servers' cache; without one nothing is kept)."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from campusgrid.core import clock
from campusgrid.core.auth import Backend
from campusgrid.core.context_processors import menu_entries
from campusgrid.notifications.models import Notification
from campusgrid.service.models import Pairing

pytestmark = pytest.mark.django_db


def next_request(person) -> dict:
    """The menu's items as the next request draws them: {label: badge}."""
    user = Backend().get_user(person.user.pk)
    items = []
    for entry in menu_entries(RequestFactory().get("/"), user):
        items += entry.get("members", [entry])
    return {item["label"]: item["badge"] for item in items}


@pytest.mark.usefixtures("kept")
def test_a_notice_sent_and_read_shows_in_the_badge_on_the_next_request(world):
    assert next_request(world.dorm_head)["通知"] is None
    notice = Notification.objects.create(user=world.dorm_head.user, title="查寝提醒")
    assert next_request(world.dorm_head)["通知"] == 1
    Notification.objects.filter(pk=notice.pk).update(read_at=clock.now())  # behind the service's back
    assert next_request(world.dorm_head)["通知"] is None


@pytest.mark.usefixtures("kept")
def test_a_pairing_made_shows_in_the_menu_on_the_next_request(world):
    assert "我的结对" not in next_request(world.student)
    Pairing.objects.create(
        student=world.student,
        mentor=world.counselor.user,
        mentor_name="辅导员甲",
        goal="就业",
        last_contact_on=clock.today(),
    )
    assert "我的结对" in next_request(world.student)
    assert "我的结对" in next_request(world.counselor)


@pytest.mark.usefixtures("kept")
def test_a_kept_menu_reads_only_the_counters(world):
    next_request(world.dorm_head)
    user = Backend().get_user(world.dorm_head.user.pk)
    with CaptureQueriesContext(connection) as queries:
        menu_entries(RequestFactory().get("/"), user)
    assert {q["sql"].split(" FROM ")[1].split()[0] for q in queries} == {'"core_tablechange"'}


def test_without_a_cache_the_menu_reads_its_answers(world):
    next_request(world.dorm_head)
    user = Backend().get_user(world.dorm_head.user.pk)
    with CaptureQueriesContext(connection) as queries:
        menu_entries(RequestFactory().get("/"), user)
    sql = " ".join(q["sql"] for q in queries)
    assert "notifications_notification" in sql and "core_tablechange" not in sql
