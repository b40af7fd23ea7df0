"""Supervision talks (谈话): 廉政谈话 before taking office, 提醒谈话, 函询, 诫勉 with its impact
period, the 纪委书记's talks with unit heads (issue 14).
"""

from django.apps import AppConfig


class TalksConfig(AppConfig):
    """The ``talks`` app (谈话)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "ganbu.talks"
    verbose_name = "谈话"
