from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "campusgrid.dashboards"
    label = "dashboards"
    verbose_name = "数据看板"

    def ready(self):
        from . import hooks

        hooks.register()
