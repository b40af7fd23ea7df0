"""Production settings: PostgreSQL via DATABASE_URL, a strong secret key, DEBUG off, HTTPS when served so.

Environment switches (docs/deploy.md, "HTTPS 与反向代理" and "两步验证"):

* ``GANBU_SECRET_KEY`` (required): refused when it is the public development key, shorter than 50
  characters or of low entropy (``config.settings.keycheck``); the server does not start.
* ``GANBU_HTTPS=1``: the site is reached over HTTPS. Plain HTTP is redirected to HTTPS, browsers are
  told to use only HTTPS for a year (HSTS; ``GANBU_HSTS_SECONDS`` to change,
  ``GANBU_HSTS_INCLUDE_SUBDOMAINS=0`` when other sites under the host's name still use HTTP), and the
  session and CSRF cookies are sent over HTTPS only. ``manage.py check --deploy`` then reports no issues.
* ``GANBU_BEHIND_PROXY=1``: nginx (or another reverse proxy) terminates HTTPS in front of gunicorn; its
  ``X-Forwarded-Proto`` says whether the browser used HTTPS and its ``X-Forwarded-For`` gives the
  browser's address for the login lockout. Set it only when such a proxy is the only way in.
* ``GANBU_REQUIRE_2FA_ROLES``: the roles that must use two-step login (default: the staff roles);
  ``none`` for nobody.
* ``GANBU_API_DOCS_PUBLIC=1``: serve the API docs and schema without login (default: login needed).
"""

import os

from .base import *  # noqa: F403
from .keycheck import require_strong_secret_key

SECRET_KEY = require_strong_secret_key(os.environ.get("GANBU_SECRET_KEY", ""))
DEBUG = False

GANBU_HTTPS = os.environ.get("GANBU_HTTPS", "0") == "1"
SESSION_COOKIE_SECURE = GANBU_HTTPS
CSRF_COOKIE_SECURE = GANBU_HTTPS
SECURE_SSL_REDIRECT = GANBU_HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("GANBU_HSTS_SECONDS", str(365 * 24 * 3600))) if GANBU_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("GANBU_HSTS_INCLUDE_SUBDOMAINS", "1") == "1"
# The HSTS preload list is for public internet domains; an intranet name can never be on it, so the
# header does not ask for it and Django's reminder to (security.W021) is silenced.
SECURE_HSTS_PRELOAD = False
SILENCED_SYSTEM_CHECKS = ["security.W021"]
if GANBU_BEHIND_PROXY:  # noqa: F405  (from base)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

_roles = os.environ.get("GANBU_REQUIRE_2FA_ROLES")
# The staff roles, who read and change personnel records: 组织部干部科工作人员, 组织部领导, 单位人事干部,
# 监督部门, 审计员, 系统管理员.
STAFF_ROLES = ["org_officer", "org_leader", "unit_officer", "supervisor", "auditor", "admin"]
if _roles is None:
    GANBU_REQUIRE_2FA_ROLES = STAFF_ROLES
elif _roles.strip().lower() == "none":
    GANBU_REQUIRE_2FA_ROLES = []
else:
    GANBU_REQUIRE_2FA_ROLES = [r.strip() for r in _roles.split(",") if r.strip()]

GANBU_API_DOCS_LOGIN_REQUIRED = os.environ.get("GANBU_API_DOCS_PUBLIC", "0") != "1"

# The audit key must exist before the server starts (docs/deploy.md, "审计链"): a key created on the
# fly would not be the one an earlier chain was written with, nor kept apart from the database.
AUDIT_KEY_CREATE = False
