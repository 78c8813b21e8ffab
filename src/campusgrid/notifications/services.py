"""Notifying people: in-app rows at once, outside channels through the outbox.

`notify` never raises because of a channel and never blocks the action that
caused it: outside messages are queued in the same transaction and sent after
commit (in a background thread), and `campusgrid tick` retries what failed."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q

from campusgrid.accounts import wecom
from campusgrid.accounts.services import message_recipients
from campusgrid.core import clock

from .models import Delivery, Notification, WebhookEndpoint

log = logging.getLogger("campusgrid.notifications")
BACKOFF_MINUTES = [1, 2, 5, 15, 30, 60]
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1


def notify(
    *,
    users: Iterable,
    title: str,
    body: str = "",
    url: str = "",
    college=None,
    outside_text: str | None = None,
) -> list[Notification]:
    """Tell `users` in the app; tell the college's group robots with `outside_text`
    (no personal data: a generic line and a link); and, where WeCom is configured, tell
    each of `users` who has a WeCom id (and did not opt out) by a WeCom application
    message with the same generic line — never `title`, which may name a student."""
    users = list({u.pk: u for u in users if u is not None}.values())
    now = clock.now()
    rows = Notification.objects.bulk_create(
        [Notification(user=u, title=title[:200], body=body, url=url, created_at=now) for u in users]
    )
    link = settings.CAMPUSGRID_SITE_URL.rstrip("/") + url if url else settings.CAMPUSGRID_SITE_URL
    text = (outside_text or title) + f"\n{link}"
    queued = []
    endpoints = WebhookEndpoint.objects.filter(active=True).filter(
        Q(college=college) | Q(college__isnull=True) if college is not None else Q(college__isnull=True)
    )
    for endpoint in endpoints:
        queued.append(
            Delivery(
                channel=Delivery.Channel.WEBHOOK,
                endpoint=endpoint,
                title="CampusGrid",
                text=text,
                next_attempt_at=now,
            )
        )
    if getattr(settings, "EMAIL_HOST", "") and getattr(settings, "CAMPUSGRID_EMAIL_NOTIFICATIONS", False):
        for u in users:
            if u.email:
                queued.append(
                    Delivery(
                        channel=Delivery.Channel.EMAIL,
                        email=u.email,
                        title=title[:200],
                        text=text,
                        next_attempt_at=now,
                    )
                )
    if wecom.enabled():
        queued.extend(_wecom_app_deliveries(users, outside_text, url, now))
    if queued:
        Delivery.objects.bulk_create(queued)
        if getattr(settings, "CAMPUSGRID_DELIVER_ON_COMMIT", True):
            transaction.on_commit(_deliver_soon)
    return rows


WECOM_BATCH = 1000  # message/send takes at most 1000 members per call
WECOM_GENERIC_TITLE = "您有一条新的通知"


def _wecom_app_deliveries(users, outside_text, url, now) -> list[Delivery]:
    recipients = message_recipients(users)
    if not recipients:
        return []
    # Opened inside WeCom, the link signs the person in through WeCom OAuth, then shows the page.
    path = "/accounts/wecom/login/?" + urllib.parse.urlencode({"next": url or "/"})
    link = settings.CAMPUSGRID_SITE_URL.rstrip("/") + path
    title = (outside_text or WECOM_GENERIC_TITLE)[:128]
    description = f"{clock.local(now):%m月%d日 %H:%M} · 学生网格化管理系统\n点击查看详情（需登录）"
    return [
        Delivery(
            channel=Delivery.Channel.WECOM_APP,
            recipients="|".join(recipients[start : start + WECOM_BATCH]),
            title=title,
            text=description,
            url=link,
            next_attempt_at=now,
        )
        for start in range(0, len(recipients), WECOM_BATCH)
    ]


def _deliver_soon():
    threading.Thread(target=_deliver_in_thread, daemon=True).start()


def _deliver_in_thread():
    from django.db import close_old_connections

    try:
        deliver_due()
    except Exception:  # the tick job retries whatever this misses
        log.exception("background delivery failed")
    finally:
        close_old_connections()


def deliver_due(now: dt.datetime | None = None) -> int:
    """Send every pending delivery whose time has come; returns how many went out."""
    now = now or clock.now()
    sent = 0
    due = list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now).select_related(
            "endpoint"
        )[:200]
    )
    for delivery in due:
        # Claim it: two tick runs (or a tick and the after-commit thread) must not send twice.
        claimed = Delivery.objects.filter(
            pk=delivery.pk, status=Delivery.Status.PENDING, attempts=delivery.attempts
        ).update(attempts=delivery.attempts + 1)
        if not claimed:
            continue
        delivery.attempts += 1
        try:
            _send(delivery)
        except Exception as exc:  # any channel error is recorded and retried
            delivery.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = Delivery.Status.FAILED
                log.error("delivery %s failed for good: %s", delivery.pk, delivery.last_error)
            else:
                delay = BACKOFF_MINUTES[min(delivery.attempts - 1, len(BACKOFF_MINUTES) - 1)]
                delivery.next_attempt_at = now + dt.timedelta(minutes=delay)
                log.warning(
                    "delivery %s failed (attempt %s), retrying: %s",
                    delivery.pk,
                    delivery.attempts,
                    delivery.last_error,
                )
            delivery.save(update_fields=["status", "next_attempt_at", "last_error"])
        else:
            delivery.status = Delivery.Status.SENT
            delivery.sent_at = clock.now()
            delivery.last_error = ""
            delivery.save(update_fields=["status", "sent_at", "last_error"])
            sent += 1
    return sent


def _send(delivery: Delivery) -> None:
    if delivery.channel == Delivery.Channel.WECOM_APP:
        answer = wecom.send_text_card(
            userids=delivery.recipients.split("|"),
            title=delivery.title,
            description=delivery.text,
            url=delivery.url,
        )
        if answer.get("invaliduser"):
            # Sent to the others; ids WeCom does not know are noted, not retried.
            log.warning("WeCom message %s: unknown members %s", delivery.pk, answer["invaliduser"])
        return
    if delivery.channel == Delivery.Channel.EMAIL:
        send_mail(delivery.title, delivery.text, None, [delivery.email], fail_silently=False)
        return
    endpoint = delivery.endpoint
    if endpoint.kind == WebhookEndpoint.Kind.WECOM:
        payload = {"msgtype": "text", "text": {"content": delivery.text}}
        url = endpoint.url
    else:
        payload = {"msgtype": "text", "text": {"content": delivery.text}}
        url = _dingtalk_signed(endpoint.url, endpoint.secret)
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - admin-configured URL
        body = response.read().decode("utf-8", "replace")
    try:
        answer = json.loads(body)
    except ValueError:
        raise RuntimeError(f"机器人返回了无法识别的内容：{body[:200]}")
    if answer.get("errcode", 0) != 0:
        raise RuntimeError(f"机器人返回错误 {answer.get('errcode')}: {answer.get('errmsg')}")


def _dingtalk_signed(url: str, secret: str) -> str:
    if not secret:
        return url
    timestamp = str(int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={timestamp}&sign={sign}"


def mark_read(*, user, ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=clock.now())


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def outbox_health() -> dict:
    """For /healthz: deliveries waiting past their attempt time mean nobody is sending
    (the scheduler is down) — a channel that fails keeps its own back-off and is not
    counted as a stuck outbox."""
    from django.conf import settings
    from django.db.models import Min
    from django.utils import timezone

    real_now = timezone.now()
    pending = Delivery.objects.filter(status=Delivery.Status.PENDING)
    oldest_due = pending.filter(next_attempt_at__lte=real_now).aggregate(m=Min("next_attempt_at"))["m"]
    lag = int((real_now - oldest_due).total_seconds()) if oldest_due else 0
    return {
        "ok": lag <= settings.CAMPUSGRID_HEALTH_OUTBOX_LAG,
        "pending": pending.count(),
        "oldest_due_seconds": lag,
        "failed_last_day": Delivery.objects.filter(
            status=Delivery.Status.FAILED, created_at__gte=real_now - dt.timedelta(days=1)
        ).count(),
    }


def unread_count_cached(user) -> int:
    """The menu's 通知 badge (the header shows the menu's): counted once per request when the
    kept menu is computed."""
    cached = getattr(user, "_campusgrid_unread_count", None)
    if cached is None:
        cached = user._campusgrid_unread_count = unread_count(user)
    return cached
