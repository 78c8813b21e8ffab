from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "campusgrid.core"
    label = "core"
    verbose_name = "系统"

    def ready(self):
        from .registry import TickJob, register_tick_job
        from .uploads import expire_staged

        register_tick_job(TickJob("core.expire_staged_imports", expire_staged, order=95))
