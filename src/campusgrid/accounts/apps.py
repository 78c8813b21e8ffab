from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "campusgrid.accounts"
    label = "accounts"
    verbose_name = "统一身份认证与企业微信"

    def ready(self):
        from . import hooks

        hooks.register()
