import os

import pytest

from campusgrid.core import clock

from . import world as world_module


@pytest.fixture
def world(db):
    return world_module.build()


@pytest.fixture
def login(client):
    """login(person) logs the test client in as a Student or Staff (or a User)."""

    def do(person):
        user = getattr(person, "user", person)
        client.force_login(user)
        return client

    return do


@pytest.fixture
def api(db):
    from rest_framework.test import APIClient

    from campusgrid.core.scoping import forget_scope

    class Client(APIClient):
        """Each request computes the scope afresh, as a real request does (the
        forced user object would otherwise keep the scope cached between requests)."""

        user = None

        def request(self, **kwargs):
            if self.user is not None:
                forget_scope(self.user)
            return super().request(**kwargs)

    def make(person=None):
        c = Client()
        if person is not None:
            c.user = getattr(person, "user", person)
            c.force_authenticate(c.user)
        return c

    return make


@pytest.fixture(autouse=True)
def _release_clock():
    # CAMPUSGRID_TEST_NOW (ISO-8601) runs the suite as if it were that moment, to check that
    # no test depends on the hour CI happens to run at (e.g. 2026-11-26T23:50:00+08:00).
    pinned = os.environ.get("CAMPUSGRID_TEST_NOW")
    if pinned:
        import datetime as dt

        clock.set_now(dt.datetime.fromisoformat(pinned))
    yield
    clock.set_now(None)


@pytest.fixture
def travel():
    """travel(datetime) pins the clock; later calls move it."""

    def move(moment):
        clock.set_now(moment)
        return moment

    return move


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    on_sqlite = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
    have_browser = os.path.exists("/usr/bin/chromium")
    require_browser = os.environ.get("CAMPUSGRID_REQUIRE_BROWSER") == "1"
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            # A transactional test flushes the database when it ends, which would take the
            # data migrations' rows (report categories, deadlines…) from every later test.
            raise pytest.UsageError(
                f"{item.nodeid}: use pytest.mark.django_db(transaction=True, serialized_rollback=True)"
            )
        if "postgres" in item.keywords and on_sqlite:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)"))
        if "browser" in item.keywords and not have_browser and not require_browser:
            item.add_marker(pytest.mark.skip(reason="needs /usr/bin/chromium (apt-get install -y chromium)"))
