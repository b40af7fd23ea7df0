"""Test settings: fast hashing, no lockout, local-memory cache; the database comes from DATABASE_URL."""

from .base import *  # noqa: F403
from .base import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_ENABLED = False
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
    DATABASES["default"]["OPTIONS"] = {}
DATABASES["default"]["CONN_MAX_AGE"] = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Whatever the environment says: tests log in with a password unless a test asks for two steps,
# read the API schema without logging in unless a test asks otherwise, and trust no proxy header.
GANBU_REQUIRE_2FA_ROLES = []
GANBU_API_DOCS_LOGIN_REQUIRED = False
GANBU_BEHIND_PROXY = False
# No default audit checkpoint file: tests name theirs, and must not read a developer's var/ file.
AUDIT_CHECKPOINT_FILE = None
