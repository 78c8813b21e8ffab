"""Two people accepting the same report at the same moment: exactly one wins."""

import threading

import pytest
from django.db import connection

from campusgrid.core.errors import Conflict
from campusgrid.reports import services
from campusgrid.reports.models import Report, State
from tests import world as world_module


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_accept_has_one_winner():
    world = world_module.build()
    report = services.report_create(
        actor=world.monitor.user,
        category="安全隐患",
        severity="normal",
        description="并发受理",
        students=[world.student],
    )
    assert report.level == 3  # counselor and class teacher can both accept
    barrier = threading.Barrier(2)
    outcomes = []

    def accept(user):
        try:
            barrier.wait()
            services.report_act(actor=user, report=Report.objects.get(pk=report.pk), action="accept")
            outcomes.append("won")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=accept, args=(u,)) for u in (world.counselor.user, world.class_teacher.user)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "won"]
    report.refresh_from_db()
    assert report.state == State.ACCEPTED
    assert report.events.filter(action="accept").count() == 1
