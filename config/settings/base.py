"""Settings shared by every environment.

Everything that differs between a demo laptop and a production intranet server comes from
environment variables (see README, "在 PostgreSQL 上部署"): ``DATABASE_URL``, ``GANBU_SECRET_KEY``,
``GANBU_ALLOWED_HOSTS``, ``GANBU_DEBUG``, ``GANBU_DATA_DIR``.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from .keycheck import DEV_SECRET_KEY

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(os.environ.get("GANBU_DATA_DIR", BASE_DIR / "var"))
# The embedded database, uploaded photos and collected static files live here; a fresh checkout
# or a new GANBU_DATA_DIR must work without a manual mkdir.
DATA_DIR.mkdir(parents=True, exist_ok=True)

# The development key is public (it is in this file): production refuses it (config.settings.keycheck).
SECRET_KEY = os.environ.get("GANBU_SECRET_KEY", DEV_SECRET_KEY)
DEBUG = os.environ.get("GANBU_DEBUG", "0") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("GANBU_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ninja",
    "ganbu.core",
    "ganbu.accounts",
    "ganbu.registry",
    "ganbu.voting",
    "ganbu.policy",
    "ganbu.exits",
    "ganbu.assessment",
    "ganbu.talks",
    "ganbu.training",
    "ganbu.exchanges",
    "ganbu.petitions",
    "ganbu.joint_meetings",
    "ganbu.economic_audits",
    "ganbu.selection",
    "ganbu.campaigns",
    "ganbu.doctemplates",
    "ganbu.todo",
    "ganbu.interop",
    "ganbu.jobs",
    "ganbu.api",
    "ganbu.web",
    "ganbu.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ganbu.core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ganbu.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the user and messages are known (its refusal is a full Chinese page), before any view.
    "ganbu.core.input_guard.InputGuardMiddleware",
    # A session with a password but without its second factor reaches only the code and enrolment pages.
    "ganbu.core.second_factor.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ganbu.web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'ganbu.sqlite3'}",
        conn_max_age=int(os.environ.get("GANBU_CONN_MAX_AGE", "60")),
    )
}
# WAL lets readers proceed while a service transaction writes; IMMEDIATE avoids
# "database is locked" upgrades in the middle of a durable service transaction.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = dict(SQLITE_OPTIONS)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:login"

# django-axes, keyed by account and by address (docs/deploy.md, "登录锁定"): within 30 minutes,
# 5 wrong passwords for one username from one address lock that pair; 20 for one username from any
# addresses lock the username (guessing spread over many machines); 30 from one address for any
# usernames lock the address (trying many accounts). One machine alone thus cannot lock anyone else
# out (it stops at 5 per username), and an account gets at most 20 guesses per half hour in all.
# ``ganbu.accounts.lockout.TieredLockoutHandler`` applies the three limits; AXES_FAILURE_LIMIT is
# the first of them, which axes itself and the admin pages compare with.
AXES_HANDLER = "ganbu.accounts.lockout.TieredLockoutHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], ["username"], ["ip_address"]]
GANBU_LOCKOUT_LIMITS = {
    "username_ip": int(os.environ.get("GANBU_LOCKOUT_PER_ADDRESS", "5")),
    "username": int(os.environ.get("GANBU_LOCKOUT_PER_USERNAME", "20")),
    "ip_address": int(os.environ.get("GANBU_LOCKOUT_PER_IP", "30")),
}
AXES_FAILURE_LIMIT = GANBU_LOCKOUT_LIMITS["username_ip"]
AXES_COOLOFF_TIME = 0.5
# Behind a reverse proxy every request comes from the proxy's address: the client's is taken from
# the X-Forwarded-For entry the proxy appended (ganbu.accounts.lockout.client_ip).
AXES_CLIENT_IP_CALLABLE = "ganbu.accounts.lockout.client_ip"
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns at start-up when it is missing
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve vendored assets straight from the apps when collectstatic has not run (make run, tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Two-step login (TOTP, django-otp; docs/deploy.md, "两步验证"). Users of these roles must enrol an
# authenticator app at their first login; anyone else may. Empty here and in tests, so the demo and
# the tests log in with a password; production defaults to the staff roles (config.settings.prod).
GANBU_REQUIRE_2FA_ROLES = [r for r in os.environ.get("GANBU_REQUIRE_2FA_ROLES", "").split(",") if r.strip()]
OTP_TOTP_ISSUER = os.environ.get("GANBU_OTP_ISSUER", "干部工作管理系统")
# Each wrong code doubles the wait before the next try (1 s, 2 s, 4 s …): six digits cannot be guessed.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# The interactive API docs and the OpenAPI schema: open to anyone here (dev, tests), behind login in
# production (config.settings.prod) unless GANBU_API_DOCS_PUBLIC=1.
GANBU_API_DOCS_LOGIN_REQUIRED = os.environ.get("GANBU_API_DOCS_PUBLIC", "1") != "1"
# Behind nginx (or another reverse proxy) that terminates HTTPS: trust its X-Forwarded-Proto and
# X-Forwarded-For (docs/deploy.md, "HTTPS 与反向代理"). Never set without such a proxy in front.
GANBU_BEHIND_PROXY = os.environ.get("GANBU_BEHIND_PROXY", "0") == "1"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content Security Policy (ganbu.core.csp, on every response): scripts only from our own static
# files, never inline or evaluated, so an HTML injection that slipped past autoescaping cannot run
# code. <style> elements are refused too (all CSS is in static files). style="" attributes are
# allowed: a few widths are data (bars, progress, tree indentation), and an attribute can neither
# run script, read the page nor load from elsewhere (img-src and font-src stay 'self'). data:
# images are Bootstrap's built-in SVG icons. Same name and shape as Django 6.0's setting.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GANBU_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

NINJA_PAGINATION_PER_PAGE = 50
GANBU_PAGE_SIZE = 50
# A background job (an Excel import) whose worker has not beaten its heartbeat for this many minutes
# was interrupted: it is shown as failed with a retry (docs/decisions/0012-background-jobs.md).
GANBU_JOB_STALE_MINUTES = float(os.environ.get("GANBU_JOB_STALE_MINUTES", "3"))

# E-mail for ``ganbu remind`` (docs/deploy.md, "邮件提醒"). No host, no e-mail: reminders stay in-app.
EMAIL_HOST = os.environ.get("GANBU_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("GANBU_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("GANBU_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("GANBU_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("GANBU_EMAIL_TLS", "0") == "1"
EMAIL_USE_SSL = os.environ.get("GANBU_EMAIL_SSL", "0") == "1"
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("GANBU_EMAIL_FROM", "ganbu@localhost")
# The address users reach the system at, for links in e-mails (e.g. http://ganbu.intranet).
GANBU_SITE_URL = os.environ.get("GANBU_SITE_URL", "")
# The address voters' phones reach the system at, printed in the QR codes of voting slips (e.g.
# http://192.168.1.20:8000 when the server listens on 0.0.0.0). Empty: GANBU_SITE_URL, else the
# address the officer's own browser used, which is useless to a phone when that was 127.0.0.1.
GANBU_PUBLIC_URL = os.environ.get("GANBU_PUBLIC_URL", "").strip().rstrip("/") or GANBU_SITE_URL.rstrip("/")

# LibreOffice for .docx → PDF of the procedure's documents (optional, docs/doctemplates.md): a path or a
# command name; empty means `soffice` on PATH. Without it PDFs are drawn in the built-in layout.
GANBU_SOFFICE = os.environ.get("GANBU_SOFFICE", "")

# The audit chain's HMAC key, outside the database (docs/decisions/0003-audit-chain.md): someone who
# can write the database but not read this file cannot recompute the chain after an edit. Created
# on first use for development; production (AUDIT_KEY_CREATE off) needs an existing file.
AUDIT_KEY_FILE = Path(os.environ.get("GANBU_AUDIT_KEY_FILE", DATA_DIR / "audit.key"))
AUDIT_KEY_CREATE = True
# Signed checkpoints of the chain's head (`ganbu audit checkpoint`), append-only, outside the
# database; `ganbu audit verify` and the audit page check the chain against them.
AUDIT_CHECKPOINT_FILE: Path | None = Path(
    os.environ.get("GANBU_AUDIT_CHECKPOINT_FILE", DATA_DIR / "audit-checkpoints.txt")
)
