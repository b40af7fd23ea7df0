from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def anchor_after_migrate(sender: Any, using: str = "default", verbosity: int = 1, **kwargs: Any) -> None:
    """Anchor a chain written before the audit key as soon as the upgrade is migrated.

    Without the key (a production server not yet given one) nothing is written: the next event
    anchors it, and ``check --deploy`` names the missing key.
    """
    from django.core.exceptions import ImproperlyConfigured
    from django.db import DatabaseError

    from .audit import audit_anchor

    if using != "default":
        return
    try:
        wrote = audit_anchor()
    except ImproperlyConfigured as exc:
        if verbosity:
            print(f"审计链未锚定：{exc}")
        return
    except DatabaseError:  # migrated back below core.0002: the chain is not this code's to anchor
        return
    if wrote and verbosity:
        print("审计链已启用密钥签名：已写入锚定事件「审计链启用密钥签名」。")


class CoreConfig(AppConfig):
    """Cross-cutting pieces: the audit trail, data scope, request ids."""

    name = "ganbu.core"
    label = "core"
    verbose_name = "系统"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)

        post_migrate.connect(anchor_after_migrate, sender=self)
