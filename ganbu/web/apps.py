from django.apps import AppConfig


class WebConfig(AppConfig):
    """The server-rendered web UI (templates, vendored static assets)."""

    name = "ganbu.web"
    label = "web"
    verbose_name = "网页界面"
