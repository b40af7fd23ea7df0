from django.apps import AppConfig


class RegistryConfig(AppConfig):
    """The cadre registry: units, posts, quotas, cadres, tenures and their documents."""

    name = "ganbu.registry"
    label = "registry"
    verbose_name = "干部信息"

    def ready(self) -> None:
        """After ``migrate``, make sure the triggers keeping the structure summary are in place."""
        from django.db.models.signals import post_migrate

        post_migrate.connect(_ensure_structure, sender=self, dispatch_uid="registry_structure_ensure")


def _ensure_structure(using: str = "default", **_: object) -> None:
    from django.db import connections

    from . import structure

    structure.ensure(connections[using])
