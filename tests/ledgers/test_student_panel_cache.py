"""A student's 请假与离校返校 on the home page, kept between requests (ledgers.panels.student_panel
through core.fingerprint.kept) with the servers' cache: leave asked for, decided or changed
behind every service's back shows on the next request."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from campusgrid.ledgers import panels
from campusgrid.ledgers.models import LeaveRequest

from .test_night import approved_leave

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kept")]


def panel(user):
    request = RequestFactory().get("/")
    request.user = user
    return panels.student_panel(request)


def test_leave_shows_on_the_next_request_and_is_kept_until_then(world, evening, login):
    client = login(world.student)
    assert "暂无请假或离校登记" in client.get("/").content.decode()
    leave = approved_leave(world)
    page = client.get("/").content.decode()
    assert "暂无请假或离校登记" not in page and f"/ledgers/leave/{leave.pk}/" in page
    panel(world.student.user)
    with CaptureQueriesContext(connection) as kept_read:
        assert [row["state"] for row in panel(world.student.user)["leaves"]] == ["已批准"]
    assert len(kept_read) == 1  # the change counters only


def test_a_state_changed_behind_the_services_back_shows_at_once(world, evening):
    leave = approved_leave(world)
    assert [row["state"] for row in panel(world.student.user)["leaves"]] == ["已批准"]
    LeaveRequest.objects.filter(pk=leave.pk).update(state="refused")  # no save(), no service
    assert [row["state"] for row in panel(world.student.user)["leaves"]] == ["未批准"]


def test_each_student_keeps_their_own(world, evening):
    approved_leave(world)
    assert panel(world.student.user)["leaves"]
    assert panel(world.student_b.user)["empty"]
