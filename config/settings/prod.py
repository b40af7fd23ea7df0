"""Production settings: PostgreSQL via DATABASE_URL, a real secret key, DEBUG off."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

if not os.environ.get("GANBU_SECRET_KEY"):
    raise ImproperlyConfigured("生产环境必须设置 GANBU_SECRET_KEY 环境变量。")
DEBUG = False
SESSION_COOKIE_SECURE = os.environ.get("GANBU_HTTPS", "0") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
