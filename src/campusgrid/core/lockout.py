"""Sign-in lockout (django-axes): an account is locked after AXES_FAILURE_LIMIT wrong
passwords for AXES_COOLOFF_TIME, and a client address after CAMPUSGRID_LOGIN_IP_FAILURE_LIMIT
failures over any accounts (higher: a dorm building shares one NAT address). User names are
sequential 学号, so guessing one password across many accounts is the attack the address
limit stops.

The lockout answer is the login page itself, with a Chinese message that says when to retry.
"""

import datetime as dt

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone


def _failures_by_parameter(handler, request, credentials) -> dict[str, int]:
    parameters = [
        p if isinstance(p, str) else "+".join(p) for p in get_lockout_parameters(request, credentials)
    ]
    counts = [
        attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
        for attempts in handler.get_user_attempts(request, credentials)
    ]
    return dict(zip(parameters, counts, strict=True))


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with one limit per account and another per client address."""

    def get_failures(self, request, credentials=None) -> int:
        counts = _failures_by_parameter(self, request, credentials)
        account = counts.get("username", 0)
        if counts.get("ip_address", 0) >= settings.CAMPUSGRID_LOGIN_IP_FAILURE_LIMIT:
            # The address is over its own limit: report it as locked whatever the account.
            return max(account, get_failure_limit(request, credentials))
        return account

    def reset_user_attempts(self, request, credentials=None) -> int:
        """On a successful sign-in (AXES_RESET_ON_SUCCESS) clear that account's failures only:
        axes would clear everything from the address too, so that signing in to one's own
        account would reset the count on the account one is guessing."""
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


def retry_at(request, credentials=None) -> dt.datetime | None:
    """When the lock on this account (or, failing that, this address) ends, in local time."""
    cool_off = get_cool_off(request)
    if cool_off is None:
        return None
    username = get_client_username(request, credentials)
    since = timezone.now() - cool_off
    recent = AccessAttempt.objects.filter(attempt_time__gte=since)
    last = None
    if username:
        last = recent.filter(username=username).aggregate(t=Max("attempt_time"))["t"]
    if last is None:
        last = recent.filter(ip_address=getattr(request, "axes_ip_address", None)).aggregate(
            t=Max("attempt_time")
        )["t"]
    return timezone.localtime((last or timezone.now()) + cool_off)


def lockout_message(request, credentials=None) -> str:
    minutes = int(get_cool_off(request).total_seconds() // 60) if get_cool_off(request) else None
    until = retry_at(request, credentials)
    if until is None:
        return "登录失败次数过多，账号已被锁定，请联系管理员解锁。"
    return (
        f"登录失败次数过多，账号已锁定 {minutes} 分钟。请于 {until:%H:%M} 后再试，"
        "或联系管理员（辅导员或系统管理员）解锁。"
    )


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the login page again, with the reason and the time to retry (429)."""
    username = get_client_username(request, credentials) or ""
    context = {
        # Unbound: validating it again would be another sign-in attempt.
        "form": AuthenticationForm(request, initial={"username": username}),
        "lockout_message": lockout_message(request, credentials),
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    return render(request, "registration/login.html", context, status=429)
