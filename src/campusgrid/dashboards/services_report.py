"""Writes of the semester report: a run is requested (a row, audited), then computed in a
background thread that records its progress on the row, which the page polls (htmx). The
same `report_generate` makes the command's document, without a row."""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection, transaction

from campusgrid.core import clock
from campusgrid.core.audit import audit_record
from campusgrid.core.errors import ServiceError
from campusgrid.core.names import person_name

from . import policy_report
from .models import RunState, SemesterReportRun
from .report.compute import build
from .report.pdf import report_pdf
from .report.xlsx import report_xlsx

log = logging.getLogger(__name__)


def report_generate(
    *, college, semester, fmt: str, exported_by: str = "", progress=None
) -> tuple[dict, bytes]:
    """The report's data and its document in `fmt` ("pdf" or "xlsx")."""
    data = build(college=college, semester=semester, progress=progress)
    if fmt == "xlsx":
        return data, report_xlsx(data, exported_by=exported_by)
    return data, report_pdf(data, exported_by=exported_by)


def report_run_start(*, actor, college, semester) -> SemesterReportRun:
    if not policy_report.may_report_on(actor, college):
        raise ServiceError("您无权生成该学院的学期工作报告", field="college")
    with transaction.atomic():
        run = SemesterReportRun.objects.create(
            college=college,
            semester=semester,
            requested_by=actor,
            requested_by_name=person_name(actor),
        )
        audit_record(actor=actor, verb="semester_report.request", target=run, summary=str(run))
    if getattr(settings, "CAMPUSGRID_REPORT_INLINE", False):
        report_run_execute(run_id=run.pk)
    else:
        # After the commit, so that the thread finds the row.
        transaction.on_commit(
            lambda: threading.Thread(
                target=_in_thread, args=(run.pk,), daemon=True, name=f"report-{run.pk}"
            ).start()
        )
    return run


def _in_thread(run_id: int) -> None:
    close_old_connections()
    try:
        report_run_execute(run_id=run_id)
    finally:
        connection.close()


def report_run_execute(*, run_id: int) -> None:
    """Compute one run, telling its row the progress; a failure is recorded on the row."""
    run = SemesterReportRun.objects.select_related("college", "semester").get(pk=run_id)
    SemesterReportRun.objects.filter(pk=run_id).update(state=RunState.RUNNING, stage="开始计算")

    def progress(done: int, total: int, label: str) -> None:
        SemesterReportRun.objects.filter(pk=run_id).update(done=done, total=total, stage=label[:100])

    try:
        data = build(college=run.college, semester=run.semester, progress=progress)
        SemesterReportRun.objects.filter(pk=run_id).update(stage="生成PDF与Excel")
        pdf = report_pdf(data, exported_by=run.requested_by_name)
        xlsx = report_xlsx(data, exported_by=run.requested_by_name)
    except Exception as exc:  # the row says it failed; the page shows it instead of spinning
        log.exception("semester report %s failed", run_id)
        SemesterReportRun.objects.filter(pk=run_id).update(
            state=RunState.FAILED, error=str(exc)[:255], finished_at=clock.now()
        )
        return
    SemesterReportRun.objects.filter(pk=run_id).update(
        state=RunState.DONE, data=data, pdf=pdf, xlsx=xlsx, stage="完成", finished_at=clock.now()
    )
