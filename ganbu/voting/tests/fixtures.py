"""Fixtures for ballot tests: ballots built through the services, as a real officer would."""

from __future__ import annotations

import pytest

from ganbu.registry.tests.factories import CadreFactory, PostFactory
from ganbu.voting import services
from ganbu.voting.choices import BallotKind, Channel, ItemAction


@pytest.fixture
def cadre(tree):
    """A cadre of 县财政局, the subject of committee and evaluation items."""
    return CadreFactory(unit=tree.finance, name="李测评")


@pytest.fixture
def post(tree):
    """A deputy post of 县财政局."""
    return PostFactory(unit=tree.finance, title="副局长")


@pytest.fixture
def make_committee(officer, tree, make_user, cadre, post):
    """``make_committee(members=11, attended=8, items=1, channel=...)`` → (ballot, items, voters).

    Members are committee-member users; the first ``attended`` are marked present.
    """

    def _make(*, members=11, attended=8, items=1, channel=Channel.ELECTRONIC, recusals=None):
        ballot = services.ballot_create(
            actor=officer, kind=BallotKind.COMMITTEE, title="县委常委会票决", unit=tree.root, channel=channel
        )
        made_items = [
            services.ballot_item_add(
                actor=officer, ballot=ballot, cadre=cadre, post=post, action=ItemAction.APPOINTMENT
            )
            for _ in range(items)
        ]
        voters = []
        for n in range(members):
            user = make_user("committee_member", display_name=f"常委{n}")
            recused = [made_items[i] for i in (recusals or {}).get(n, [])]
            voters.append(
                services.committee_member_add(
                    actor=officer, ballot=ballot, user=user, attended=n < attended, recused_items=recused
                )
            )
        return ballot, made_items, voters

    return _make


@pytest.fixture
def make_evaluation(officer, tree, cadre):
    """``make_evaluation(**settings)`` → (ballot, item): a draft 民主测评 of one cadre."""

    def _make(**kwargs):
        ballot = services.ballot_create(
            actor=officer, kind=BallotKind.EVALUATION, title="年度民主测评", unit=tree.finance, **kwargs
        )
        item = services.ballot_item_add(actor=officer, ballot=ballot, cadre=cadre)
        return ballot, item

    return _make


@pytest.fixture
def counted(officer, make_committee):
    """A counted committee vote: 9 members, 8 present, 6 同意 1 不同意 1 缓议."""
    ballot, [item], voters = make_committee(members=9, attended=8)
    shares = services.ballot_open(actor=officer, ballot=ballot)
    for voter, choice in zip(voters[:8], ["agree"] * 6 + ["disagree", "defer"], strict=True):
        services.committee_cast(actor=voter.user, ballot=ballot, item=item, choice=choice)
    services.ballot_close(actor=officer, ballot=ballot)
    services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    return ballot
