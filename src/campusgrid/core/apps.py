from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig


class CoreConfig(AppConfig):
    default = True  # this module also holds AxesConfig: Django must still pick this one for core
    name = "campusgrid.core"
    label = "core"
    verbose_name = "系统"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import dbtriggers, fingerprint
        from .backup import scheduled_backup
        from .registry import TickJob, register_tick_job
        from .uploads import expire_staged

        post_migrate.connect(dbtriggers.after_migrate, dispatch_uid="campusgrid-db-triggers")
        dbtriggers.register(dbtriggers.TriggerSet(fingerprint.TRIGGER_SET, fingerprint.trigger_statements))
        register_tick_job(TickJob("core.compact_change_counters", fingerprint.compact, order=96))
        register_tick_job(TickJob("core.expire_staged_imports", expire_staged, order=95))
        register_tick_job(TickJob("core.backup", scheduled_backup, order=99))


class AxesConfig(AxesAppConfig):
    """django-axes (sign-in lockout), under a Chinese name in the admin; its other strings
    are translated in campusgrid/locale (axes ships no Chinese)."""

    verbose_name = "登录保护"

    def ready(self):
        super().ready()
        from . import sessions  # noqa: F401  (connects the sign-in time to user_logged_in)
