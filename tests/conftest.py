import copy
import os

import pytest

from campusgrid.core import clock

from . import world as world_module


class SharedWorld:
    """The test world built once and kept for the tests that use it.

    Building the cast costs far more than most tests (dozens of users, posts and
    rooms), so the non-transactional tests that ask for `world` run first, together
    (see `pytest_collection_modifyitems`), inside one outer transaction that holds the
    world: each test's own transaction is a savepoint in it and rolls back to the world
    as built. Each test gets a deep copy of the built objects (what Django's
    `setUpTestData` does), so what a test changes in memory never reaches the next one;
    tests that need the database's current state re-fetch by pk, as they always did.
    Before any other database test the outer transaction is rolled back, so those
    tests still start from an empty database. Transactional tests (and the first test,
    before the test database exists) build their own world as before."""

    def __init__(self):
        self.db_ready = False
        self.atomic = None
        self.world = None

    def open(self, blocker):
        if self.atomic is not None:
            return
        from django.db import transaction

        with blocker.unblock():
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            with _pinned_clock():
                self.world = world_module.build()
        for value in vars(self.world).values():
            _forget_scope(value)

    def close(self, blocker):
        if self.atomic is None:
            return
        from django.db import transaction

        with blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.atomic = self.world = None

    def copy(self):
        return copy.deepcopy(self.world)


SHARED = SharedWorld()


def _forget_scope(value):
    from campusgrid.core.scoping import forget_scope

    user = getattr(value, "user", None)
    if user is not None:
        forget_scope(user)


def _pinned_clock():
    import contextlib

    @contextlib.contextmanager
    def pin():
        pinned = os.environ.get("CAMPUSGRID_TEST_NOW")
        if pinned:
            import datetime as dt

            clock.set_now(dt.datetime.fromisoformat(pinned))
        try:
            yield
        finally:
            clock.set_now(None)

    return pin()


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    names = getattr(item, "fixturenames", [])
    return bool(
        (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
        or "transactional_db" in names
        or "live_server" in names
    )


def _uses_db(item) -> bool:
    names = getattr(item, "fixturenames", [])
    return bool(item.get_closest_marker("django_db") or "db" in names or _is_transactional(item))


def _shares_world(item) -> bool:
    return "world" in getattr(item, "fixturenames", []) and not _is_transactional(item)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, and the shared world's end before it is dropped."""
    SHARED.db_ready = True
    yield
    SHARED.close(django_db_blocker)
    SHARED.db_ready = False


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    # Before the test's fixtures: its own transaction must open inside the world's.
    if SHARED.db_ready and _uses_db(item):
        from pytest_django.plugin import blocking_manager_key

        blocker = item.config.stash[blocking_manager_key]
        if _shares_world(item):
            SHARED.open(blocker)
        else:
            SHARED.close(blocker)
    yield


@pytest.fixture
def world(db):
    """The named cast (tests/world.py): built once per run, a fresh copy for each test."""
    if SHARED.world is not None:
        world = SHARED.copy()
        for value in vars(world).values():
            _forget_scope(value)
        return world
    return world_module.build()


@pytest.fixture
def kept(settings):
    """The cache the servers have, for tests of figures kept between requests (the test
    settings turn caching off: DummyCache), empty before and after the test."""
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


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

    # The tests sharing the built world first (pytest-django has put the database tests
    # first already; the sort is stable), so that it is built once. See SharedWorld.
    items.sort(key=lambda item: 0 if _shares_world(item) else 1)

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
        if "engine_free" in item.keywords and not on_sqlite:
            item.add_marker(pytest.mark.skip(reason="the same on every engine: runs in the SQLite suite"))
        if "browser" in item.keywords and not have_browser and not require_browser:
            item.add_marker(pytest.mark.skip(reason="needs /usr/bin/chromium (apt-get install -y chromium)"))
