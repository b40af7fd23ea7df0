"""Talks selectors: who sees talks, the filters, and the three to-do groups with fixed query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from ganbu.core.errors import ServiceError
from ganbu.registry.tests.factories import CadreFactory
from ganbu.selection.tests.fixtures import drive
from ganbu.talks import selectors, services
from ganbu.talks.choices import TalkKind, TalkStatus

D = dt.date


def _talk(actor, cadre, **kw):
    values = {"kind": TalkKind.REMINDER, "held_on": D(2025, 3, 4), "talkers": "王某", "issue": "提醒"}
    values.update(kw)
    return services.talk_record(actor=actor, cadre=cadre, **values)


def test_who_sees_talks(officer, supervisor, unit_officer, make_user, tree, cadre):
    talk = _talk(supervisor, cadre)
    leader = make_user("org_leader")
    forestry_officer = make_user("org_officer", scope_unit=tree.forestry)
    for user in (officer, supervisor, leader):
        assert list(selectors.talk_list(user=user)) == [talk]
        assert selectors.talk_get(user=user, talk_id=talk.pk) == talk
    for user in (unit_officer, forestry_officer, make_user("committee_member")):
        assert not selectors.talk_list(user=user).exists()
        with pytest.raises(Http404):
            selectors.talk_get(user=user, talk_id=talk.pk)


def test_filters(supervisor, tree, cadre):
    other = CadreFactory(unit=tree.town, name="镇干部")
    a = _talk(supervisor, cadre, held_on=D(2024, 5, 1))
    b = _talk(supervisor, other, kind=TalkKind.SECRETARY)
    c = _talk(supervisor, cadre, kind=TalkKind.INQUIRY, answer_due_on=D(2025, 3, 25))
    assert list(selectors.talk_list(user=supervisor, kind=TalkKind.SECRETARY)) == [b]
    assert list(selectors.talk_list(user=supervisor, unit_id=tree.town.pk)) == [b]
    assert list(selectors.talk_list(user=supervisor, year=2024)) == [a]
    assert list(selectors.talk_list(user=supervisor, status=TalkStatus.AWAITING_ANSWER)) == [c]
    assert selectors.talk_years(user=supervisor) == [2025, 2024]


def test_inquiries_overdue_group(supervisor, cadre, django_assert_max_num_queries):
    letter = _talk(
        supervisor, cadre, kind=TalkKind.INQUIRY, held_on=D(2025, 3, 4), answer_due_on=D(2025, 3, 25)
    )
    assert selectors.todo_inquiries_overdue(supervisor, D(2025, 3, 25), 10).count == 0
    with django_assert_max_num_queries(2):
        group = selectors.todo_inquiries_overdue(supervisor, D(2025, 3, 28), 10)
    assert group.count == 1 and group.items[0].overdue
    assert "已逾期 3 天" in group.items[0].text and group.items[0].link == f"/talks/{letter.pk}/"
    services.inquiry_answer(actor=supervisor, talk=letter, answered_on=D(2025, 3, 28), answer="说明")
    assert selectors.todo_inquiries_overdue(supervisor, D(2025, 3, 28), 10).count == 0


def test_admonishments_ending_group(officer, unit_officer, cadre, django_assert_max_num_queries):
    talk = services.admonish(actor=officer, cadre=cadre, decided_on=D(2025, 1, 10), issue="甲", talkers="李")
    assert talk.period_end == D(2025, 7, 9)
    assert selectors.todo_admonishments_ending(officer, D(2025, 6, 8), 10).count == 0
    with django_assert_max_num_queries(2):
        group = selectors.todo_admonishments_ending(officer, D(2025, 6, 9), 10)
    assert group.count == 1 and "2025年7月9日（还有 30 天）" in group.items[0].text
    assert "今天期满" in selectors.todo_admonishments_ending(officer, D(2025, 7, 9), 10).items[0].text
    assert selectors.todo_admonishments_ending(officer, D(2025, 7, 10), 10).count == 0
    assert selectors.todo_admonishments_ending(unit_officer, D(2025, 6, 9), 10).count == 0


def test_integrity_talk_due_after_the_committee_vote(scene, unit_officer, django_assert_max_num_queries):
    drive(scene, "department_meeting")
    assert selectors.todo_integrity_talks_due(scene.supervisor, D(2024, 9, 10), 10).count == 0
    record = drive_vote(scene)
    appointee = record.candidates.get(approved=True)
    with django_assert_max_num_queries(2):
        group = selectors.todo_integrity_talks_due(scene.supervisor, D(2024, 9, 10), 10)
    assert group.count == 1
    assert appointee.cadre.name in group.items[0].text
    assert group.items[0].link == f"/talks/new/integrity_talk/?record={record.pk}&cadre={appointee.cadre_id}"
    assert selectors.todo_integrity_talks_due(unit_officer, D(2024, 9, 10), 10).count == 0
    other = record.candidates.exclude(pk=appointee.pk).first()
    if other is not None:
        with pytest.raises(ServiceError, match="不是纪实"):
            _talk(scene.supervisor, other.cadre, kind=TalkKind.INTEGRITY, record=record)
    with pytest.raises(ServiceError, match="只有廉政谈话可以关联"):
        _talk(scene.supervisor, appointee.cadre, record=record)
    _talk(scene.supervisor, appointee.cadre, kind=TalkKind.INTEGRITY, record=record, held_on=D(2024, 9, 12))
    assert selectors.todo_integrity_talks_due(scene.supervisor, D(2024, 9, 12), 10).count == 0
    with pytest.raises(ServiceError, match="已于2024年9月12日登记"):
        _talk(scene.supervisor, appointee.cadre, kind=TalkKind.INTEGRITY, record=record)


def drive_vote(scene):
    """The scene's record taken through the committee vote (the fixture's driver, from scratch)."""
    return drive(scene, "committee_vote")
