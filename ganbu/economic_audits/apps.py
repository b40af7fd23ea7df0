"""Economic-responsibility audits (经济责任审计) of unit heads: subjects, triggers before a move, commission
with notice, findings and follow-up (issue 14).
"""

from django.apps import AppConfig


class EconomicAuditsConfig(AppConfig):
    """The ``economic_audits`` app (经济责任审计)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "ganbu.economic_audits"
    verbose_name = "经济责任审计"
