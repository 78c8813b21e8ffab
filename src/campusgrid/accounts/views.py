"""Sign-in pages: the login page's campus options, WeCom OAuth / QR login and binding, and
the profile page (个人设置) with its WeCom block."""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
import urllib.parse

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from campusgrid.core import clock

from . import services, wecom
from .cas_views import safe_next

STATE_KEY = "campusgrid_wecom_oauth"
STATE_LIFETIME = dt.timedelta(minutes=10)


def sign_in_options(request, next_path: str = "") -> dict:
    """What the login page offers besides the local login, and its hint (issue 12 item 11)."""
    query = f"?{urllib.parse.urlencode({'next': next_path})}" if next_path else ""
    cas = settings.CAMPUSGRID_CAS_ENABLED
    return {
        "cas_login_url": reverse("cas_ng_login") + query if cas else "",
        "wecom_login_url": reverse("accounts:wecom-login") + query if wecom.enabled() else "",
        "hint": (
            "学生和教职工请使用统一身份认证登录（学号/工号与统一身份认证密码）；"
            "本系统账号密码供管理员和未接入统一身份认证的账号使用。"
            if cas
            else "用户名为学号或工号，初始密码由辅导员告知。"
        ),
    }


class LoginView(auth_views.LoginView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sign_in"] = sign_in_options(self.request, safe_next(self.get_redirect_url()))
        return context


# --- WeCom ------------------------------------------------------------------------------------


def _require_wecom():
    if not wecom.enabled():
        raise Http404


def wecom_login(request):
    """Start WeCom sign-in (or, with ?bind=1 and signed in, binding): OAuth inside WeCom's
    browser, the QR login elsewhere. `state` is one-time, kept in the session."""
    _require_wecom()
    next_path = safe_next(request.GET.get("next")) or "/"
    bind = request.GET.get("bind") == "1"
    if bind and not request.user.is_authenticated:
        return redirect(f"{settings.LOGIN_URL}?{urllib.parse.urlencode({'next': request.get_full_path()})}")
    if request.user.is_authenticated and not bind:
        return HttpResponseRedirect(next_path)
    state = secrets.token_urlsafe(24)
    request.session[STATE_KEY] = {
        "state": state,
        "next": "/accounts/profile/" if bind else next_path,
        "bind_user": request.user.pk if bind else None,
        "at": clock.now().isoformat(),
    }
    callback = _public_url(request, reverse("accounts:wecom-callback"))
    if wecom.in_wecom_browser(request):
        return HttpResponseRedirect(wecom.authorize_url(callback, state))
    return HttpResponseRedirect(wecom.qr_login_url(callback, state))


def _public_url(request, path: str) -> str:
    # The redirect URI must be on the WeCom application's trusted domain: the public site URL.
    site = getattr(settings, "CAS_ROOT_PROXIED_AS", None)
    return urllib.parse.urljoin(site, path) if site else request.build_absolute_uri(path)


def _refused(request, title: str, text: str, status: int = 403):
    return render(
        request,
        "accounts/cas_refused.html",
        {"title": title, "text": text, "retry_url": reverse("accounts:wecom-login")},
        status=status,
    )


def wecom_callback(request):
    """Back from WeCom with `code` and `state`: check the state (once), exchange the code
    (once) for the member's user id, then sign in or bind."""
    _require_wecom()
    saved = request.session.pop(STATE_KEY, None)
    state, code = request.GET.get("state", ""), request.GET.get("code", "")
    if (
        not saved
        or not state
        or not hmac.compare_digest(str(saved.get("state", "")), state)
        or clock.now() - dt.datetime.fromisoformat(saved["at"]) > STATE_LIFETIME
    ):
        return _refused(
            request, "企业微信登录已失效", "登录请求已过期或不是从本系统发起的，请重新点击“企业微信登录”。"
        )
    if not code:
        return _refused(request, "企业微信登录未完成", "企业微信没有返回授权码，请重新登录。")
    try:
        userid = wecom.userid_from_code(code)
    except wecom.WeComError as exc:
        if exc.errcode in (40029, 40163, 50001):  # invalid / used code, untrusted redirect domain
            return _refused(request, "企业微信授权码无效", "授权码无效或已使用过，请重新点击“企业微信登录”。")
        return _refused(
            request, "暂时无法连接企业微信", "企业微信接口暂时不可用，请稍后重试或使用账号密码登录。", 503
        )
    except Exception:  # network errors: never a 500 on the sign-in path
        return _refused(
            request, "暂时无法连接企业微信", "企业微信接口暂时不可用，请稍后重试或使用账号密码登录。", 503
        )
    if not userid:
        return _refused(
            request, "不是本校企业微信成员", "您的企业微信账号不在本校通讯录中，请联系学工部系统管理员。"
        )
    if saved.get("bind_user"):
        if not request.user.is_authenticated or request.user.pk != saved["bind_user"]:
            return _refused(request, "绑定未完成", "请先登录本系统，再在“个人设置”中绑定企业微信。")
        try:
            services.wecom_bind(actor=request.user, userid=userid)
        except services.BindError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "已绑定企业微信，今后可在企业微信中直接登录并接收消息。")
        return redirect("people:profile")
    user = services.wecom_user_for(userid)
    if user is None:
        return _refused(
            request,
            "企业微信账号未关联",
            f"企业微信账号“{userid}”尚未与本系统账号关联。请先用学号/工号登录（初始密码由辅导员告知），"
            "在“个人设置”中绑定企业微信；或请辅导员在名册的“企业微信账号”列中填写后重新导入。",
        )
    auth_login(request, user, backend="campusgrid.core.auth.Backend")
    return HttpResponseRedirect(safe_next(saved.get("next")) or "/")


# --- Profile ----------------------------------------------------------------------------------


@login_required
def profile(request):
    """个人设置 is one page, people's (/me/): its WeCom block comes from `selectors.wecom_block`."""
    return redirect("people:profile", permanent=True)


@login_required
@require_POST
def wecom_messages(request):
    enabled = request.POST.get("enabled") == "1"
    services.wecom_messages_set(actor=request.user, enabled=enabled)
    messages.success(
        request, "已开启企业微信消息提醒" if enabled else "已关闭企业微信消息提醒，通知仍会在系统内显示"
    )
    return redirect("people:profile")


@login_required
@require_POST
def wecom_unbind(request):
    services.wecom_unbind(actor=request.user)
    messages.success(request, "已解除企业微信绑定")
    return redirect("people:profile")
