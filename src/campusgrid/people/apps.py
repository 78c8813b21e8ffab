from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "campusgrid.people"
    label = "people"
    verbose_name = "人员"
