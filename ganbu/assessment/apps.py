"""Assessment (考核): annual, regular, special and term assessment rounds of a unit's cadres and
leadership teams, their grades onto the registry and their consequences (issue 14).
"""

from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    """The ``assessment`` app (考核)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "ganbu.assessment"
    verbose_name = "考核"
