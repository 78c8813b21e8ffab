"""Two people submitting the same room's night check at the same moment: one
check, one line per student, one 夜不归宿 report (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection

from campusgrid.core.errors import Conflict
from campusgrid.ledgers import services
from campusgrid.ledgers.models import NightCheck, NightCheckEntry
from campusgrid.reports.models import Report
from tests import world as world_module

from .conftest import NIGHT


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("existing", [False, True], ids=["first submission", "correction"])
def test_concurrent_submissions_make_one_check_and_one_report(existing):
    world = world_module.build()
    if existing:
        services.night_check_submit(actor=world.counselor.user, room=world.room_a1, date=NIGHT)
    barrier = threading.Barrier(2)
    outcomes = []

    def submit(user):
        try:
            barrier.wait()
            services.night_check_submit(
                actor=user, room=world.room_a1, date=NIGHT, entries={"A1002": {"status": "absent"}}
            )
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=submit, args=(u,)) for u in (world.counselor.user, world.class_teacher.user)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert "ok" in outcomes and len(outcomes) == 2
    check = NightCheck.objects.get(room=world.room_a1, date=NIGHT)
    assert NightCheckEntry.objects.filter(night_check=check).count() == 4
    assert (check.present_count, check.absent_count) == (3, 1)
    assert Report.objects.filter(source_key=f"night:{NIGHT.isoformat()}:A1002").count() == 1
