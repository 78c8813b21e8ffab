"""Reads of the sign-in app that other pages show."""

from django.urls import reverse

from . import services, wecom


def wecom_block(user) -> dict:
    """The WeCom block of the profile page (个人设置): the user's binding and opt-out."""
    account = services.wecom_account_of(user)
    return {
        "enabled": wecom.enabled(),
        "userid": account.userid if account else "",
        "source": account.get_source_display() if account and account.userid else "",
        "messages_enabled": account.messages_enabled if account else True,
        "bind_url": reverse("accounts:wecom-login") + "?bind=1",
    }
