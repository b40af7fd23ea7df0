"""The ways down and out of leadership (能上能下): early exit, reassignment, removal, demotion,
resignation and retirement, with the proceedings that block a resignation and the incompetence path."""

from django.apps import AppConfig


class ExitsConfig(AppConfig):
    """The ``exits`` app: each exit issues its document, ends or changes tenures and is audited."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "ganbu.exits"
    verbose_name = "能上能下"
