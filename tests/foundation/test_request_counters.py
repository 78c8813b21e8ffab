"""The change counters of a request (core.fingerprint.start_request, issue 17): read once, for
every watched table, at the first kept figure a request asks; read again after any write the
request makes, so that a request that writes and then reads a kept figure sees its own write;
not kept inside a transaction, nor outside a request. Transactional tests: the other tests run
inside the shared world's transaction, where nothing is kept."""

import pytest
from django.contrib.auth import get_user_model
from django.core.signals import request_finished, request_started
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from campusgrid.core.fingerprint import changes
from campusgrid.grid.models import Post
from campusgrid.org.models import Bed

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

User = get_user_model()


@pytest.fixture
def in_request():
    request_started.send(sender=None)
    yield
    request_finished.send(sender=None)


def users() -> int:
    return dict(changes(User))[User._meta.db_table]


def test_a_request_reads_every_counter_in_one_query(in_request):
    with CaptureQueriesContext(connection) as queries:
        changes(Post)
        changes(Bed, User)
        users()
    assert len(queries) == 1


def test_a_write_then_a_read_in_one_request_sees_the_new_counter(in_request):
    before = users()
    User.objects.create(username="new")
    assert users() == before + 1
    with connection.cursor() as cursor:  # raw SQL too
        cursor.execute("UPDATE auth_user SET is_active = %s", [False])
    assert users() == before + 2


def test_inside_a_transaction_the_counters_are_read_each_time(in_request):
    before = users()
    with pytest.raises(RuntimeError), transaction.atomic():
        User.objects.create(username="undone")
        assert users() == before + 1
        raise RuntimeError
    assert users() == before  # the rolled back write is not counted after the rollback


def test_outside_a_request_the_counters_are_read_each_time():
    request_started.send(sender=None)
    request_finished.send(sender=None)
    with CaptureQueriesContext(connection) as queries:
        changes(Post)
        changes(Post)
    assert len(queries) == 2


def test_another_connections_write_shows_on_the_next_request(in_request):
    from campusgrid.core import fingerprint

    before = users()
    connection.execute_wrappers.remove(fingerprint._forget_counters)  # as if written elsewhere
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                'INSERT INTO core_tablechange ("table", weight) VALUES (%s, 1)', [User._meta.db_table]
            )
    finally:
        connection.execute_wrappers.insert(0, fingerprint._forget_counters)
    assert users() == before  # this request's counters, read before the write
    request_finished.send(sender=None)
    request_started.send(sender=None)
    assert users() == before + 1
