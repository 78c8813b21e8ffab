from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "campusgrid.core"
    label = "core"
    verbose_name = "系统"


class AxesConfig(AxesAppConfig):
    """django-axes (sign-in lockout), under a Chinese name in the admin; its other strings
    are translated in campusgrid/locale (axes ships no Chinese)."""

    verbose_name = "登录保护"

    def ready(self):
        super().ready()
        from . import sessions  # noqa: F401  (connects the sign-in time to user_logged_in)
