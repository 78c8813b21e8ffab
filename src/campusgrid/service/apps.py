from django.apps import AppConfig


class ServiceConfig(AppConfig):
    name = "campusgrid.service"
    label = "service"
    verbose_name = "服务与培训"

    def ready(self):
        from . import hooks

        hooks.register()
