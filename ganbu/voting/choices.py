"""Coded values of the ballot engine and the life-cycle transition table."""

from django.db import models


class BallotKind(models.TextChoices):
    """What a ballot decides (domain.md glossary: recommendation, evaluation, committee_vote)."""

    RECOMMENDATION = "recommendation", "民主推荐"
    EVALUATION = "evaluation", "民主测评"
    COMMITTEE = "committee", "常委会票决"


class BallotStatus(models.TextChoices):
    """Life cycle of a ballot: draft → open → closed → tallied → published."""

    DRAFT = "draft", "草稿"
    OPEN = "open", "投票中"
    CLOSED = "closed", "已结束投票"
    TALLIED = "tallied", "已计票"
    PUBLISHED = "published", "已公布"


class Channel(models.TextChoices):
    """How sheets arrive: cast electronically, or counted from paper by two staff (计票 / 监票)."""

    ELECTRONIC = "electronic", "电子投票"
    PAPER = "paper", "纸质投票"


class ItemAction(models.TextChoices):
    """What a committee agenda item proposes for the cadre (domain.md: appointment / removal)."""

    APPOINTMENT = "appointment", "任职"
    REMOVAL = "removal", "免职"


# Why a table: every service checks a move against it, so no code path can reopen a closed
# ballot or publish one that was never counted.
TRANSITIONS: dict[str, frozenset[str]] = {
    BallotStatus.DRAFT: frozenset({BallotStatus.OPEN}),
    BallotStatus.OPEN: frozenset({BallotStatus.CLOSED}),
    BallotStatus.CLOSED: frozenset({BallotStatus.TALLIED}),
    BallotStatus.TALLIED: frozenset({BallotStatus.PUBLISHED}),
    BallotStatus.PUBLISHED: frozenset(),
}

# The voter category written on committee sheets: members vote from their accounts, not by category.
COMMITTEE_CATEGORY = "常委会成员"
