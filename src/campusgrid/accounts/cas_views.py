"""CAS pages: django-cas-ng's login view (ticket validation, SessionTicket) with our guards —
`next` limited to our own paths, refusals as Chinese pages, single logout for CAS 2 and 3."""

from __future__ import annotations

import logging
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_cas_ng import views as cas_ng_views
from django_cas_ng.models import ProxyGrantingTicket, SessionTicket
from django_cas_ng.signals import cas_user_logout
from django_cas_ng.utils import get_cas_client, get_user_from_session
from lxml import etree

from .cas import refusal_of

log = logging.getLogger("campusgrid.accounts")
CAS_BACKEND = "campusgrid.accounts.cas.Backend"
SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
# No DTDs, entities or network: the logout request comes from anyone who can POST.
_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)

REFUSALS = {
    "invalid_ticket": (
        "统一身份认证登录凭据无效",
        "登录凭据（ticket）无效、已过期或已经使用过。请重新进行统一身份认证登录。",
    ),
    "unknown_user": (
        "本系统中没有您的账号",
        "统一身份认证账号“{cas_user}”在本系统中没有对应的学号或工号。"
        "学生请联系所在班级的辅导员，教职工请联系学院学生工作办公室或学工部系统管理员，"
        "核对名册中的学号/工号后再登录。",
    ),
    "ambiguous": (
        "账号对应不唯一",
        "统一身份认证账号“{cas_user}”同时对应本系统的一个学号和一个工号，无法确定是谁。"
        "请联系学工部系统管理员处理。",
    ),
    "inactive": (
        "账号已停用",
        "与统一身份认证账号“{cas_user}”对应的账号已停用。如有疑问请联系辅导员或学工部系统管理员。",
    ),
    "no_username": (
        "统一身份认证未返回学号/工号",
        "统一身份认证服务器没有返回用于登录的学号/工号属性。请联系学工部系统管理员检查统一身份认证配置。",
    ),
    "unreachable": (
        "暂时无法连接统一身份认证服务器",
        "校验登录凭据时统一身份认证服务器没有正常应答，请稍后重试，或使用本系统账号密码登录。",
    ),
}


def safe_next(value: str | None) -> str:
    """Only a path of ours: `/reports/1/`, never `//evil`, `https://…` or `/\\evil`."""
    value = (value or "").strip()
    if not value.startswith("/") or value.startswith("//") or "\\" in value or any(c < " " for c in value):
        return ""
    return value


def refusal_page(request, code: str, cas_user: str = ""):
    title, text = REFUSALS.get(code, REFUSALS["invalid_ticket"])
    status = 503 if code == "unreachable" else 403
    context = {
        "title": title,
        "text": text.format(cas_user=cas_user),
        "retry_url": reverse("cas_ng_login"),
        # Signed in at CAS but not here: let them leave CAS to try another account.
        "cas_logout_url": get_cas_client(request=request).get_logout_url(
            request.build_absolute_uri(reverse("login"))
        ),
    }
    return render(request, "accounts/cas_refused.html", context, status=status)


class LoginView(cas_ng_views.LoginView):
    """GET: to the CAS login, or back from it with a ticket. POST: the CAS server's single
    logout request (SAML LogoutRequest with the ticket as SessionIndex)."""

    def get(self, request):
        query = request.GET.copy()
        query["next"] = safe_next(query.get("next")) or settings.CAS_REDIRECT_URL
        request.GET = query
        try:
            return super().get(request)
        except PermissionDenied:
            refusal = refusal_of(request)
            return refusal_page(
                request, refusal.code if refusal else "invalid_ticket", refusal.cas_user if refusal else ""
            )
        except cas_ng_views.RedirectException:
            return HttpResponseRedirect(reverse("cas_ng_login"))

    def post(self, request):
        logout_request = request.POST.get("logoutRequest")
        if not logout_request:
            return HttpResponseRedirect(reverse("cas_ng_login"))
        ended = end_sessions_of(logout_request)
        log.info("CAS single logout: %s session(s) ended", ended)
        return HttpResponse("ok", content_type="text/plain")


def session_indexes(logout_request: str) -> list[str]:
    try:
        root = etree.fromstring(logout_request.encode("utf-8"), parser=_SAFE_XML)
    except (etree.XMLSyntaxError, ValueError):
        return []
    return [
        (el.text or "").strip() for el in root.iter(f"{{{SAMLP}}}SessionIndex") if (el.text or "").strip()
    ]


def end_sessions_of(logout_request: str) -> int:
    """Delete the sessions that the tickets named in a CAS LogoutRequest opened. Done here
    rather than by django-cas-ng, whose handler ignores the request under CAS version 2
    (Wisedu servers send it too)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for ticket in session_indexes(logout_request):
        for st in SessionTicket.objects.filter(ticket=ticket):
            session = store(session_key=st.session_key)
            cas_user_logout.send(
                sender="slo", user=get_user_from_session(session), session=session, ticket=ticket
            )
            session.delete(st.session_key)
            ProxyGrantingTicket.objects.filter(session_key=st.session_key).delete()
            st.delete()
            ended += 1
    return ended


@require_POST
def logout(request):
    """The one logout button: a session CAS opened also leaves CAS (whose single logout then
    reaches every other application); a local session just ends."""
    if settings.CAMPUSGRID_CAS_ENABLED and request.session.get(BACKEND_SESSION_KEY) == CAS_BACKEND:
        return cas_ng_views.LogoutView.as_view()(request)
    return auth_views.LogoutView.as_view()(request)
