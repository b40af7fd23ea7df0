"""County policy values (本县政策参数), versioned by effective date."""

from django.apps import AppConfig


class PolicyConfig(AppConfig):
    """The ``policy`` app: effective-dated county policy values with their defaults and citations."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "ganbu.policy"
    verbose_name = "本县政策参数"
