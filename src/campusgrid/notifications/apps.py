from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "campusgrid.notifications"
    label = "notifications"
    verbose_name = "通知"

    def ready(self):
        from . import hooks

        hooks.register()
