from django.apps import AppConfig


class RegistryConfig(AppConfig):
    """The cadre registry: units, posts, quotas, cadres, tenures and their documents."""

    name = "ganbu.registry"
    label = "registry"
    verbose_name = "干部信息"
