from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "campusgrid.core"
    label = "core"
    verbose_name = "系统"
