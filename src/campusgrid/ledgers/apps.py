from django.apps import AppConfig


class LedgersConfig(AppConfig):
    name = "campusgrid.ledgers"
    label = "ledgers"
    verbose_name = "台账"

    def ready(self):
        from . import ui

        ui.register()
