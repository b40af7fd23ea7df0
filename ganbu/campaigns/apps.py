"""Competitive selection campaigns (公开选拔, 竞争上岗, joint selection)."""

from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    """The ``campaigns`` app: announcement, applications, review, exams, interviews, ranking, outcomes."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "ganbu.campaigns"
    verbose_name = "竞争性选拔"
