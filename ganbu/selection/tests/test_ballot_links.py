"""A ballot is linked to a 纪实 only when it was held for that record (issue 10, item 1).

A 会议推荐 must be for the record's posts (or, naming no post, held by the record's unit); a
考察民主测评 must evaluate the record's 考察对象; and one ballot belongs to one record. A refusal
names the ballot's unit and posts (or people) and the record's, and writes nothing.
"""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.registry.tests.factories import PostFactory
from ganbu.selection import selectors, services
from ganbu.selection.models import SelectionRecord
from ganbu.selection.tests.fixtures import counted_ballot, drive, eligible_cadre
from ganbu.voting import services as voting
from ganbu.voting.choices import BallotKind

D = dt.date


def messages(exc: pytest.ExceptionInfo[ServiceError]) -> str:
    """All messages of a service error, joined."""
    return " ".join(exc.value.messages)


def recommendation(officer, unit, post=None, title="会议推荐"):
    """A draft 会议推荐 of ``unit`` with one item (for ``post`` when given)."""
    ballot = voting.ballot_create(actor=officer, kind=BallotKind.RECOMMENDATION, title=title, unit=unit)
    voting.ballot_item_add(actor=officer, ballot=ballot, post=post, reference=["甲", "乙", "丙"], posts=1)
    return ballot


def evaluation(officer, unit, cadres, title="民主测评"):
    """A draft 民主测评 of ``unit`` of ``cadres``."""
    ballot = voting.ballot_create(actor=officer, kind=BallotKind.EVALUATION, title=title, unit=unit)
    for cadre in cadres:
        voting.ballot_item_add(actor=officer, ballot=ballot, cadre=cadre)
    return ballot


def propose(scene, title="县财政局副局长选拔"):
    """A new record of the scene at 动议 (a second one may be proposed for the same post)."""
    return services.selection_propose(
        actor=scene.officer,
        unit=scene.unit,
        title=title,
        reason="副局长职位空缺",
        proposer="县委组织部",
        proposed_on=D(2024, 8, 1),
        posts=[scene.post],
    )


def test_another_units_recommendation_is_refused_naming_both_and_nothing_is_written(scene, tree):
    forestry_post = PostFactory(unit=tree.forestry, title="副局长")
    record = propose(scene)
    foreign = recommendation(scene.officer, tree.forestry, forestry_post, title="县林业局副局长会议推荐")
    before = AuditEvent.objects.count()
    with pytest.raises(ServiceError) as err:
        services.recommendation_ballot_link(actor=scene.officer, record=record, ballot=foreign)
    text = messages(err)
    assert "县林业局副局长会议推荐" in text and "县林业局副局长" in text  # the ballot and its post
    assert "县财政局副局长" in text  # the record's post
    assert err.value.message_dict.keys() == {"ballot"}
    record.refresh_from_db()
    assert record.recommendation_ballot_id is None
    assert AuditEvent.objects.count() == before


def test_another_units_recommendation_naming_no_post_is_refused(scene, tree):
    record = propose(scene)
    foreign = recommendation(scene.officer, tree.forestry, title="县林业局干部推荐")
    with pytest.raises(ServiceError) as err:
        services.recommendation_ballot_link(actor=scene.officer, record=record, ballot=foreign)
    text = messages(err)
    assert "县林业局干部推荐" in text and "县林业局" in text and "未指明职位" in text
    assert "县财政局" in text


def test_a_recommendation_mixing_another_units_post_is_refused(scene, tree):
    record = propose(scene)
    mixed = recommendation(scene.officer, scene.unit, scene.post, title="联合推荐")
    voting.ballot_item_add(
        actor=scene.officer,
        ballot=mixed,
        post=PostFactory(unit=tree.forestry, title="副局长"),
        reference=["甲", "乙", "丙"],
    )
    with pytest.raises(ServiceError, match="县林业局副局长"):
        services.recommendation_ballot_link(actor=scene.officer, record=record, ballot=mixed)


def test_the_records_own_post_or_its_units_ballot_is_linked(scene):
    record = propose(scene)
    by_post = recommendation(scene.officer, scene.unit, scene.post)
    services.recommendation_ballot_link(actor=scene.officer, record=record, ballot=by_post)
    record.refresh_from_db()
    assert record.recommendation_ballot_id == by_post.pk
    by_unit = recommendation(scene.officer, scene.unit)  # the unit's own meeting, no post named
    services.recommendation_ballot_link(actor=scene.officer, record=record, ballot=by_unit)
    record.refresh_from_db()
    assert record.recommendation_ballot_id == by_unit.pk


def test_a_ballot_without_items_is_refused(scene):
    record = propose(scene)
    empty = voting.ballot_create(
        actor=scene.officer, kind=BallotKind.RECOMMENDATION, title="空推荐", unit=scene.unit
    )
    with pytest.raises(ServiceError, match="没有推荐事项"):
        services.recommendation_ballot_link(actor=scene.officer, record=record, ballot=empty)


def test_a_ballot_linked_to_another_record_is_refused_unless_that_record_was_withdrawn(scene):
    first = propose(scene, "第一次选拔")
    ballot = recommendation(scene.officer, scene.unit, scene.post)
    services.recommendation_ballot_link(actor=scene.officer, record=first, ballot=ballot)
    second = propose(scene, "第二次选拔")
    with pytest.raises(ServiceError) as err:
        services.recommendation_ballot_link(actor=scene.officer, record=second, ballot=ballot)
    assert "已关联纪实「第一次选拔」" in messages(err)
    second.refresh_from_db()
    assert second.recommendation_ballot_id is None
    # Linking it again to its own record is no conflict.
    services.recommendation_ballot_link(actor=scene.officer, record=first, ballot=ballot)
    # A withdrawn record's ballot may serve the record that replaces it (the result is valid a year).
    services.selection_withdraw(actor=scene.officer, record=first, reason="重新动议", on=D(2024, 8, 2))
    services.recommendation_ballot_link(actor=scene.officer, record=second, ballot=ballot)
    second.refresh_from_db()
    assert second.recommendation_ballot_id == ballot.pk


def test_an_evaluation_of_people_who_are_not_the_candidates_is_refused(scene, tree):
    record = drive(scene, "candidates")
    outsider = eligible_cadre(tree.forestry, "周外单位")
    foreign = evaluation(scene.officer, tree.forestry, [outsider], title="县林业局民主测评")
    before = AuditEvent.objects.count()
    with pytest.raises(ServiceError) as err:
        services.inspection_ballot_link(actor=scene.officer, record=record, ballot=foreign)
    text = messages(err)
    assert "县林业局民主测评" in text and "周外单位" in text  # the ballot and whom it evaluates
    assert "赵甲" in text and "孙乙" in text  # the record's 考察对象
    record.refresh_from_db()
    assert record.inspection_ballot_id is None
    assert AuditEvent.objects.count() == before
    mixed = evaluation(scene.officer, scene.unit, [scene.people[0], outsider])
    with pytest.raises(ServiceError, match="周外单位"):
        services.inspection_ballot_link(actor=scene.officer, record=record, ballot=mixed)
    own = evaluation(scene.officer, scene.unit, scene.people[:2])
    services.inspection_ballot_link(actor=scene.officer, record=record, ballot=own)
    record.refresh_from_db()
    assert record.inspection_ballot_id == own.pk


def test_the_pickers_offer_only_the_ballots_the_record_may_take(scene, tree):
    forestry_post = PostFactory(unit=tree.forestry, title="副局长")
    record = propose(scene)
    own = recommendation(scene.officer, scene.unit, scene.post, title="本单位推荐")
    unit_wide = recommendation(scene.officer, scene.unit, title="本单位推荐（未指明职位）")
    foreign = recommendation(scene.officer, tree.forestry, forestry_post, title="外单位推荐")
    other_record = propose(scene, "另一纪实")
    taken = recommendation(scene.officer, scene.unit, scene.post, title="已被关联的推荐")
    services.recommendation_ballot_link(actor=scene.officer, record=other_record, ballot=taken)
    offered = set(
        selectors.linkable_ballots(user=scene.officer, record=record, kind=BallotKind.RECOMMENDATION)
    )
    assert offered == {own, unit_wide}
    assert foreign not in offered and taken not in offered


def test_the_evaluation_picker_offers_only_evaluations_of_the_candidates(scene, tree):
    record = drive(scene, "candidates")
    own = evaluation(scene.officer, scene.unit, scene.people[:2], title="考察民主测评")
    outsider = eligible_cadre(tree.forestry, "周外单位")
    foreign = evaluation(scene.officer, tree.forestry, [outsider])
    offered = set(selectors.linkable_ballots(user=scene.officer, record=record, kind=BallotKind.EVALUATION))
    assert own in offered and foreign not in offered


def test_a_record_s_counts_come_only_from_its_own_ballot(scene, tree):
    """The 纪实 shows only votes for its posts: what a linked foreign ballot did (the reported defect)."""
    forestry_post = PostFactory(unit=tree.forestry, title="副局长")
    record = propose(scene)
    a, b, c = (p.name for p in scene.people)
    foreign = counted_ballot(
        scene.officer,
        tree.forestry,
        BallotKind.RECOMMENDATION,
        [{"post": forestry_post, "reference": [a, b, c]}],
        [{0: {"choices": [a]}}] * 3,
    )
    with pytest.raises(ServiceError):
        services.recommendation_ballot_link(actor=scene.officer, record=record, ballot=foreign)
    assert SelectionRecord.objects.get(pk=record.pk).recommendation_ballot_id is None
