"""Campus sign-in: the WeCom identity of an account and the cached WeCom access token.

CAS needs no model of ours: a CAS user name is matched to the 学号/工号 of an existing
account, and django-cas-ng's SessionTicket remembers which session a ticket opened (for
single logout)."""

from django.conf import settings
from django.db import models

from campusgrid.core import clock


class WeComAccount(models.Model):
    """企业微信账号: the WeCom user id of one of our accounts, and whether its owner wants
    personal WeCom messages. Set by the roster/staff import (默认学号/工号) or bound by the
    user, once, through WeCom OAuth after a local login."""

    class Source(models.TextChoices):
        IMPORT = "import", "名册导入"
        BOUND = "bound", "本人绑定"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="登录账号", on_delete=models.CASCADE, related_name="wecom"
    )
    userid = models.CharField("企业微信账号", max_length=64, unique=True, null=True, blank=True)
    source = models.CharField("来源", max_length=16, choices=Source.choices, default=Source.IMPORT)
    messages_enabled = models.BooleanField("接收企业微信消息", default=True)
    updated_at = models.DateTimeField("更新时间", default=clock.now)

    class Meta:
        verbose_name = "企业微信账号"
        verbose_name_plural = "企业微信账号"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source__in=["import", "bound"]), name="wecom_source_valid"
            )
        ]

    def __str__(self):
        return f"{self.user.get_username()} → {self.userid or '（未绑定）'}"


class WeComToken(models.Model):
    """WeCom access token, shared by every app server (a per-process cache would fetch one
    token per worker and hit WeCom's gettoken rate limit)."""

    key = models.CharField(max_length=200, unique=True)  # corp id + agent id
    token = models.CharField(max_length=512)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = "企业微信访问令牌"
        verbose_name_plural = "企业微信访问令牌"

    def __str__(self):
        return f"{self.key} (至 {self.expires_at:%Y-%m-%d %H:%M})"
