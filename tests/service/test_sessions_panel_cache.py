"""我的活动 on the home page, kept between requests (service.panels.my_sessions_panel through
core.fingerprint.kept) with the servers' cache: a session published to the student's class,
hours credited, or a student moved into an audience's room show on the next request."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from campusgrid.service import panels, services
from campusgrid.service.models import Session

from .test_sessions_pages import _session

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kept")]


def panel(user):
    request = RequestFactory().get("/")
    request.user = user
    return panels.my_sessions_panel(request)


def _titles(context) -> list[str]:
    return [s["title"] for s in context["upcoming"]] if context else []


def test_the_panel_is_kept_and_is_the_answer(world):
    _session(world, title="班会", past=False)
    assert _titles(panel(world.student.user)) == ["班会"]
    with CaptureQueriesContext(connection) as kept_read:
        assert _titles(panel(world.student.user)) == ["班会"]
    assert len(kept_read) == 1  # the change counters only


def test_a_session_published_shows_on_the_next_request(world, login):
    _session(world, title="班会", past=False)
    client = login(world.student)
    assert "班会" in client.get("/").content.decode()
    _session(world, title="消防演练", past=False)
    page = client.get("/").content.decode()
    assert "班会" in page and "消防演练" in page


def test_a_title_changed_behind_the_services_back_shows_at_once(world):
    session = _session(world, title="班会", past=False)
    assert _titles(panel(world.student.user)) == ["班会"]
    Session.objects.filter(pk=session.pk).update(title="主题班会")  # no save(), no service
    assert _titles(panel(world.student.user)) == ["主题班会"]


def test_hours_credited_show_at_once(world):
    session = _session(world, title="志愿服务", past=True, kind="volunteer")
    assert panel(world.student.user) is None  # nothing ahead, no hours yet
    services.attendance_record(
        actor=world.counselor.user, session=session, student=world.student, status="present"
    )
    services.hours_credit(actor=world.counselor.user, session=session)
    assert panel(world.student.user)["totals"]["volunteer"] == 2


def test_each_student_keeps_their_own_sessions(world):
    _session(world, title="班会", past=False, audience=[world.class_a1])
    assert _titles(panel(world.student.user)) == ["班会"]
    assert _titles(panel(world.student_b.user)) == []
