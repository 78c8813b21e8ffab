"""The access log moved from core to people as state only (issue 10: core knows nothing
of people): its table and every row in it are kept across the migration."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from campusgrid.people.models import AccessLog


def test_the_model_keeps_its_table():
    assert AccessLog._meta.db_table == "core_accesslog"
    assert AccessLog._meta.app_label == "people"


@pytest.mark.engine_free  # a state-only move: no SQL on either engine
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migrating_the_access_log_to_people_keeps_its_rows():
    from tests import factories as f

    student = f.StudentFactory(student_no="M0001", name="迁移")
    executor = MigrationExecutor(connection)
    # Back to before the move: the model is core's again (state), the table the same.
    executor.migrate([("people", "0001_initial"), ("core", "0001_initial")])
    old_state = executor.loader.project_state([("people", "0001_initial"), ("core", "0001_initial")])
    OldLog = old_state.apps.get_model("core", "AccessLog")
    OldLog.objects.create(
        actor_name="辅导员甲", action="view", item="id_number", student_id=student.pk, student_no="M0001"
    )
    assert OldLog._meta.db_table == "core_accesslog"

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    row = AccessLog.objects.get(student_no="M0001")
    assert (row.actor_name, row.item, row.student_id) == ("辅导员甲", "id_number", student.pk)
