from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "campusgrid.dossiers"
    label = "dossiers"
    verbose_name = "重点学生一人一档"

    def ready(self):
        from . import hooks

        hooks.register()
