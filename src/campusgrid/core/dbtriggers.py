"""Database triggers that apps declare, installed after every `migrate` (one mechanism).

Some records must follow every write path — a service's save(), an import's bulk update, the
admin, raw SQL, retention — so they are written by the database itself: the change counters
(`core.fingerprint`) and the 住宿记录 (`people.residence`). An app registers a named set of
statements per engine; `install()` runs every set whose tables exist, in one transaction, after
every migrate (core's post_migrate receiver) and whenever an app asks for its own set again (a
migration that needs its triggers at once). Each set's statements replace what they create
(`DROP … IF EXISTS`, then `CREATE`; `CREATE OR REPLACE FUNCTION`), so installing twice is
installing once. Engines other than PostgreSQL and SQLite get no triggers."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from django.db import connections, transaction

ENGINES = ("postgresql", "sqlite")


@dataclasses.dataclass(frozen=True)
class TriggerSet:
    name: str
    # (vendor, the tables that exist) -> the statements, in order
    statements: Callable[[str, set[str]], list[str]]
    # installed only when all of these tables exist (a migrate that stops short of them)
    tables: tuple[str, ...] = ()


_sets: dict[str, TriggerSet] = {}


def register(trigger_set: TriggerSet) -> None:
    """Called from an app's ready(); registering a name again replaces its set."""
    _sets[trigger_set.name] = trigger_set


def install(using: str = "default", names: tuple[str, ...] | None = None) -> dict[str, int]:
    """Run the registered sets (or those named) on `using`: {name: statements run}."""
    conn = connections[using]
    if conn.vendor not in ENGINES:
        return {}
    existing = set(conn.introspection.table_names())
    chosen = [s for s in _sets.values() if (names is None or s.name in names) and set(s.tables) <= existing]
    done = {}
    with transaction.atomic(using=using), conn.cursor() as cursor:
        for trigger_set in chosen:
            statements = trigger_set.statements(conn.vendor, existing)
            for sql in statements:
                cursor.execute(sql)
            done[trigger_set.name] = len(statements)
    return done


def after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate receiver (connected by core's ready()): Django sends the signal once per app
    after the whole migrate; the triggers are installed once, on core's."""
    if sender.label == "core":
        install(using)
