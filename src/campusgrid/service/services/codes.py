"""The rotating attendance code: 6 digits from HMAC(session secret, time step), so nothing
is stored per rotation. A code is valid in its step and the one after (a student who read
it just before it changed still gets in)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

STEP_SECONDS = 30
ACCEPT_PREVIOUS = 1  # steps after its own that a code is still accepted
EXPIRED_LOOKBACK = 40  # steps searched to tell "expired" from "wrong" (20 minutes)


def step_of(moment: dt.datetime) -> int:
    return int(moment.timestamp()) // STEP_SECONDS


def code_at(secret: str, step: int) -> str:
    digest = hmac.new(secret.encode(), str(step).encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:4], "big") % 1_000_000
    return f"{number:06d}"


def current_code(secret: str, moment: dt.datetime) -> str:
    return code_at(secret, step_of(moment))


def seconds_left(moment: dt.datetime) -> int:
    return STEP_SECONDS - int(moment.timestamp()) % STEP_SECONDS


def matches(secret: str, code: str, moment: dt.datetime) -> str | None:
    """ "valid", "expired" (a code of an earlier step within the lookback) or None."""
    now_step = step_of(moment)
    for back in range(0, ACCEPT_PREVIOUS + 1):
        if hmac.compare_digest(code_at(secret, now_step - back), code):
            return "valid"
    for back in range(ACCEPT_PREVIOUS + 1, EXPIRED_LOOKBACK + 1):
        if hmac.compare_digest(code_at(secret, now_step - back), code):
            return "expired"
    return None
