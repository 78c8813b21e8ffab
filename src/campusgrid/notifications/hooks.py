"""What the notifications app plugs into the rest: navigation, home panels (render functions in
panels.py), sections, `tick` jobs, demo steps. One register(), called from the app's ready()."""

from campusgrid.core.registry import (
    HealthCheck,
    NavItem,
    TickJob,
    register_health_check,
    register_nav,
    register_tick_job,
)


def _deliver(now):
    from .services import deliver_due

    return deliver_due(now)


def _unread(user):
    from .services import unread_count_cached

    return unread_count_cached(user) or None


def _outbox_health():
    from .services import outbox_health

    return outbox_health()


def _unread_inputs():
    from .models import Notification

    return (Notification,)


def register():
    from campusgrid.core.fingerprint import watch

    watch(*_unread_inputs())
    register_nav(NavItem("通知", "notifications:list", "bell", order=1, badge=_unread, inputs=_unread_inputs))
    register_tick_job(TickJob("notifications.deliver", _deliver, order=90))
    register_health_check(HealthCheck("outbox", _outbox_health, order=30))
