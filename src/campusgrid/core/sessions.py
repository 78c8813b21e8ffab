"""Idle logout: a signed-in session ends after CAMPUSGRID_SESSION_IDLE_SECONDS without a
request, and in any case SESSION_COOKIE_AGE after sign-in (Django's own expiry slides
whenever the session is saved, so the absolute maximum is kept here too). Times come
from the project clock, so tests travel instead of sleeping.

An htmx request that meets an ended session gets `HX-Redirect` to the login page, so the
whole page goes there instead of the login form being swapped into a fragment.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url

from . import clock

LAST_ACTIVITY = "campusgrid_last_activity"
SIGNED_IN_AT = "campusgrid_signed_in_at"
# Writing the session on every request would be a database write per page view: the
# recorded activity is refreshed once it is this many seconds old.
REFRESH_SECONDS = 60


@receiver(user_logged_in)
def _remember_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = clock.now().timestamp()
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_ACTIVITY] = now


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _login_url(request, *, idle: bool) -> str:
    query = {"next": request.get_full_path()}
    if idle:
        query["idle"] = "1"
    return f"{resolve_url(settings.LOGIN_URL)}?{urlencode(query)}"


def _redirect(request, url: str) -> HttpResponse:
    if _is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            ended = self._check(request)
            if ended is not None:
                logout(request)
                if request.path.startswith("/api/"):
                    # The API answers for itself: 401/403 in Chinese to an anonymous request.
                    return self.get_response(request)
                return _redirect(request, _login_url(request, idle=ended == "idle"))
        response = self.get_response(request)
        if _is_htmx(request) and response.status_code == 302:
            # login_required sent an htmx request (whose session had already gone) to sign in.
            location = response.get("Location", "")
            if location.startswith(resolve_url(settings.LOGIN_URL)):
                return _redirect(request, location)
        return response

    def _check(self, request) -> str | None:
        """'idle' or 'expired' when the session has ended; otherwise records the activity."""
        session = request.session
        now = clock.now().timestamp()
        signed_in = session.get(SIGNED_IN_AT)
        last = session.get(LAST_ACTIVITY)
        if signed_in is not None and now - signed_in > settings.SESSION_COOKIE_AGE:
            return "expired"
        idle = settings.CAMPUSGRID_SESSION_IDLE_SECONDS
        if idle and last is not None and now - last > idle:
            return "idle"
        if signed_in is None:
            session[SIGNED_IN_AT] = now  # a session from before this rule, or force_login in tests
        if last is None or now - last >= REFRESH_SECONDS:
            session[LAST_ACTIVITY] = now
        return None
