"""Tonight's night checks are estimated as a night's worth of rows, not as one (PostgreSQL).

Every evening the checks are written under a date the planner's statistics have not seen: with
a statistics target of 100 and fewer than 100 nights in the table, every night already there is
a most-common value, so an unseen one is estimated at 1 row however many rooms have been checked.
With that estimate the progress page's "rooms not yet checked" probed every one of tonight's checks
for each room (21 ms at 4,600 checks, growing through the evening) and its absences walked all of
tonight's entries (issue 17). A target of 1 keeps no per-night list: an unseen night is estimated
as the average night (about 8,000 checks at 50,000 students), and a range of days by the histogram
from the first night to the last, as the nights are evenly spread."""

from django.db import migrations

COLUMNS = (("ledgers_nightcheck", "date"), ("ledgers_nightcheckentry", "date"))


def _set(schema_editor, target: int) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in COLUMNS:
        schema_editor.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" SET STATISTICS {target}')
        schema_editor.execute(f'ANALYZE "{table}"')


def forwards(apps, schema_editor):
    _set(schema_editor, 1)


def backwards(apps, schema_editor):
    _set(schema_editor, -1)  # the server's default_statistics_target


class Migration(migrations.Migration):
    dependencies = [("ledgers", "0003_holiday_departure_and_late_reason")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
