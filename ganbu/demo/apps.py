from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The deterministic demo county 示例县 and its loader."""

    name = "ganbu.demo"
    label = "demo"
    verbose_name = "示例数据"
