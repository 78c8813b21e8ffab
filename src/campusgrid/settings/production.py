"""Production settings: behind a TLS-terminating reverse proxy (nginx).

Required environment: SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL (PostgreSQL),
CAMPUSGRID_FIELD_KEYS. See README "Deploying on PostgreSQL".
"""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("CAMPUSGRID_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Behind one reverse proxy: the client address for sign-in lockout is the last hop it adds.
AXES_IPWARE_PROXY_COUNT = 1
AXES_IPWARE_PROXY_ORDER = "right-most"  # nginx appends the address it saw; what the client sent is left of it
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# One JSON line per request (time, request id, user id, path, status, duration, queries)
# and JSON for every other log line, on stderr for journald or the log shipper.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "campusgrid.core.requestlog.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "campusgrid": {"level": "INFO"},
        "campusgrid.request": {"level": "INFO"},
        "django.request": {"level": "ERROR"},
    },
}
