"""Running the time-based jobs (deadline escalation, flags, reminders).

`campusgrid tick [--now ISO]` runs every registered job once as of `now`; the
served app runs the same every minute. Each job is idempotent, so a second run
at the same moment does nothing, and replaying a missed period after downtime
catches up exactly once. A lock held across servers (`core.locks.exclusive`)
keeps two schedulers from running the jobs at the same time: the second one
skips that minute instead of racing the first."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket

from django.utils import timezone

from . import clock
from .locks import exclusive
from .registry import TICK_JOBS

log = logging.getLogger("campusgrid.tick")

# Runs are kept this long for /healthz and the admin, then purged by the tick itself.
KEEP_RUNS = dt.timedelta(days=7)


def run_due(now: dt.datetime | None = None) -> dict[str, int] | None:
    """The jobs' results by name, or None when another process is running them."""
    from .models import TickRun

    now = now or clock.now()
    with exclusive("campusgrid-tick") as held:
        if not held:
            log.info("tick skipped: another process holds the lock")
            return None
        run = TickRun.objects.create(
            started_at=timezone.now(), as_of=now, host=socket.gethostname()[:100], pid=os.getpid()
        )
        done = {}
        with clock.frozen_at(now):
            for job in TICK_JOBS:
                try:
                    done[job.name] = job.run(now)
                except Exception:  # one failing job must not stop the others
                    log.exception("tick job %s failed", job.name)
                    done[job.name] = -1
        run.results = done
        run.finished_at = timezone.now()
        run.save(update_fields=["results", "finished_at"])
        TickRun.objects.filter(started_at__lt=run.started_at - KEEP_RUNS).delete()
    return done


def last_run():
    from .models import TickRun

    return TickRun.objects.filter(finished_at__isnull=False).order_by("-finished_at").first()
