"""In-app notifications and their outside deliveries (WeCom / DingTalk group
robots, email, personal WeCom application messages), kept as an outbox so failures
are retried and never lost."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from campusgrid.core import clock
from campusgrid.core.scoping import MATCH_NOTHING, ScopedQuerySet


class NotificationQuerySet(ScopedQuerySet):
    pass


class Notification(models.Model):
    """站内通知"""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", default=clock.now, db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    # A user's own, whatever their posts: not even the university office reads another's.
    scope_personal = True

    class Meta:
        verbose_name = "站内通知"
        verbose_name_plural = "站内通知"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.title

    @classmethod
    def scope_q(cls, scope, action):
        return Q(user_id=scope.user_id) if scope.user_id else MATCH_NOTHING


class WebhookEndpoint(models.Model):
    """企业微信/钉钉群机器人: messages carry no personal data, only a link."""

    class Kind(models.TextChoices):
        WECOM = "wecom", "企业微信群机器人"
        DINGTALK = "dingtalk", "钉钉群机器人"

    college = models.ForeignKey(
        "org.College",
        verbose_name="学院",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text="留空表示全校（学工部）",
    )
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    name = models.CharField("名称", max_length=100)
    url = models.URLField("Webhook 地址", max_length=500)
    secret = models.CharField("加签密钥（钉钉，可选）", max_length=200, blank=True)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "群机器人"
        verbose_name_plural = "群机器人"

    def __str__(self):
        return self.name


class Delivery(models.Model):
    """One message to one outside channel; retried with back-off until it goes out."""

    class Channel(models.TextChoices):
        WEBHOOK = "webhook", "群机器人"
        EMAIL = "email", "邮件"
        WECOM_APP = "wecom_app", "企业微信应用消息"

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败（已放弃）"

    channel = models.CharField("渠道", max_length=16, choices=Channel.choices)
    endpoint = models.ForeignKey(
        WebhookEndpoint, verbose_name="群机器人", null=True, blank=True, on_delete=models.CASCADE
    )
    email = models.EmailField("邮箱", blank=True)
    recipients = models.TextField(
        "企业微信接收人", blank=True, help_text="企业微信账号，以 | 分隔（应用消息，每条最多1000人）"
    )
    url = models.CharField("链接", max_length=500, blank=True)
    title = models.CharField("标题", max_length=200)
    text = models.TextField("内容")
    status = models.CharField(
        "状态", max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试", default=clock.now, db_index=True)
    last_error = models.TextField("最近错误", blank=True)
    created_at = models.DateTimeField("创建时间", default=clock.now)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "外部投递"
        verbose_name_plural = "外部投递"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_channel_display()} {self.title} {self.get_status_display()}"
