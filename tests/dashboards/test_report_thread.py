"""A run is computed in a background thread after the request's commit: the row goes from
queued to done with both documents, and the request does not wait for it."""

import threading

import pytest

from campusgrid.dashboards import services_report
from campusgrid.dashboards.models import RunState, SemesterReportRun
from campusgrid.dashboards.report.compute import figure_plan

from . import report_records


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_run_is_computed_in_a_background_thread(world, settings):
    settings.CAMPUSGRID_REPORT_INLINE = False
    semester = report_records.build(world)["semester"]
    run = services_report.report_run_start(
        actor=world.leader.user, college=world.college_a, semester=semester
    )
    worker = next(t for t in threading.enumerate() if t.name == f"report-{run.pk}")
    worker.join(timeout=120)
    run = SemesterReportRun.objects.get(pk=run.pk)
    assert run.state == RunState.DONE, run.error
    assert run.done == run.total == len(figure_plan())  # every figure reported its progress
    assert bytes(run.pdf).startswith(b"%PDF") and bytes(run.xlsx).startswith(b"PK")
