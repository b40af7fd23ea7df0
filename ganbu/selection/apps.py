"""The appointment procedure (选拔任用纪实): from proposal to confirmed appointment."""

from django.apps import AppConfig


class SelectionConfig(AppConfig):
    """The ``selection`` app: one selection record per vacancy or batch, every step linked and checked."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "ganbu.selection"
    verbose_name = "选拔任用纪实"
