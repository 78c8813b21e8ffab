"""The Content-Security-Policy of every response (django-csp), and its few exceptions.

The policy itself is `CONTENT_SECURITY_POLICY` in the settings: scripts and styles from
this origin only, no inline script, no inline style, no plugins, no framing. Two things
are decided per response here rather than in the settings:

- `form-action` also allows the origin of the CAS server (`settings.CAS_SERVER_URL`) and
  `CAMPUSGRID_CSP_FORM_ACTION`, read at request time: Chromium applies `form-action` to the
  redirects that follow a form submission too (the logout form ends on the CAS server).
- DRF's browsable API (an API URL opened in a browser) is DRF's own template, written with
  `style="…"` attributes and a `<style>` block for its code highlighting: its responses may
  use inline *styles*. Its scripts stay under `script-src 'self'` like every other page.

django-csp builds the header from the settings on every response, and the report-only header
too (there is none here): two policy builds per response, on every request of the evening
peak. Without a nonce and a view's own `@csp_*` change, the header depends on the settings and
on whether the response is the browsable API only, so it is built once per process for each
and kept until a setting it reads changes (tests; a restart otherwise). Anything else goes
through django-csp as before.
"""

import http.client
from dataclasses import asdict
from urllib.parse import urlsplit

from csp.constants import HEADER, HEADER_REPORT_ONLY, SELF, UNSAFE_INLINE
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed

# Settings the built headers depend on.
_READS = frozenset(
    {
        "CONTENT_SECURITY_POLICY",
        "CONTENT_SECURITY_POLICY_REPORT_ONLY",
        "CAS_SERVER_URL",
        "CAMPUSGRID_CSP_FORM_ACTION",
        "DEBUG",
    }
)
# A view's own changes to the policy (django-csp's decorators set these on the response).
_PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)
_built: dict[bool, tuple[str, str]] = {}  # browsable API? -> (policy, report-only policy)
# The policy's and the report-only policy's (the order of `_built`'s pairs): the header, the
# response's attribute that exempts it (django-csp's decorators), the setting whose
# EXCLUDE_URL_PREFIXES leave it out.
_HEADERS = (
    (HEADER, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
    (HEADER_REPORT_ONLY, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
)


def _forget(*, setting, **kwargs) -> None:
    if setting in _READS:
        _built.clear()


setting_changed.connect(_forget)


def origin_of(url: str) -> str | None:
    """`https://cas.example.edu.cn` for `https://cas.example.edu.cn/cas/`; None when not absolute."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def extra_form_action_origins() -> list[str]:
    urls = [getattr(settings, "CAS_SERVER_URL", "") or ""]
    urls += list(getattr(settings, "CAMPUSGRID_CSP_FORM_ACTION", []))
    return sorted({o for o in map(origin_of, urls) if o})


def _is_browsable_api(response) -> bool:
    from rest_framework.renderers import BrowsableAPIRenderer

    return isinstance(getattr(response, "accepted_renderer", None), BrowsableAPIRenderer)


def _excluded(request, name: str) -> bool:
    prefixes = (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ()
    return request.path_info.startswith(tuple(prefixes))


class CSPMiddleware(BaseCSPMiddleware):
    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, name, None) is not None for name in _PER_RESPONSE
        ):
            return super().process_response(request, response)
        # django-csp's own rules, with the headers built once (see the module's docstring).
        if settings.DEBUG and response.status_code in (
            http.client.INTERNAL_SERVER_ERROR,
            http.client.NOT_FOUND,
        ):
            return response
        browsable = _is_browsable_api(response)
        built = _built.get(browsable)
        if built is None:
            parts = self.get_policy_parts(request=request, response=response)
            parts_ro = self.get_policy_parts(request=request, response=response, report_only=True)
            built = _built[browsable] = (
                build_policy(**asdict(parts)),
                build_policy(**asdict(parts_ro), report_only=True),
            )
        for (header, exempt, setting), policy in zip(_HEADERS, built, strict=True):
            if (
                policy
                and header not in response
                and not getattr(response, exempt, False)
                and not _excluded(request, setting)
            ):
                response[header] = policy
        # As django-csp: a nonce asked for after the header is written is an error, not a
        # nonce missing from the policy.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        update = dict(parts.update or {})
        origins = extra_form_action_origins()
        if origins:
            update["form-action"] = list(update.get("form-action", [])) + origins
        if _is_browsable_api(response):
            parts.replace = {**(parts.replace or {}), "style-src": [SELF, UNSAFE_INLINE]}
        parts.update = update or parts.update
        return parts
