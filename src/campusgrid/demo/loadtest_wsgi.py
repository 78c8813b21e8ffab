"""The WSGI application `campusgrid loadtest --profile evening-peak` serves: CampusGrid
on a pinned clock that starts at CAMPUSGRID_LOADTEST_CLOCK ("<ISO moment>@<epoch>": the
server's time is the moment plus the real seconds since the epoch) and runs at real
speed. Only the load test's own gunicorn loads this module; `campusgrid serve` never does.
"""

import datetime as dt
import os
import time

from campusgrid.core import clock


def running_clock(spec: str):
    """A `clock.now` replacement for "<ISO>@<epoch>"; a frozen_at() block still wins."""
    moment, _, epoch = spec.rpartition("@")
    start = dt.datetime.fromisoformat(moment)
    began = float(epoch)
    override = clock._override

    def now() -> dt.datetime:
        value = override.get()
        return value if value is not None else start + dt.timedelta(seconds=time.time() - began)

    return now


if os.environ.get("CAMPUSGRID_LOADTEST_CLOCK"):
    clock.now = running_clock(os.environ["CAMPUSGRID_LOADTEST_CLOCK"])

from campusgrid.wsgi import application  # noqa: E402

__all__ = ["application"]
