"""The access log is append-only in the database itself (PostgreSQL): UPDATE is refused,
and DELETE only for rows older than 180 days (the purge). SQLite keeps the rule in the
application (AccessLogQuerySet), as its flush between tests deletes rows."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION campusgrid_access_log_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION '敏感信息访问日志只能追加，不能修改';
    END IF;
    IF OLD."at" > now() - interval '180 days' THEN
        RAISE EXCEPTION '敏感信息访问日志至少保留 180 天';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS campusgrid_access_log_append_only ON core_accesslog;
CREATE TRIGGER campusgrid_access_log_append_only
    BEFORE UPDATE OR DELETE ON core_accesslog
    FOR EACH ROW EXECUTE FUNCTION campusgrid_access_log_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS campusgrid_access_log_append_only ON core_accesslog;
DROP FUNCTION IF EXISTS campusgrid_access_log_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_tick_runs")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
