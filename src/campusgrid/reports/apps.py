from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "campusgrid.reports"
    label = "reports"
    verbose_name = "问题上报"

    def ready(self):
        from . import hooks

        hooks.register()
