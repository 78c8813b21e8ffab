"""Locks held across processes and servers, for work that must run once at a time
(`campusgrid tick`, the scheduled backup) however many app servers run it.

On PostgreSQL a session-level advisory lock on the default connection; on SQLite
(one server by construction) an flock on a file in the data folder."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
from collections.abc import Iterator

from django.conf import settings
from django.db import connection


def _key(name: str) -> int:
    # pg advisory locks take a signed 64-bit key
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


@contextlib.contextmanager
def exclusive(name: str) -> Iterator[bool]:
    """`with exclusive("tick") as held:` — `held` is False when another process holds
    the lock; the caller then skips its work rather than waiting for it."""
    if connection.vendor == "postgresql":
        key = _key(name)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            held = cursor.fetchone()[0]
        try:
            yield held
        finally:
            if held:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    path = settings.DATA_DIR / f".{name}.lock"
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
