"""Petitions and reports (信访举报): letters, calls and visits from the public desk with tracking codes,
intake, assignment, verification and conclusion (issue 14).
"""

from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    """The ``petitions`` app (信访举报)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "ganbu.petitions"
    verbose_name = "信访举报"
