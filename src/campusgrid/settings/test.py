"""Settings for the test suite: fast hashing, isolated data folder."""

import os
import tempfile

os.environ.setdefault("CAMPUSGRID_DATA_DIR", tempfile.mkdtemp(prefix="campusgrid-test-"))

from .base import *  # noqa: E402,F403
from .base import DATA_DIR  # noqa: E402

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = DATA_DIR / "uploads"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ALLOWED_HOSTS = ["*"]
CAMPUSGRID_TICK_SECONDS = 0
CAMPUSGRID_BACKUP_TIME = ""  # tests that back up say so
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "CRITICAL"}}
# No cache between requests in tests: a page costs the same queries whether or not an earlier
# test warmed it (grid.coverage.compute_cached); the tests of the cache itself turn it on.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
CAMPUSGRID_CHECK_KEPT_INPUTS = True  # kept figures must be keyed on every table they read
