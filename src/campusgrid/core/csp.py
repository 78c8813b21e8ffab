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
"""

from urllib.parse import urlsplit

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from django.conf import settings


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


class CSPMiddleware(BaseCSPMiddleware):
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
