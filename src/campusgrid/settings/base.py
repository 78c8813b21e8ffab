"""Settings shared by every deployment; values come from the environment.

Environment:
  DEBUG                 "1" for development (default off: secure defaults apply)
  SECRET_KEY            Django's secret; when unset, one is generated once into the data folder
  DATABASE_URL          e.g. postgres://user@127.0.0.1:5432/campusgrid; default SQLite in the data folder
  CAMPUSGRID_DATA_DIR   where the SQLite file, uploads and generated keys live (default ./data)
  ALLOWED_HOSTS         comma separated (default 127.0.0.1,localhost)
  CAMPUSGRID_FIELD_KEYS comma separated Fernet keys for encrypted fields; the first encrypts
  CAMPUSGRID_TICK_SECONDS interval of the served app's scheduler (default 60, 0 disables)
  CAMPUSGRID_PARTY_ASSESSMENT_MINIMUM an activist's minimum assessment score for candidacy (default 60, 0 none)
  CAMPUSGRID_DB_CONN_MAX_AGE, CAMPUSGRID_DB_POOL (MIN:MAX), CAMPUSGRID_DB_POOL_TIMEOUT  PostgreSQL connections
  CAMPUSGRID_CACHE_ENTRIES how many kept figures, menus and list pages each process holds (default 10000)
  CAMPUSGRID_CAS_*, CAMPUSGRID_WECOM_*  campus sign-in (see the end of this file and the README)
  CAMPUSGRID_CSP_FORM_ACTION comma separated origins forms may post to besides this site
  Security (README "Security"): CAMPUSGRID_LOGIN_FAILURE_LIMIT, CAMPUSGRID_LOGIN_LOCKOUT_MINUTES,
  CAMPUSGRID_LOGIN_IP_FAILURE_LIMIT, CAMPUSGRID_SESSION_IDLE_MINUTES, CAMPUSGRID_SESSION_HOURS,
  CAMPUSGRID_SESSION_BROWSER_CLOSE, CAMPUSGRID_TOKEN_DAYS, CAMPUSGRID_THROTTLE_USER, CAMPUSGRID_THROTTLE_ANON
"""

import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
DATA_DIR = Path(os.environ.get("CAMPUSGRID_DATA_DIR", PROJECT_DIR / "data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _persisted_secret(filename: str, factory) -> str:
    """A secret generated once and kept in the data folder (mode 600)."""
    path = DATA_DIR / filename
    if not path.exists():
        path.write_text(factory())
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY") or _persisted_secret(
    "secret_key", lambda: secrets.token_urlsafe(64)
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "campusgrid.core.apps.AxesConfig",  # django-axes, named in Chinese in the admin
    "campusgrid.core",
    "campusgrid.org",
    "campusgrid.people",
    "campusgrid.grid",
    "campusgrid.notifications",
    "campusgrid.reports",
    "campusgrid.dossiers",
    "campusgrid.ledgers",
    "campusgrid.service",
    "campusgrid.party",
    "campusgrid.dashboards",
    "campusgrid.demo",
    # Campus sign-in. Installed always (their tables exist) but inert until configured:
    # no URL, backend or login-page link appears without CAMPUSGRID_CAS_SERVER_URL /
    # CAMPUSGRID_WECOM_CORP_ID (see the end of this file).
    "django_cas_ng",
    "campusgrid.accounts",
]

MIDDLEWARE = [
    "campusgrid.core.requestlog.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so that static files carry the policy too.
    "campusgrid.core.csp.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "campusgrid.core.fingerprint.ReadOnceMiddleware",
    "campusgrid.core.sessions.IdleTimeoutMiddleware",
    "campusgrid.grid.middleware.CollegeFocusMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a locked-out sign-in into the login page with the time to retry.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "campusgrid.urls"
WSGI_APPLICATION = "campusgrid.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "campusgrid.core.context_processors.navigation",
                "campusgrid.core.requestlog.request_id",
            ],
        },
    }
]

_default_sqlite = f"sqlite:///{DATA_DIR / 'campusgrid.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_sqlite), conn_max_age=60)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the scheduler write while pages read; IMMEDIATE avoids
        # "database is locked" upgrades inside write transactions.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        "transaction_mode": "IMMEDIATE",
    }
# PostgreSQL connections outlive the request: persistent per worker thread for
# CAMPUSGRID_DB_CONN_MAX_AGE seconds (default 60) — or, with CAMPUSGRID_DB_POOL=MIN:MAX,
# Django's psycopg pool (psycopg[pool]) shares at most MAX connections among a process's
# threads. README "Deployment" says how to size it: workers × MAX must stay below
# PostgreSQL's max_connections on every app server together.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CAMPUSGRID_DB_CONN_MAX_AGE", "60"))
    _pool = os.environ.get("CAMPUSGRID_DB_POOL", "").strip()
    if _pool:
        _low, _, _high = _pool.partition(":")
        DATABASES["default"]["CONN_MAX_AGE"] = (
            0  # Django: a pool and persistent connections exclude each other
        )
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": int(_low),
            "max_size": int(_high or _low),
            "timeout": float(os.environ.get("CAMPUSGRID_DB_POOL_TIMEOUT", "10")),
        }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# What is kept between requests (core.fingerprint: menus, panel figures, list pages, filter
# choices) lives in each process's memory, keyed by the tables' change counters, so that every
# process and server agrees without a shared cache. Django's default holds 300 entries, which an
# evening of thousands of dorm heads (a menu and a few pages each) turns over within seconds.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CAMPUSGRID_CACHE_ENTRIES", "10000"))},
    }
}

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or address before any backend checks a password.
    "axes.backends.AxesStandaloneBackend",
    "campusgrid.core.auth.Backend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# The interface is Chinese literals; the one catalogue is django-axes' admin strings in Chinese
# (axes ships none): campusgrid/locale/zh_Hans.
LOCALE_PATHS = [PACKAGE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [
    ("vendor/bootstrap", PROJECT_DIR / "node_modules/bootstrap/dist"),
    ("vendor/bootstrap-icons", PROJECT_DIR / "node_modules/bootstrap-icons/font"),
    ("vendor/htmx", PROJECT_DIR / "node_modules/htmx.org/dist"),
    ("vendor/echarts", PROJECT_DIR / "node_modules/echarts/dist"),
    PACKAGE_DIR / "static",  # campusgrid/app.css (the package is not an app, so no finder looks there)
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploads on shared storage, for several app servers: CAMPUSGRID_STORAGE=s3 puts report and
# finding photos (and every other upload) in an S3-compatible bucket (MinIO, a cloud OSS)
# through django-storages. Files stay private: the app streams them through its scoped views.
CAMPUSGRID_STORAGE = os.environ.get("CAMPUSGRID_STORAGE", "local")
if CAMPUSGRID_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["CAMPUSGRID_S3_BUCKET"],
            "endpoint_url": os.environ.get("CAMPUSGRID_S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("CAMPUSGRID_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("CAMPUSGRID_S3_SECRET_KEY") or None,
            "region_name": os.environ.get("CAMPUSGRID_S3_REGION") or None,
            "location": os.environ.get("CAMPUSGRID_S3_PREFIX", "campusgrid"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "addressing_style": os.environ.get("CAMPUSGRID_S3_ADDRESSING", "path"),  # MinIO wants path
        },
    }
# Serve from the finders without collectstatic (one process, one command to run).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Uploaded files (report photos, imports) live outside the web root and are
# only served through views that check who may see them.
MEDIA_ROOT = DATA_DIR / "uploads"
MEDIA_URL = "/media-is-not-served/"

# Uploaded spreadsheets (roster, staff and screening imports; pages, API and commands alike):
# one set of limits, checked by `core.imports.read_rows` before any parser sees a file, which
# is then read in a child process capped in memory and time (SPEC §13, issue 11).
IMPORT_MAX_BYTES = int(os.environ.get("CAMPUSGRID_IMPORT_MAX_MB", "30")) * 1024 * 1024  # the file
IMPORT_MAX_ROWS = 100_000  # the largest real roster has ~60,000
IMPORT_MAX_COLUMNS = 100  # the widest template has 17
IMPORT_MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
IMPORT_MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024  # an .xlsx unzipped (a 100,000-row roster is ~100 MB)
IMPORT_MAX_ZIP_ENTRIES = 1_000  # parts inside an .xlsx (a plain workbook has about ten)
IMPORT_PARSE_MEMORY_BYTES = 1024 * 1024 * 1024  # the reading child's address space
IMPORT_PARSE_SECONDS = 60
# Import files waiting between preview and confirmation are deleted after this (tick).
IMPORT_STAGED_MAX_AGE_SECONDS = int(os.environ.get("CAMPUSGRID_IMPORT_STAGED_MAX_AGE", "3600"))

# Photos (report photos, inspection findings): refused over these, then re-encoded without
# EXIF (phones put the GPS position there), turned upright, at most PHOTO_MAX_SIDE px long.
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000
PHOTO_MAX_SIDE = 2560

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# A session lasts at most CAMPUSGRID_SESSION_HOURS from sign-in, ends after
# CAMPUSGRID_SESSION_IDLE_MINUTES without a request (等保: shared computers in offices and
# dorm-building duty rooms) and when the browser closes (core/sessions.py).
SESSION_COOKIE_AGE = int(float(os.environ.get("CAMPUSGRID_SESSION_HOURS", "12")) * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("CAMPUSGRID_SESSION_BROWSER_CLOSE", True)
CAMPUSGRID_SESSION_IDLE_SECONDS = int(float(os.environ.get("CAMPUSGRID_SESSION_IDLE_MINUTES", "30")) * 60)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("CAMPUSGRID_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Sign-in lockout (django-axes, core/lockout.py): an account after 5 wrong passwords for 30
# minutes; a client address after 30 failures over any accounts (a building shares one NAT address).
AXES_FAILURE_LIMIT = int(os.environ.get("CAMPUSGRID_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("CAMPUSGRID_LOGIN_LOCKOUT_MINUTES", "30")))
CAMPUSGRID_LOGIN_IP_FAILURE_LIMIT = int(os.environ.get("CAMPUSGRID_LOGIN_IP_FAILURE_LIMIT", "30"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "campusgrid.core.lockout.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "campusgrid.core.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# API tokens expire CAMPUSGRID_TOKEN_DAYS after they were created (core/auth.py).
CAMPUSGRID_TOKEN_DAYS = int(os.environ.get("CAMPUSGRID_TOKEN_DAYS", "30"))
# API rates: per user when signed in (token or session), per address otherwise. Counted in the
# default cache, i.e. per server process.
CAMPUSGRID_THROTTLE_USER = os.environ.get("CAMPUSGRID_THROTTLE_USER", "600/min")
CAMPUSGRID_THROTTLE_ANON = os.environ.get("CAMPUSGRID_THROTTLE_ANON", "60/min")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "campusgrid.core.auth.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "campusgrid.core.parsers.ObjectJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "campusgrid.core.parsers.AnonThrottle",
        "campusgrid.core.parsers.UserThrottle",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "campusgrid.core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "campusgrid.core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "campusgrid.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CampusGrid API",
    "DESCRIPTION": "学生网格化管理系统 REST API。所有列表与详情都按调用者的网格职务限定范围。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "campusgrid.core.schema.add_error_responses",
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the installed sidecar package, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a `kind`: give each enum its own name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "PostKindEnum": "campusgrid.grid.models.PostKind",
        "LeaveKindEnum": "campusgrid.ledgers.models.LeaveKind",
        "InspectionRoundKindEnum": "campusgrid.ledgers.models.RoundKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "campusgrid": {"level": os.environ.get("CAMPUSGRID_LOG_LEVEL", "INFO")},
        # one line per request: JSON in production; quiet in development
        "campusgrid.request": {"level": "WARNING"},
    },
}

# Encrypted personal fields (PIPL sensitive data). Keys are Fernet keys; the first
# one encrypts, all of them decrypt, so a key can be rotated without downtime.
FIELD_ENCRYPTION_KEYS = env_list("CAMPUSGRID_FIELD_KEYS") or [
    _persisted_secret(
        "field_key", lambda: __import__("cryptography.fernet").fernet.Fernet.generate_key().decode()
    )
]

# Email notifications go out only when an SMTP server is configured.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "campusgrid@localhost")
CAMPUSGRID_EMAIL_NOTIFICATIONS = bool(EMAIL_HOST)

CAMPUSGRID_TICK_SECONDS = int(os.environ.get("CAMPUSGRID_TICK_SECONDS", "60"))
# The minimum small-grid party member's assessment (0–100) an activist needs to be proposed as a
# development candidate (party.selectors.assess.assessment_meets_minimum); 0 = no minimum.
CAMPUSGRID_PARTY_ASSESSMENT_MINIMUM = int(os.environ.get("CAMPUSGRID_PARTY_ASSESSMENT_MINIMUM", "60"))
# PIPL retention: years after leaving (毕业 graduated, 退学 withdrawn) until ID numbers, contact
# data, dossiers, talk records, screening results and sensitive reports are erased by tick.
CAMPUSGRID_RETENTION_YEARS = {
    "graduated": int(os.environ.get("CAMPUSGRID_RETENTION_GRADUATED_YEARS", "2")),
    "withdrawn": int(os.environ.get("CAMPUSGRID_RETENTION_WITHDRAWN_YEARS", "2")),
}
CAMPUSGRID_RETENTION_ENABLED = env_bool("CAMPUSGRID_RETENTION_ENABLED", True)
# The sensitive-data access log is kept this many days (never fewer than 180), then purged by tick.
CAMPUSGRID_ACCESS_LOG_DAYS = max(180, int(os.environ.get("CAMPUSGRID_ACCESS_LOG_DAYS", "1095")))

# Scheduled backup through tick: once a day after this local time ("" disables), keeping the newest N.
CAMPUSGRID_BACKUP_TIME = os.environ.get("CAMPUSGRID_BACKUP_TIME", "03:30")
CAMPUSGRID_BACKUP_KEEP = int(os.environ.get("CAMPUSGRID_BACKUP_KEEP", "7"))
CAMPUSGRID_BACKUP_DIR = Path(os.environ.get("CAMPUSGRID_BACKUP_DIR", DATA_DIR / "backups"))
# /healthz: unhealthy when no tick finished for this long (on any server), when the
# outbox has deliveries waiting this long past their attempt time, or the data folder
# has less free space than this.
CAMPUSGRID_HEALTH_TICK_AGE = int(os.environ.get("CAMPUSGRID_HEALTH_TICK_AGE", "300"))
CAMPUSGRID_HEALTH_OUTBOX_LAG = int(os.environ.get("CAMPUSGRID_HEALTH_OUTBOX_LAG", "900"))
CAMPUSGRID_HEALTH_MIN_FREE_BYTES = int(os.environ.get("CAMPUSGRID_HEALTH_MIN_FREE_MB", "1024")) * 1024 * 1024
CAMPUSGRID_SITE_URL = os.environ.get("CAMPUSGRID_SITE_URL", "http://127.0.0.1:8000")


# --- Campus sign-in -------------------------------------------------------------------------
# CAS single sign-on (统一身份认证) through django-cas-ng; active only when the server URL is set.
# django-cas-ng's own middleware is deliberately not used: it would replace the local login
# (which the administrator and accounts without CAS keep) and send /admin/ to CAS.
from campusgrid.accounts.config import cas_settings, wecom_settings  # noqa: E402

globals().update(cas_settings(os.environ))
if CAMPUSGRID_CAS_ENABLED:  # noqa: F821 - set by cas_settings
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "campusgrid.accounts.cas.Backend"]

# WeCom (企业微信): OAuth sign-in inside WeCom, QR login on desktop, personal application
# messages; active only when corp id, agent id and secret are all set.
globals().update(wecom_settings(os.environ))

# Content-Security-Policy (django-csp) on every response: no inline script, no inline
# style, nothing from another origin. Behaviour lives in static/campusgrid/*.js, data for
# scripts in `json_script` blocks (not executed), styles in static CSS. `data:` images are
# Bootstrap's SVG icons (select arrow, close button). The CAS server's origin joins
# form-action at request time (core/csp.py); more origins: CAMPUSGRID_CSP_FORM_ACTION.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}
CAMPUSGRID_CSP_FORM_ACTION = env_list("CAMPUSGRID_CSP_FORM_ACTION")
