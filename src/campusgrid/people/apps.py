from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "campusgrid.people"
    label = "people"
    verbose_name = "人员"

    def ready(self):
        from django.db.backends.signals import connection_created

        from campusgrid.core import dbtriggers
        from campusgrid.core.fingerprint import watch

        from . import residence

        connection_created.connect(residence.register_function, dispatch_uid="people.residence.function")
        dbtriggers.register(
            dbtriggers.TriggerSet(
                residence.TRIGGER_SET, residence.trigger_statements, tables=residence.TABLES
            )
        )

        from .filters import choice_inputs

        watch(*choice_inputs())  # the roster's select boxes are kept on their tables' counters
        from campusgrid.core.registry import (
            RetentionRule,
            TickJob,
            register_retention_rule,
            register_tick_job,
        )

        from .retention import erase_personal, erase_residence, purge_access_log, retention_tick

        register_retention_rule(
            RetentionRule("people.personal", "身份证号与联系方式", erase_personal, order=10)
        )
        register_retention_rule(RetentionRule("people.residence", "住宿记录", erase_residence, order=11))
        register_tick_job(TickJob("people.retention", retention_tick, order=95))
        register_tick_job(TickJob("people.access_log_purge", purge_access_log, order=96))
