from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "campusgrid.org"
    label = "org"
    verbose_name = "组织与住宿"
