"""System checks of the cross-cutting pieces: the audit key (``manage.py check --deploy``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

from .audit import audit_key


@register(Tags.security, deploy=True)
def check_audit_key(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Production keeps the audit key in a file it does not create itself: name a missing one."""
    if getattr(settings, "AUDIT_KEY_CREATE", False):
        return []
    try:
        audit_key()
    except ImproperlyConfigured as exc:
        return [
            Error(
                str(exc),
                hint="设置 GANBU_AUDIT_KEY_FILE 指向审计密钥文件；新建用 ganbu audit key --create 文件路径。",
                id="ganbu.E001",
            )
        ]
    return []
