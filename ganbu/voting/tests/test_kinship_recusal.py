"""Opening a committee vote recuses members from items about themselves or a recorded relative (DEC-06)."""

from __future__ import annotations

import pytest

from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.registry.models import FamilyMember
from ganbu.registry.tests.factories import CadreFactory, PostFactory
from ganbu.voting import services
from ganbu.voting.choices import BallotKind, ItemAction
from ganbu.voting.models import BallotResult, Recusal


@pytest.fixture
def vote(officer, tree, make_user):
    """A draft committee vote of two appointments; five members, each linked to their own cadre file."""
    candidate = CadreFactory(unit=tree.finance, name="赵拟任")
    other = CadreFactory(unit=tree.town, name="钱拟任")
    post = PostFactory(unit=tree.finance, title="副局长")
    ballot = services.ballot_create(actor=officer, kind=BallotKind.COMMITTEE, title="常委会", unit=tree.root)
    items = [
        services.ballot_item_add(
            actor=officer, ballot=ballot, cadre=c, post=post, action=ItemAction.APPOINTMENT
        )
        for c in (candidate, other)
    ]
    members = []
    for n in range(5):
        own = CadreFactory(unit=tree.root, name=f"常委{n}")
        user = make_user("committee_member", display_name=f"常委{n}", cadre=own)
        members.append(services.committee_member_add(actor=officer, ballot=ballot, user=user, attended=True))
    return ballot, items, members, candidate


def _relate(cadre, relative, relation):
    """Record ``relative`` (a cadre) as ``relation`` of ``cadre`` in the family table."""
    FamilyMember.objects.create(cadre=cadre, relation=relation, name=relative.name, related_cadre=relative)


def test_relation_on_the_members_record_recuses_from_that_item_only(officer, vote):
    ballot, items, members, candidate = vote
    _relate(members[0].user.cadre, candidate, "表弟")
    services.ballot_open(actor=officer, ballot=ballot)
    recusal = Recusal.objects.get()
    assert (recusal.voter, recusal.item, recusal.automatic) == (members[0], items[0], True)
    assert "表弟" in recusal.reason and "三代以内旁系血亲" in recusal.reason
    with pytest.raises(ServiceError, match="回避"):
        services.committee_cast(actor=members[0].user, ballot=ballot, item=items[0], choice="agree")
    services.committee_cast(actor=members[0].user, ballot=ballot, item=items[1], choice="agree")
    opened = AuditEvent.objects.get(event_type="voting.ballot_opened")
    assert opened.after["recusals_found"] == 1


def test_relation_recorded_only_on_the_candidates_record_still_recuses(officer, vote):
    ballot, _items, members, candidate = vote
    _relate(candidate, members[2].user.cadre, "岳父")
    services.ballot_open(actor=officer, ballot=ballot)
    recusal = Recusal.objects.get()
    assert recusal.voter == members[2] and "近姻亲" in recusal.reason


def test_a_member_is_recused_from_their_own_item(officer, make_user, vote):
    ballot, items, _members, candidate = vote
    voter = services.committee_member_add(
        actor=officer, ballot=ballot, user=make_user("committee_member", cadre=candidate), attended=True
    )
    services.ballot_open(actor=officer, ballot=ballot)
    assert Recusal.objects.get(voter=voter).item == items[0]
    assert "本人" in Recusal.objects.get(voter=voter).reason


def test_classmates_are_not_recused_and_unlinked_members_are_not_checked(officer, make_user, vote):
    ballot, _items, members, candidate = vote
    _relate(members[1].user.cadre, candidate, "同学")
    services.committee_member_add(
        actor=officer, ballot=ballot, user=make_user("committee_member"), attended=True
    )
    services.ballot_open(actor=officer, ballot=ballot)
    assert not Recusal.objects.exists()


def test_automatic_recusal_lowers_those_who_should_attend(officer, vote):
    """5 members, 1 recused: 4 should attend; 3 同意 passes (> 2), whatever else."""
    ballot, items, members, candidate = vote
    _relate(members[4].user.cadre, candidate, "配偶")
    shares = services.ballot_open(actor=officer, ballot=ballot)
    for member in members[:3]:
        services.committee_cast(actor=member.user, ballot=ballot, item=items[0], choice="agree")
    services.ballot_close(actor=officer, ballot=ballot)
    services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    data = BallotResult.objects.get(item=items[0]).data
    assert (data["members"], data["recused"], data["agree"], data["passed"]) == (4, 1, 3, True)
