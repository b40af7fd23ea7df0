from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Cross-cutting pieces: the audit trail, data scope, request ids."""

    name = "ganbu.core"
    label = "core"
    verbose_name = "系统"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
