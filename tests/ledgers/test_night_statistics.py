"""Tonight is estimated as a night's worth of checks (ledgers migration 0004, PostgreSQL): with
the default statistics every night already checked is a most-common value, so the planner took
an unseen night — tonight, all evening — for one row and chose plans that walk every one of
tonight's checks per room (issue 17's evening peak)."""

import datetime as dt
import json

import pytest
from django.db import connection

from campusgrid.ledgers.models import NightCheck, NightCheckEntry
from campusgrid.org.models import Building, Floor, Room

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

NIGHTS = [dt.date(2025, 11, 3) + dt.timedelta(days=i) for i in range(5)]
UNSEEN = dt.date(2025, 11, 20)


def estimated_rows(table: str, day: dt.date) -> float:
    with connection.cursor() as cursor:
        cursor.execute(f'EXPLAIN (FORMAT JSON) SELECT id FROM "{table}" WHERE date = %s', [day])
        plan = cursor.fetchone()[0]  # psycopg decodes json; a str on other drivers
        return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plan Rows"]


def test_the_date_columns_keep_no_per_night_list():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attrelid::regclass::text, attstattarget FROM pg_attribute WHERE attname = 'date' "
            "AND attrelid IN ('ledgers_nightcheck'::regclass, 'ledgers_nightcheckentry'::regclass)"
        )
        assert dict(cursor.fetchall()) == {"ledgers_nightcheck": 1, "ledgers_nightcheckentry": 1}


def test_an_unseen_night_is_estimated_as_an_average_night(world):
    building = Building.objects.create(name="统计楼")
    floor = Floor.objects.create(building=building, number=1)
    rooms = Room.objects.bulk_create(
        Room(building=building, floor=floor, number=str(100 + i)) for i in range(60)
    )
    checks = NightCheck.objects.bulk_create(
        NightCheck(room=room, date=day) for day in NIGHTS for room in rooms
    )
    NightCheckEntry.objects.bulk_create(
        NightCheckEntry(night_check=check, student=world.student, date=check.date, status="present")
        for check in checks[: len(rooms)]  # entries need one student per check: one night of them
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE ledgers_nightcheck")
    # 300 checks over 5 nights: an unseen night is about 60, not 1.
    assert estimated_rows("ledgers_nightcheck", UNSEEN) >= 30
    with connection.cursor() as cursor:  # the server's default target (rolled back with the test)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE waits for no deferred check
        cursor.execute('ALTER TABLE ledgers_nightcheck ALTER COLUMN "date" SET STATISTICS -1')
        cursor.execute("ANALYZE ledgers_nightcheck")
    assert estimated_rows("ledgers_nightcheck", UNSEEN) <= 1
