"""Settings shared by every deployment; values come from the environment.

Environment:
  DEBUG                 "1" for development (default off: secure defaults apply)
  SECRET_KEY            Django's secret; when unset, one is generated once into the data folder
  DATABASE_URL          e.g. postgres://user@127.0.0.1:5432/campusgrid; default SQLite in the data folder
  CAMPUSGRID_DATA_DIR   where the SQLite file, uploads and generated keys live (default ./data)
  ALLOWED_HOSTS         comma separated (default 127.0.0.1,localhost)
  CAMPUSGRID_FIELD_KEYS comma separated Fernet keys for encrypted fields; the first encrypts
  CAMPUSGRID_TICK_SECONDS interval of the served app's scheduler (default 60, 0 disables)
"""

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
    "campusgrid.core",
    "campusgrid.org",
    "campusgrid.people",
    "campusgrid.grid",
    "campusgrid.notifications",
    "campusgrid.reports",
    "campusgrid.dossiers",
    "campusgrid.ledgers",
    "campusgrid.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = ["campusgrid.core.auth.Backend"]

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
# No LOCALE_PATHS: the interface is Chinese literals, there are no translation catalogues.

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
# Serve from the finders without collectstatic (one process, one command to run).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Uploaded files (report photos, imports) live outside the web root and are
# only served through views that check who may see them.
MEDIA_ROOT = DATA_DIR / "uploads"
MEDIA_URL = "/media-is-not-served/"

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("CAMPUSGRID_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "campusgrid.core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "campusgrid.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CampusGrid API",
    "DESCRIPTION": "学生网格化管理系统 REST API。所有列表与详情都按调用者的网格职务限定范围。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
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
    "loggers": {"campusgrid": {"level": os.environ.get("CAMPUSGRID_LOG_LEVEL", "INFO")}},
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
CAMPUSGRID_SITE_URL = os.environ.get("CAMPUSGRID_SITE_URL", "http://127.0.0.1:8000")
