"""Django app configuration for the interoperability app."""

from django.apps import AppConfig


class InteropConfig(AppConfig):
    """任免审批表 files and Excel rosters in and out."""

    name = "ganbu.interop"
    label = "interop"
    verbose_name = "数据交换"
    default_auto_field = "django.db.models.BigAutoField"
