"""Settings of the campus sign-in, read from the environment (imported by settings/base.py,
so nothing here may touch Django's settings or models).

CAS (统一身份认证):
  CAMPUSGRID_CAS_SERVER_URL          e.g. https://cas.example.edu.cn/cas/ or …/authserver/ (unset: no CAS)
  CAMPUSGRID_CAS_VERSION             3 (Apereo CAS, p3/serviceValidate) or 2 (Wisedu 金智, serviceValidate)
  CAMPUSGRID_CAS_USERNAME_ATTRIBUTE  cas:user (default: the <cas:user> element), or an attribute
                                     holding the 学号/工号 such as uid, eduPersonStudentID, employeeNumber
  CAMPUSGRID_CAS_ATTRIBUTE_MAP       whitelist "attribute:field,…"; fields: name, email (e.g. cn:name)
WeCom (企业微信):
  CAMPUSGRID_WECOM_CORP_ID, CAMPUSGRID_WECOM_AGENT_ID, CAMPUSGRID_WECOM_SECRET  (all three, or no WeCom)
  CAMPUSGRID_WECOM_API_URL           default https://qyapi.weixin.qq.com (tests point it at a local server)
"""

from __future__ import annotations

import urllib.parse

from django.core.exceptions import ImproperlyConfigured

# Which of our fields a CAS attribute may fill. Nothing else is ever written from CAS:
# not is_staff / is_superuser, not the roster's own data (the roster import is authoritative).
CAS_FIELDS = {"name": "first_name", "email": "email"}


def normalise_server_url(url: str) -> str:
    """`…/authserver` → `…/authserver/`: without the slash urljoin drops the last segment
    (`…/authserver` + `serviceValidate` → `…/serviceValidate`)."""
    url = url.strip()
    return url if url.endswith("/") else url + "/"


def parse_attribute_map(value: str) -> dict[str, str]:
    mapping = {}
    for item in value.split(","):
        item = item.strip()
        if not item:
            continue
        attribute, sep, field = item.partition(":")
        attribute, field = attribute.strip(), field.strip()
        if not sep or not attribute or field not in CAS_FIELDS:
            raise ImproperlyConfigured(
                f"CAMPUSGRID_CAS_ATTRIBUTE_MAP: “{item}” should be attribute:field, "
                f"field one of {', '.join(CAS_FIELDS)}"
            )
        mapping[attribute] = field
    return mapping


CAS_TIMEOUT_SECONDS = 10


def timeout_session():
    """The requests session python-cas validates tickets with: every request times out."""
    import requests

    class Session(requests.Session):
        def request(self, *args, **kwargs):
            kwargs.setdefault("timeout", CAS_TIMEOUT_SECONDS)
            return super().request(*args, **kwargs)

    return Session()


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def cas_settings(env) -> dict:
    server = (env.get("CAMPUSGRID_CAS_SERVER_URL") or "").strip()
    version = (env.get("CAMPUSGRID_CAS_VERSION") or "3").strip()
    if version not in ("2", "3"):
        raise ImproperlyConfigured("CAMPUSGRID_CAS_VERSION must be 2 or 3")
    if server and not server.startswith(("https://", "http://")):
        raise ImproperlyConfigured("CAMPUSGRID_CAS_SERVER_URL must be an absolute http(s) URL")
    site_url = (env.get("CAMPUSGRID_SITE_URL") or "").strip()
    return {
        "CAMPUSGRID_CAS_ENABLED": bool(server),
        "CAS_SERVER_URL": normalise_server_url(server) if server else None,
        "CAS_VERSION": version,
        "CAS_USERNAME_ATTRIBUTE": (env.get("CAMPUSGRID_CAS_USERNAME_ATTRIBUTE") or "cas:user").strip(),
        "CAMPUSGRID_CAS_ATTRIBUTE_MAP": parse_attribute_map(env.get("CAMPUSGRID_CAS_ATTRIBUTE_MAP") or ""),
        # Behind a reverse proxy the service URL must be the public one, or the CAS server's
        # ticket (issued for the public URL) fails validation; CAMPUSGRID_SITE_URL says it.
        "CAS_ROOT_PROXIED_AS": _origin(site_url) if site_url else None,
        # Never create accounts, never copy attributes onto the user (an attribute named
        # is_superuser would otherwise make a superuser); our backend applies the whitelist.
        "CAS_CREATE_USER": False,
        "CAS_APPLY_ATTRIBUTES_TO_USER": False,
        "CAS_RENAME_ATTRIBUTES": {},
        "CAS_MAP_AFFILIATIONS": False,
        "CAS_ADMIN_REDIRECT": False,
        "CAS_CHECK_NEXT": True,
        "CAS_IGNORE_REFERER": True,
        "CAS_STORE_NEXT": False,
        "CAS_RETRY_LOGIN": False,  # a bad ticket gets our Chinese page, not a redirect loop
        "CAS_REDIRECT_URL": "/",
        "CAS_LOGIN_MSG": None,
        "CAS_LOGGED_MSG": None,
        "CAS_LOGOUT_COMPLETELY": True,
        "CAS_LOGOUT_NEXT_PAGE": "/accounts/login/",
        "CAS_VERIFY_SSL_CERTIFICATE": True,
        # requests without a timeout would hang a worker on a stuck CAS server.
        "CAS_SESSION_FACTORY": timeout_session,
    }


def wecom_settings(env) -> dict:
    corp = (env.get("CAMPUSGRID_WECOM_CORP_ID") or "").strip()
    agent = (env.get("CAMPUSGRID_WECOM_AGENT_ID") or "").strip()
    secret = (env.get("CAMPUSGRID_WECOM_SECRET") or "").strip()
    given = [bool(corp), bool(agent), bool(secret)]
    if any(given) and not all(given):
        raise ImproperlyConfigured(
            "WeCom needs CAMPUSGRID_WECOM_CORP_ID, CAMPUSGRID_WECOM_AGENT_ID and CAMPUSGRID_WECOM_SECRET together"
        )
    return {
        "CAMPUSGRID_WECOM_ENABLED": all(given),
        "CAMPUSGRID_WECOM_CORP_ID": corp,
        "CAMPUSGRID_WECOM_AGENT_ID": agent,
        "CAMPUSGRID_WECOM_SECRET": secret,
        "CAMPUSGRID_WECOM_API_URL": normalise_server_url(
            env.get("CAMPUSGRID_WECOM_API_URL") or "https://qyapi.weixin.qq.com"
        ),
    }
