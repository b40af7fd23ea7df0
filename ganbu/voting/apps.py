"""App configuration of the ballot engine."""

from django.apps import AppConfig


class VotingConfig(AppConfig):
    """Secret ballots 民主推荐 / 民主测评 / 票决, secret by construction (see ``models``)."""

    name = "ganbu.voting"
    label = "voting"
    verbose_name = "投票"
