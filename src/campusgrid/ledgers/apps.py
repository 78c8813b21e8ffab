from django.apps import AppConfig


class LedgersConfig(AppConfig):
    name = "campusgrid.ledgers"
    label = "ledgers"
    verbose_name = "台账"

    def ready(self):
        from django.core.signals import request_started

        from . import hooks, warnings  # noqa: F401 (warnings registers the early-warning rules)
        from .models import forget_settings

        hooks.register()
        request_started.connect(forget_settings, dispatch_uid="ledgers.forget_settings")
