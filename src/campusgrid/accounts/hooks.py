"""What the accounts app plugs into the rest: navigation, home panels (render functions in
panels.py), sections, `tick` jobs, demo steps. One register(), called from the app's ready()."""

from campusgrid.core.registry import NavItem, TickJob, register_nav, register_tick_job


def _forget_ended_cas_sessions(now):
    """django-cas-ng's SessionTicket rows whose session has ended (logged out or expired):
    what its django_cas_ng_clean_sessions command does, as one query per run."""
    from django.conf import settings
    from django.contrib.sessions.models import Session
    from django_cas_ng.models import SessionTicket

    if (
        not settings.CAMPUSGRID_CAS_ENABLED
        or settings.SESSION_ENGINE != "django.contrib.sessions.backends.db"
    ):
        return 0
    live = Session.objects.filter(expire_date__gt=now).values("session_key")
    deleted, _ = SessionTicket.objects.exclude(session_key__in=live).delete()
    return deleted


def register():
    register_nav(NavItem("个人设置", "people:profile", "person-circle", order=99, group="admin"))
    register_tick_job(TickJob("accounts.cas_sessions", _forget_ended_cas_sessions, order=95))
