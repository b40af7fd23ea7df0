"""Exchanges (交流) and rotation plans (交流轮岗方案): records of each exchange, a plan of several moves
checked against the limits of ROT-09/11/12 and carried out as appointment documents (issue 15).
"""

from django.apps import AppConfig


class ExchangesConfig(AppConfig):
    """The ``exchanges`` app (干部交流)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "ganbu.exchanges"
    verbose_name = "干部交流"
