"""Choices of the petitions app: how a petition came in, who took it, where it stands, how it ended."""

from __future__ import annotations

from django.db import models


class Channel(models.TextChoices):
    """How the petition reached the department: by letter, call, visit, or the public web form."""

    LETTER = "letter", "来信"
    CALL = "call", "来电"
    VISIT = "visit", "来访"
    ONLINE = "online", "网上"


class IntakeBody(models.TextChoices):
    """The body that took the petition in: it decides which staff see it (``selectors.petitions_for``)."""

    ORGANIZATION = "organization", "县委组织部"
    DISCIPLINE = "discipline", "县纪委监委"


class PetitionStatus(models.TextChoices):
    """received → assigned → verifying → concluded (``services`` moves it, never backwards)."""

    RECEIVED = "received", "已受理"
    ASSIGNED = "assigned", "已交办"
    VERIFYING = "verifying", "核查中"
    CONCLUDED = "concluded", "已办结"


class Conclusion(models.TextChoices):
    """How a verified petition ended: 不实 (unfounded), a 提醒谈话, a 诫勉, or a referral elsewhere."""

    UNFOUNDED = "unfounded", "反映不实"
    REMINDER_TALK = "reminder_talk", "谈话提醒"
    ADMONISHMENT = "admonishment", "诫勉"
    REFERRAL = "referral", "移送处理"


OPEN_STATUSES = (PetitionStatus.RECEIVED, PetitionStatus.ASSIGNED, PetitionStatus.VERIFYING)
