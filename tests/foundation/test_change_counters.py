"""The change counters behind the kept figures (core/fingerprint.py): every watched table has
its trigger after migrate, every kind of write raises its counter — save(), bulk update, raw
SQL, delete — a sign-in does not raise the users' counter, and folding keeps every sum."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campusgrid.core import fingerprint
from campusgrid.core.models import AuditEvent, TableChange
from campusgrid.grid.models import Post
from campusgrid.people.models import Student

pytestmark = pytest.mark.django_db


def counter(model) -> int:
    return dict(fingerprint.changes(model))[model._meta.db_table]


def test_every_watched_table_has_its_trigger_after_migrate():
    watched = fingerprint.watched()
    assert {"people_student", "grid_post", "party_step"} <= set(watched)
    assert fingerprint.installed_on() >= set(watched)
    assert fingerprint.install_triggers() == len(watched)  # idempotent
    assert fingerprint.installed_on() >= set(watched)


def test_changes_reads_every_counter_in_one_query():
    with CaptureQueriesContext(connection) as queries:
        fingerprint.changes(Student, Post)
    assert len(queries) == 1


def test_inside_read_once_the_counters_are_read_once_for_every_set_of_inputs(world):
    from campusgrid.org.models import SchoolClass

    apart = (fingerprint.changes(Student, Post), fingerprint.changes(SchoolClass))
    with CaptureQueriesContext(connection) as queries, fingerprint.read_once():
        together = (fingerprint.changes(Student, Post), fingerprint.changes(SchoolClass))
        fingerprint.changes(Student)
    assert len(queries) == 1 and together == apart
    with CaptureQueriesContext(connection) as queries:  # outside, each set reads its own again
        fingerprint.changes(Student, Post)
        fingerprint.changes(SchoolClass)
    assert len(queries) == 2


@pytest.mark.parametrize("path", ["/students/?grade=2024&status=enrolled", "/"])
def test_a_page_reads_the_counters_once(world, login, kept, path):
    """core.fingerprint.ReadOnceMiddleware: the roster's choices, grades and menu, the home
    page's panels and menu, each from one read of the counters."""
    client = login(world.counselor)
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    counters = [q for q in queries.captured_queries if '"core_tablechange"' in q["sql"]]
    assert len(counters) == 1


def test_a_post_reads_the_counters_as_it_goes(world, login, settings):
    """A write moves the counters that the figures after it read: no read_once around a POST."""
    from . import read_once_urls

    settings.ROOT_URLCONF = "tests.foundation.read_once_urls"
    read_once_urls.SEEN.clear()
    client = login(world.counselor)
    client.post("/probe/")
    client.get("/probe/")
    assert read_once_urls.SEEN == [("POST", False), ("GET", True)]


def test_a_table_nobody_watches_is_refused():
    with pytest.raises(LookupError, match="core_auditevent"):
        fingerprint.changes(AuditEvent)


def test_every_kind_of_write_raises_the_counter(world):
    student = Student.objects.get(pk=world.student.pk)
    before = counter(Student)
    student.save()
    after_save = counter(Student)
    assert after_save > before
    Student.objects.filter(pk=student.pk).update(name="改名")  # a bulk update: no save(), no signal
    after_update = counter(Student)
    assert after_update > after_save
    with connection.cursor() as cursor:
        cursor.execute("UPDATE people_student SET phone = '' WHERE id = %s", [student.pk])
    after_raw = counter(Student)
    assert after_raw > after_update
    Post.objects.filter(student=student).delete()
    assert counter(Post) > 0


def test_a_sign_in_does_not_count_but_a_deactivation_does(world):
    User = get_user_model()
    user = User.objects.get(pk=world.student.user_id)
    before = counter(User)
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    assert counter(User) == before
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert counter(User) > before


def test_folding_keeps_every_sum(world, monkeypatch):
    for _ in range(3):
        Student.objects.filter(pk=world.student.pk).update(name="一")
        Post.objects.filter(pk=-1).update(end_date=None)
    sums = fingerprint.changes(Student, Post)
    monkeypatch.setattr(fingerprint, "COMPACT_FROM", 0)
    fingerprint.compact()
    assert fingerprint.changes(Student, Post) == sums
    assert TableChange.objects.filter(table__in=["people_student", "grid_post"]).count() <= 2
    Student.objects.filter(pk=world.student.pk).update(name="二")
    assert dict(fingerprint.changes(Student))["people_student"] > dict(sums)["people_student"]


def _vacuum_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'core_tablechange'")
        return cursor.fetchone()[0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_fold_outside_a_transaction_vacuums_the_counters_in_postgresql(monkeypatch):
    """Every counter read walks the dead rows a fold leaves until a vacuum (issue 17: 900,000 of
    them after a demo build); the tick's fold, which runs outside a transaction, vacuums them."""
    for name in ("一", "二", "三"):
        Student.objects.filter(pk=-1).update(name=name)
    monkeypatch.setattr(fingerprint, "COMPACT_FROM", 0)
    before = _vacuum_count()
    sums = fingerprint.changes(Student)
    fingerprint.compact()
    assert _vacuum_count() == before + 1
    assert fingerprint.changes(Student) == sums
    with transaction.atomic():  # inside a transaction there is no vacuum, and no error
        Student.objects.filter(pk=-1).update(name="四")
        fingerprint.compact()
    assert _vacuum_count() == before + 1
