"""Figures kept between requests and checked against their inputs (issue 15: a leader's first look).

Some figures walk every row of a college (the coverage audit, the party pipeline's warnings,
tonight's progress). `remember()` keeps such a result in Django's cache per scope and day under
the *change counters* of the tables it reads, so that nothing has to remember to invalidate:

- Each watched table has a database trigger (installed after every `migrate` by
  `core.dbtriggers`, from `trigger_statements`) that appends a row to `core_tablechange` — on PostgreSQL once per
  INSERT, UPDATE, DELETE or TRUNCATE statement, on SQLite once per row. Every write counts: a
  service's save(), an import's bulk update, the admin, raw SQL, retention.
- A table's counter is the SUM of its rows' weights. Rows are only ever appended (no row is
  updated, so two writers never wait for each other or deadlock on a counter), and `compact()`
  (a tick job) folds them into one row per table in one statement, keeping every sum: a
  committed write raises the sum strictly, so a counter never returns to an earlier value.
- `changes(*models)` reads the counters of the given tables in one indexed query (well under a
  millisecond), where the earlier fingerprints summed columns over 50,000 students and 27,000
  posts (30–40 ms each). A write is visible to `changes()` when it commits, together with the
  data; a reader that computes after a commit it has not counted stores a newer answer under an
  older key, which the next request no longer asks for. So a change — a coverage hole opened —
  shows on the next request after it is committed.

Chosen over counters kept by the services (imports, retention and the admin write in bulk,
and coverage is not a sum of per-row facts) and over invalidation hooks (the same reasons)."""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import re
from collections.abc import Callable

from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.exceptions import EmptyResultSet
from django.db import connection, connections, transaction
from django.db.models import Sum

CACHE_SECONDS = 600
TRIGGER = "campusgrid_changed"
TRIGGER_SET = "change counters"  # its name among core.dbtriggers' sets
# Folding starts when a table has this many rows of counts (SUM over them stays sub-millisecond).
COMPACT_FROM = 500

_watched: dict[str, tuple[str, ...]] = {}  # db table -> the columns whose updates count (() all)


def watch(*models, fields: tuple[str, ...] = ()) -> None:
    """Declare that figures are kept on these models' tables: `migrate` gives them the trigger.
    With `fields`, an UPDATE counts only when it sets one of them (the users' table: a sign-in
    writes last_login, which no figure reads). Called from the apps' hooks.register() (so before
    any migrate or request); declaring a table twice widens it to all columns if either asks."""
    for model in models:
        columns = tuple(sorted(model._meta.get_field(f).column for f in fields))
        old = _watched.get(model._meta.db_table)
        _watched[model._meta.db_table] = (
            () if old == () or not columns else tuple(sorted({*(old or ()), *columns}))
        )


def watched() -> dict[str, tuple[str, ...]]:
    return dict(_watched)


_read_once: contextvars.ContextVar[dict | None] = contextvars.ContextVar("campusgrid_counters", default=None)


def _counts(names: list[str]) -> dict[str, int]:
    from .models import TableChange

    return dict(
        TableChange.objects.filter(table__in=names)
        .values("table")
        .order_by()
        .annotate(n=Sum("weight"))
        .values_list("table", "n")
    )


def changes(*models) -> tuple:
    """The change counters of these models' tables, in one query (none inside `read_once`
    after the first)."""
    names = sorted({m._meta.db_table for m in models})
    missing = [n for n in names if n not in _watched]
    if missing:
        raise LookupError(f"no change counter on {missing}: add the model to core.fingerprint.watch()")
    once = _read_once.get()
    if once is None:
        counts = _counts(names)
    else:
        if not once:
            once.update(_counts(sorted(_watched)))
            once[""] = 0  # read: an empty table of counters is a read too
        counts = once
    return tuple((name, counts.get(name, 0)) for name in names)


@contextlib.contextmanager
def read_once():
    """Code that writes nothing: its kept figures (the menu's included) take their counters from
    one read of every watched table's, where each set of inputs read its own. A write inside
    does not move the counters read before it: a figure computed after it is stored under the
    older key, which no later request asks for (counters only grow), so at worst that one
    response shows the figure as it was before its own write."""
    token = _read_once.set({})
    try:
        yield
    finally:
        _read_once.reset(token)


class ReadOnceMiddleware:
    """GET and HEAD requests (pages, lists, exports, the API's reads) run inside `read_once`:
    a page of several kept figures reads the counters once (the home page: four reads, one)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        with read_once():
            return self.get_response(request)


def remember(name: str, key: tuple, inputs: tuple, compute: Callable, seconds: int = CACHE_SECONDS):
    """compute(), kept under `name`, `key` (scope, day …) and `inputs` (from changes())."""
    digest = hashlib.sha1(repr((key, inputs)).encode()).hexdigest()
    cache_key = f"cg:{name}:{digest}"
    result = cache.get(cache_key)
    if result is None:
        result = compute()
        cache.set(cache_key, result, seconds)
    return result


# --- the triggers ---------------------------------------------------------------------------------

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger AS $$
BEGIN
    INSERT INTO core_tablechange ("table", weight) VALUES (TG_TABLE_NAME, 1);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""


def _statements(vendor: str, db_table: str, columns: tuple[str, ...]) -> list[str]:
    q = connections["default"].ops.quote_name
    update = "UPDATE OF " + ", ".join(q(c) for c in columns) if columns else "UPDATE"
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {TRIGGER} ON {q(db_table)}",
            f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR {update} OR DELETE OR TRUNCATE ON {q(db_table)} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}()",
        ]
    literal = "'" + db_table.replace("'", "''") + "'"
    result = []
    for event in ("INSERT", update, "DELETE"):
        name = q(f"{TRIGGER}_{db_table}_{event.split()[0].lower()}")
        result += [
            f"DROP TRIGGER IF EXISTS {name}",
            f"CREATE TRIGGER {name} AFTER {event} ON {q(db_table)} BEGIN "
            f'INSERT INTO core_tablechange ("table", weight) VALUES ({literal}, 1); END',
        ]
    return result


def trigger_statements(vendor: str, existing: set[str]) -> list[str]:
    """The counters' function and one trigger per watched table that exists (core.dbtriggers)."""
    statements = [_PG_FUNCTION] if vendor == "postgresql" else []
    for db_table in sorted(t for t in _watched if t in existing):
        statements += _statements(vendor, db_table, _watched[db_table])
    return statements


def install_triggers(using: str = "default") -> int:
    """(Re)create the trigger on every watched table; idempotent: the watched tables that have it."""
    from . import dbtriggers

    if connections[using].vendor not in dbtriggers.ENGINES:
        return 0
    dbtriggers.install(using, names=(TRIGGER_SET,))
    return len(installed_on(using) & set(_watched))


def installed_on(using: str = "default") -> set[str]:
    """The tables that have the trigger now (for the check and the tests)."""
    conn = connections[using]
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(
                "SELECT event_object_table FROM information_schema.triggers WHERE trigger_name = %s",
                [TRIGGER],
            )
        else:
            cursor.execute(
                "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [TRIGGER + "%"]
            )
        return {row[0] for row in cursor.fetchall()}


def compact(now=None) -> int:
    """Fold each table's count rows into one, keeping every sum (a tick job). On PostgreSQL one
    statement: the rows it deletes are exactly the ones whose weights it re-inserts, whatever
    commits meanwhile; SQLite has one writer at a time."""
    from .models import TableChange

    if TableChange.objects.count() < COMPACT_FROM:
        return 0
    q = connection.ops.quote_name
    t = q(TableChange._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f'WITH gone AS (DELETE FROM {t} RETURNING "table", weight) '
                f'INSERT INTO {t} ("table", weight) SELECT "table", SUM(weight) FROM gone GROUP BY "table"'
            )
        else:
            cursor.execute(f"SELECT MAX(id) FROM {t}")
            top = cursor.fetchone()[0]
            cursor.execute(f'SELECT "table", SUM(weight) FROM {t} WHERE id <= %s GROUP BY "table"', [top])
            sums = cursor.fetchall()
            cursor.execute(f"DELETE FROM {t} WHERE id <= %s", [top])
            cursor.executemany(f'INSERT INTO {t} ("table", weight) VALUES (%s, %s)', sums)
        folded = cursor.rowcount
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # The fold leaves every row it replaced dead, and until a vacuum every counter read walks
        # their index entries too: 900,000 after a demo build made `changes()` 25–40 ms instead of
        # 0.2 (issue 17), on every kept figure of the evening peak. Autovacuum gets to a small table
        # only after its naptime and its larger neighbours; this one is vacuumed as it is folded.
        # (VACUUM cannot run inside a transaction: a fold inside one leaves it to autovacuum.)
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {t}")
    return folded


# --- a user's figures, kept ---------------------------------------------------------------------------


def kept(user, name: str, inputs: tuple, compute: Callable, seconds: int = CACHE_SECONDS, detail: tuple = ()):
    """compute() — plain values, never querysets — kept for this user and scope until one of
    `inputs` (models) changes or the minute turns: figures that depend on the time ("overdue")
    move at the minute, as `tick` does; figures that depend on a write move with the write.
    `detail` (plain values: a filter's parameters, a page number) tells one user's figures apart."""
    from . import clock
    from .scoping import scope_for

    if isinstance(caches["default"], DummyCache):  # nothing is kept: not even the scope is needed
        return compute()
    minute = clock.now().replace(second=0, microsecond=0)
    return kept_for(name, (user.pk, scope_for(user), minute, *detail), inputs, compute, seconds)


def kept_for(name: str, key: tuple, inputs: tuple, compute: Callable, seconds: int = CACHE_SECONDS):
    """compute() — plain values — kept under `key` until one of `inputs` (models) changes: for
    what depends on the tables and on nothing of the time, shared by everyone whose `key` is
    the same (a reach, the SQL of the lists it reads)."""
    if isinstance(caches["default"], DummyCache):  # nothing is kept: reading the counters would be waste
        return compute()
    return remember(name, key, changes(*inputs), compute, seconds)


_TABLE_IN_SQL = re.compile(r'(?:FROM|JOIN)\s+"?([A-Za-z0-9_]+)"?')


def check_inputs(name: str, inputs: tuple, querysets) -> None:
    """Under the tests (settings.CAMPUSGRID_CHECK_KEPT_INPUTS): every table the querysets read is
    among `inputs`, so a figure cannot be kept past a change of a table it was not keyed on."""
    from django.conf import settings

    if not getattr(settings, "CAMPUSGRID_CHECK_KEPT_INPUTS", False):
        return
    declared = {m._meta.db_table for m in inputs}
    read = set()
    for qs in querysets:
        if qs._fields is None:  # the joins for display (select_related) read nothing the rows depend on
            qs = qs.select_related(None)  # (a values() query's joins are the values it reads: kept)
        try:
            sql, _ = qs.query.sql_with_params()
        except EmptyResultSet:  # a list the user cannot see at all reads nothing
            continue
        read |= set(_TABLE_IN_SQL.findall(sql))
    missing = read - declared
    if missing:
        raise LookupError(f"kept figures {name!r} read {sorted(missing)} but are not keyed on them")
