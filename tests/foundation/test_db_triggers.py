"""The one installer of database triggers (core/dbtriggers.py): every registered set — the change
counters, the 住宿记录 — is in place after migrate, and installing again changes nothing."""

import pytest
from django.db import connection

from campusgrid.core import dbtriggers, fingerprint
from campusgrid.people import residence
from campusgrid.people.models import Residence, Student

pytestmark = pytest.mark.django_db


def trigger_names() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT DISTINCT trigger_name FROM information_schema.triggers")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {row[0] for row in cursor.fetchall()}


def test_every_set_is_installed_after_migrate_and_a_second_install_changes_nothing(world):
    assert {fingerprint.TRIGGER_SET, residence.TRIGGER_SET} <= set(dbtriggers._sets)
    before = trigger_names()
    assert {f"{residence.TRIGGER}_insert", f"{residence.TRIGGER}_update"} <= before
    assert any(name.startswith(fingerprint.TRIGGER) for name in before)
    done = dbtriggers.install()
    assert set(done) == set(dbtriggers._sets)
    assert trigger_names() == before
    # and they still work: a bed change leaves one dated stay, and raises the students' counter
    counter = dict(fingerprint.changes(Student))["people_student"]
    stays = Residence.objects.filter(student=world.student).count()
    Student.objects.filter(pk=world.student.pk).update(bed=None)
    assert Residence.objects.filter(student=world.student, until__isnull=True).count() == 0
    assert Residence.objects.filter(student=world.student).count() <= stays
    assert dict(fingerprint.changes(Student))["people_student"] > counter
