"""Training (教育培训): programs, classes, enrollment, attendance (the 1/7 cap), results, certificates."""

from django.apps import AppConfig


class TrainingConfig(AppConfig):
    """The ``training`` app (教育培训)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "ganbu.training"
    verbose_name = "教育培训"
