"""Running the time-based jobs (deadline escalation, flags, reminders).

`campusgrid tick [--now ISO]` runs every registered job once as of `now`; the
served app runs the same every minute. Each job is idempotent, so a second run
at the same moment does nothing, and replaying a missed period after downtime
catches up exactly once."""

from __future__ import annotations

import datetime as dt
import logging

from . import clock
from .registry import TICK_JOBS

log = logging.getLogger("campusgrid.tick")


def run_due(now: dt.datetime | None = None) -> dict[str, int]:
    now = now or clock.now()
    done = {}
    with clock.frozen_at(now):
        for job in TICK_JOBS:
            try:
                done[job.name] = job.run(now)
            except Exception:  # one failing job must not stop the others
                log.exception("tick job %s failed", job.name)
                done[job.name] = -1
    return done
