"""Tonight's progress on the home page, kept between requests (ledgers.panels.night_progress_panel
through core.fingerprint.kept) with the servers' cache: a check submitted, corrected or changed
behind every service's back shows on the next request, and the kept values are the answer."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from campusgrid.ledgers import panels
from campusgrid.ledgers.models import NightCheckEntry

from .test_night import submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kept")]


def panel(user):
    request = RequestFactory().get("/")
    request.user = user
    return panels.night_progress_panel(request)


def _counts(context) -> dict:
    return {key: f.count for key, f in context["figures"].items()}


def test_the_cache_is_on_here_and_keeps_the_aggregates(world, evening):
    submit(world, A1002="absent")
    panel(world.counselor.user)
    with CaptureQueriesContext(connection) as first:
        kept_context = panel(world.counselor.user)
    cache.clear()
    with CaptureQueriesContext(connection) as computed:
        fresh = panel(world.counselor.user)
    # kept: the counters, then the exceptions and the latest checks by id; computed: the aggregates too
    assert len(first) == 3 and len(computed) > len(first)
    assert _counts(kept_context) == _counts(fresh) == {"absent": 1, "late": 0, "leave": 0}
    assert kept_context["progress"] == fresh["progress"]
    assert [c["absent_figure"].count for c in kept_context["classes"]] == [
        c["absent_figure"].count for c in fresh["classes"]
    ]
    assert [e.pk for e in kept_context["exceptions"]] == [e.pk for e in fresh["exceptions"]]


def test_a_check_submitted_shows_on_the_next_request(world, evening, login):
    client = login(world.counselor)
    page = client.get("/").content.decode()
    assert "0/11" in page and 'data-room="东1/301"' not in page
    submit(world, A1002="absent")
    page = client.get("/").content.decode()
    assert "4/11" in page and 'data-room="东1/301"' in page and "张三" in page
    assert _counts(panel(world.counselor.user))["absent"] == 1


def test_a_line_changed_behind_the_services_back_shows_at_once(world, evening):
    submit(world, A1002="absent")
    assert _counts(panel(world.leader.user))["absent"] == 1
    NightCheckEntry.objects.filter(student=world.student).update(status="late")  # no save(), no service
    context = panel(world.leader.user)
    assert _counts(context) == {"absent": 0, "late": 1, "leave": 0}
    assert [e.status for e in context["exceptions"]] == ["late"]  # the rows are read fresh


def test_each_user_keeps_their_own_night(world, evening):
    submit(world, A1002="absent")
    assert panel(world.counselor.user)["progress"]["totals"]["students"] == 11
    assert panel(world.leader_b.user)["progress"]["totals"]["checked_students"] == 0


def test_the_progress_page_keeps_its_aggregates_and_shows_a_check_at_once(world, evening, login):
    """今晚查寝进度 keeps the same aggregates as the panel: kept, it reads fewer queries; a
    submitted check and a line changed behind the services' back show on the next request."""
    from django.urls import reverse

    client = login(world.counselor)
    url = reverse("ledgers:night-progress")
    client.get(url)
    with CaptureQueriesContext(connection) as kept_page:
        first = client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as computed:
        again = client.get(url)
    assert len(kept_page) < len(computed)
    assert first.context["progress"] == again.context["progress"]
    assert first.context["progress"]["totals"]["checked_students"] == 0
    submit(world, A1002="absent")
    totals = client.get(url).context["progress"]["totals"]
    assert totals["checked_students"] == 4 and totals["absent"] == 1
    NightCheckEntry.objects.filter(student=world.student).update(status="late")
    totals = client.get(url).context["progress"]["totals"]
    assert totals["absent"] == 0 and totals["late"] == 1
