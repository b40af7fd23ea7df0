"""The supervising bodies' joint meeting (联席会议), January and July by county policy: members, agenda
from open cases, findings per cadre, minutes and follow-up items (issue 14).
"""

from django.apps import AppConfig


class JointMeetingsConfig(AppConfig):
    """The ``joint_meetings`` app (联席会议)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "ganbu.joint_meetings"
    verbose_name = "联席会议"
