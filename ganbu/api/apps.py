from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API under /api/v1/ (django-ninja) with token authentication."""

    name = "ganbu.api"
    label = "api"
    verbose_name = "接口"
