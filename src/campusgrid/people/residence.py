"""住宿记录 (issue 15 item 4): each student's bed over time, so that coverage on a past day is exact.

`people_student.bed_id` is overwritten by every move. The history is written by database
triggers on that column, not by the services: a student's bed changes through the services
(student_assign_bed, student_status_change), the roster import's bulk_create and bulk update,
the demo builder's bulk_create, the admin, a bed's deletion (SET NULL) and raw SQL — a trigger
sees them all, in the same transaction as the change, and nothing has to remember to call it
(the house's change counters are triggers for the same reason: core/fingerprint.py).

A stay is [since, until): on the day of a move the new bed counts. A stay that would end on or
before the day it began (two moves in one day, an import that frees every bed and re-seats the
students) is deleted instead, so the table holds no empty stays.

The day written is the app's clock, not the database's: on SQLite the trigger calls
`campusgrid_today()`, a function this module registers on every connection; on PostgreSQL
it reads the transaction-local setting `campusgrid.today`, which `dated()` sets (the services,
the roster import and the demo builder call it; leaving is dated the day of leaving), falling
back to the database's date in the project's time zone (the admin, raw SQL, a factory in a
test): the same day while the clock is real, which it is outside the tests and `tick --now`. History begins on the day the migration seeded the
table with the beds held then (`begins()`)."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt

from django.conf import settings
from django.db import connection, connections

from campusgrid.core import clock

TRIGGER = "campusgrid_residence"
_day: contextvars.ContextVar[dt.date | None] = contextvars.ContextVar(
    "campusgrid_residence_day", default=None
)


def today() -> dt.date:
    """The day the triggers write: the one `dated()` set, else the clock's."""
    return _day.get() or clock.today()


@contextlib.contextmanager
def dated(day: dt.date | None = None):
    """Bed changes made in the block are dated `day` (default: the clock's today). Use inside
    a transaction: on PostgreSQL the setting is transaction-local. On leaving, the enclosing
    block's day (or none) is restored; after an error it is not (the transaction is rolled
    back, and the setting with it)."""
    previous = _day.get()
    token = _day.set(day or clock.today())
    _set_pg_day(today().isoformat())
    try:
        yield
    finally:
        _day.reset(token)
    _set_pg_day(previous.isoformat() if previous else "")


def _set_pg_day(value: str) -> None:
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('campusgrid.today', %s, true)", [value])


def register_function(sender, connection, **kwargs) -> None:
    """connection_created receiver: SQLite's triggers ask Python for the day."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("campusgrid_today", 0, lambda: today().isoformat())


def _pg_sql() -> list[str]:
    zone = settings.TIME_ZONE.replace("'", "''")
    day = (
        "COALESCE(NULLIF(current_setting('campusgrid.today', true), '')::date, "
        f"(now() AT TIME ZONE '{zone}')::date)"
    )
    return [
        f"""
CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger AS $$
DECLARE
    day date := {day};
BEGIN
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM people_residence WHERE student_id = OLD.id AND until IS NULL AND since >= day;
        UPDATE people_residence SET until = day WHERE student_id = OLD.id AND until IS NULL;
    END IF;
    IF NEW.bed_id IS NOT NULL THEN
        INSERT INTO people_residence (student_id, bed_id, room_id, since)
        SELECT NEW.id, b.id, b.room_id, day FROM org_bed b WHERE b.id = NEW.bed_id;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
""",
        f"DROP TRIGGER IF EXISTS {TRIGGER}_insert ON people_student",
        f"DROP TRIGGER IF EXISTS {TRIGGER}_update ON people_student",
        f"CREATE TRIGGER {TRIGGER}_insert AFTER INSERT ON people_student FOR EACH ROW "
        f"WHEN (NEW.bed_id IS NOT NULL) EXECUTE FUNCTION {TRIGGER}()",
        f"CREATE TRIGGER {TRIGGER}_update AFTER UPDATE OF bed_id ON people_student FOR EACH ROW "
        f"WHEN (OLD.bed_id IS DISTINCT FROM NEW.bed_id) EXECUTE FUNCTION {TRIGGER}()",
    ]


_SQLITE_INSERT = (
    "INSERT INTO people_residence (student_id, bed_id, room_id, since) "
    "SELECT NEW.id, b.id, b.room_id, campusgrid_today() FROM org_bed b WHERE b.id = NEW.bed_id;"
)
_SQLITE = [
    f"DROP TRIGGER IF EXISTS {TRIGGER}_insert",
    f"DROP TRIGGER IF EXISTS {TRIGGER}_update",
    f"CREATE TRIGGER {TRIGGER}_insert AFTER INSERT ON people_student "
    f"WHEN NEW.bed_id IS NOT NULL BEGIN {_SQLITE_INSERT} END",
    f"CREATE TRIGGER {TRIGGER}_update AFTER UPDATE OF bed_id ON people_student "
    "WHEN OLD.bed_id IS NOT NEW.bed_id BEGIN "
    "DELETE FROM people_residence WHERE student_id = OLD.id AND until IS NULL AND since >= campusgrid_today(); "
    "UPDATE people_residence SET until = campusgrid_today() WHERE student_id = OLD.id AND until IS NULL; "
    f"{_SQLITE_INSERT} END",
]


TRIGGER_SET = "住宿记录"  # its name among core.dbtriggers' sets (registered by people's ready())
TABLES = ("people_residence", "people_student", "org_bed")


def trigger_statements(vendor: str, existing: set[str]) -> list[str]:
    return _pg_sql() if vendor == "postgresql" else list(_SQLITE)


def install_triggers(using: str = "default") -> bool:
    """(Re)create the triggers now (the migration that creates the history); idempotent. After
    every migrate core.dbtriggers installs them with the other apps' sets."""
    from campusgrid.core import dbtriggers

    return TRIGGER_SET in dbtriggers.install(using, names=(TRIGGER_SET,))


def uninstall_triggers(using: str = "default") -> None:
    from campusgrid.core import dbtriggers

    conn = connections[using]
    if conn.vendor not in dbtriggers.ENGINES:
        return
    with conn.cursor() as cursor:
        for sql in trigger_statements(conn.vendor, set()):
            if sql.startswith("DROP TRIGGER"):
                cursor.execute(sql)


# --- reading ------------------------------------------------------------------------------------


def begins() -> dt.date | None:
    """The first day the history covers (the migration seeded the beds held that day); None
    while there is none."""
    from .models import Residence

    return Residence.objects.order_by("since").values_list("since", flat=True).first()


def covers(day: dt.date) -> bool:
    start = begins()
    return start is not None and start <= day


def rooms_on(student_ids_query, day: dt.date) -> dict[int, int]:
    """{student id: room id} of the stays that include `day`, for the students of the query
    (a values("pk") subquery)."""
    from .models import Residence

    return dict(
        Residence.objects.on(day)
        .filter(student_id__in=student_ids_query, room_id__isnull=False)
        .order_by()
        .values_list("student_id", "room_id")
    )
