from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "campusgrid.core"
    label = "core"
    verbose_name = "系统"

    def ready(self):
        from .backup import scheduled_backup
        from .registry import TickJob, register_tick_job

        register_tick_job(TickJob("core.backup", scheduled_backup, order=99))
