"""WeCom (企业微信) server API: access token, OAuth user id, application messages.

The access token is kept in the database (WeComToken) so that every app server shares one,
refreshed some minutes before it expires; a call answered "token expired/invalid" (42001,
40014, 40001) refreshes it once and tries again. The base URL is a setting
(CAMPUSGRID_WECOM_API_URL) so that tests talk to a local server speaking the same protocol."""

from __future__ import annotations

import datetime as dt
import logging
import urllib.parse

import requests
from django.conf import settings
from django.db import transaction

from campusgrid.core import clock

from .models import WeComToken

log = logging.getLogger("campusgrid.accounts")
TIMEOUT_SECONDS = 10
REFRESH_MARGIN = dt.timedelta(minutes=5)
TOKEN_ERRORS = {40001, 40014, 42001}  # invalid credential, invalid token, token expired
OAUTH_URL = "https://open.weixin.qq.com/connect/oauth2/authorize"
QR_LOGIN_URL = "https://open.work.weixin.qq.com/wwopen/sso/qrConnect"


class WeComError(Exception):
    def __init__(self, errcode, errmsg=""):
        super().__init__(f"企业微信返回错误 {errcode}: {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


def enabled() -> bool:
    return bool(getattr(settings, "CAMPUSGRID_WECOM_ENABLED", False))


def _url(path: str) -> str:
    return urllib.parse.urljoin(settings.CAMPUSGRID_WECOM_API_URL, path)


def _key() -> str:
    return f"{settings.CAMPUSGRID_WECOM_CORP_ID}/{settings.CAMPUSGRID_WECOM_AGENT_ID}"


def _decode(response: requests.Response) -> dict:
    try:
        answer = response.json()
    except ValueError:
        raise WeComError(-1, f"HTTP {response.status_code}，无法识别的应答：{response.text[:200]}")
    if not isinstance(answer, dict):
        raise WeComError(-1, "无法识别的应答")
    return answer


def _fetch_token() -> tuple[str, dt.datetime]:
    response = requests.get(
        _url("cgi-bin/gettoken"),
        params={"corpid": settings.CAMPUSGRID_WECOM_CORP_ID, "corpsecret": settings.CAMPUSGRID_WECOM_SECRET},
        timeout=TIMEOUT_SECONDS,
    )
    answer = _decode(response)
    if answer.get("errcode", 0) != 0 or not answer.get("access_token"):
        raise WeComError(answer.get("errcode"), answer.get("errmsg", ""))
    lifetime = int(answer.get("expires_in") or 7200)
    return answer["access_token"], clock.now() + dt.timedelta(seconds=lifetime)


def access_token(*, force: bool = False) -> str:
    """The shared token; fetched again when it is within REFRESH_MARGIN of expiring."""
    now = clock.now()
    if not force:
        row = WeComToken.objects.filter(key=_key(), expires_at__gt=now + REFRESH_MARGIN).first()
        if row is not None:
            return row.token
    with transaction.atomic():
        # Lock the row: two app servers finding the token stale at once must not both
        # fetch (WeCom rate-limits gettoken); the second one reads what the first stored.
        row = WeComToken.objects.select_for_update().filter(key=_key()).first()
        if row is not None and not force and row.expires_at > now + REFRESH_MARGIN:
            return row.token
        token, expires_at = _fetch_token()
        if row is None:
            WeComToken.objects.create(key=_key(), token=token, expires_at=expires_at)
        else:
            row.token, row.expires_at = token, expires_at
            row.save(update_fields=["token", "expires_at"])
        return token


def call(method: str, path: str, *, params: dict | None = None, body: dict | None = None) -> dict:
    """One API call with the access token; refreshes the token once if WeCom says it expired."""
    for attempt in (1, 2):
        token = access_token(force=attempt == 2)
        response = requests.request(
            method,
            _url(path),
            params={**(params or {}), "access_token": token},
            json=body,
            timeout=TIMEOUT_SECONDS,
        )
        answer = _decode(response)
        code = answer.get("errcode", 0)
        if code in TOKEN_ERRORS and attempt == 1:
            log.info("WeCom token rejected (%s), refreshing", code)
            continue
        if code != 0:
            raise WeComError(code, answer.get("errmsg", ""))
        return answer
    raise AssertionError("unreachable")


def userid_from_code(code: str) -> str | None:
    """The member's user id for an OAuth / QR-login code (single use, 5 minutes); None for
    someone who is not a member of the corp (WeCom gives an openid only)."""
    answer = call("GET", "cgi-bin/auth/getuserinfo", params={"code": code})
    return answer.get("userid") or answer.get("UserId") or None


def send_text_card(*, userids: list[str], title: str, description: str, url: str) -> dict:
    """An application message (文本卡片消息) to up to 1000 members; returns WeCom's answer
    (`invaliduser` lists ids it does not know)."""
    body = {
        "touser": "|".join(userids),
        "msgtype": "textcard",
        "agentid": int(settings.CAMPUSGRID_WECOM_AGENT_ID)
        if str(settings.CAMPUSGRID_WECOM_AGENT_ID).isdigit()
        else settings.CAMPUSGRID_WECOM_AGENT_ID,
        "textcard": {"title": title[:128], "description": description[:512], "url": url, "btntxt": "详情"},
        "enable_duplicate_check": 0,
    }
    return call("POST", "cgi-bin/message/send", body=body)


def authorize_url(redirect_uri: str, state: str) -> str:
    """OAuth inside WeCom's browser (snsapi_base: the user id, no consent screen)."""
    query = urllib.parse.urlencode(
        {
            "appid": settings.CAMPUSGRID_WECOM_CORP_ID,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": "snsapi_base",
            "state": state,
            "agentid": settings.CAMPUSGRID_WECOM_AGENT_ID,
        }
    )
    return f"{OAUTH_URL}?{query}#wechat_redirect"


def qr_login_url(redirect_uri: str, state: str) -> str:
    """Desktop: scan the QR code with WeCom."""
    query = urllib.parse.urlencode(
        {
            "appid": settings.CAMPUSGRID_WECOM_CORP_ID,
            "agentid": settings.CAMPUSGRID_WECOM_AGENT_ID,
            "redirect_uri": redirect_uri,
            "state": state,
        }
    )
    return f"{QR_LOGIN_URL}?{query}"


def in_wecom_browser(request) -> bool:
    return "wxwork" in request.headers.get("User-Agent", "").lower()
