from django.apps import AppConfig


class PartyConfig(AppConfig):
    name = "campusgrid.party"
    label = "party"
    verbose_name = "党建"

    def ready(self):
        from . import hooks

        hooks.register()
