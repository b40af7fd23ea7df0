"""Choices of the talks app: the kind of a talk, who talked, and where a talk stands."""

from __future__ import annotations

from django.db import models


class TalkKind(models.TextChoices):
    """The five supervision talks of seed 一(五) and DISC-10 (《公务员法》第五十七条's graduated measures).

    廉政谈话 is held with a newly appointed cadre before taking office (it may be linked to the
    selection's 纪实); 函询 is a letter the cadre answers in writing; 诫勉 carries an impact period
    (DISC-08) and is recorded in the registry as a sanction row of kind 诫勉.
    """

    INTEGRITY = "integrity_talk", "廉政谈话"
    REMINDER = "reminder_talk", "提醒谈话"
    INQUIRY = "inquiry_letter", "函询"
    ADMONISHMENT = "admonishment", "诫勉"
    SECRETARY = "secretary_talk", "纪委书记谈话"


class TalkerBody(models.TextChoices):
    """The body the talkers come from."""

    DISCIPLINE = "discipline", "县纪委监委"
    ORGANIZATION = "organization", "县委组织部"
    JOINT = "joint", "县纪委监委、县委组织部"
    UNIT_PARTY = "unit_party", "单位党组织"


class TalkStatus(models.TextChoices):
    """Where a talk stands: planned → held; a 函询 is sent → answered; a 诫勉 is decided."""

    PLANNED = "planned", "待谈话"
    HELD = "held", "已谈话"
    AWAITING_ANSWER = "awaiting_answer", "待回复"
    ANSWERED = "answered", "已回复"
    DECIDED = "decided", "已诫勉"
