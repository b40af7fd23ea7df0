"""任前公示 of a decision before the 2014 条例: "一般 7—15 天", so a longer notice passes with a recorded
reason, kept on the notice, in the audit event and on the 纪实 (issue 10, item 11)."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.selection import services
from ganbu.selection.models import Decision, PublicNotice, StepEvent
from ganbu.selection.tests.fixtures import drive

D = dt.date
DECIDED_2013 = D(2013, 6, 3)


def decided_in_2013(scene):
    """A record at 常委会票决 whose decision is entered as taken on 3 June 2013 (an archived 纪实)."""
    record = drive(scene, "committee_vote")
    Decision.objects.filter(record=record).update(committee_decided_on=DECIDED_2013)
    return record


def publish(scene, record, end, reason=""):
    return services.public_notice_publish(
        actor=scene.officer,
        record=record,
        title="任前公示",
        body="赵甲，拟任县财政局副局长。",
        start_date=D(2013, 6, 4),
        end_date=end,
        contact="县委组织部 0000-12380",
        length_reason=reason,
    )


def test_a_longer_notice_without_a_reason_is_refused_saying_a_reason_is_needed(scene):
    record = decided_in_2013(scene)
    events, steps = AuditEvent.objects.count(), StepEvent.objects.count()
    with pytest.raises(ServiceError) as err:
        publish(scene, record, D(2013, 6, 21))  # 18 calendar days
    text = " ".join(err.value.messages)
    assert "共 18 天" in text and "超过一般规定的 15 天" in text and "须写明理由" in text
    assert err.value.message_dict.keys() == {"length_reason"}
    assert not PublicNotice.objects.filter(kind="public_notice").exists()
    assert (AuditEvent.objects.count(), StepEvent.objects.count()) == (events, steps)


def test_a_longer_notice_with_a_reason_is_published_and_the_reason_kept(scene):
    record = decided_in_2013(scene)
    notice = publish(scene, record, D(2013, 6, 21), reason="公示期间逢端午节假期，延长至18天")
    assert notice.length_reason == "公示期间逢端午节假期，延长至18天"
    step = StepEvent.objects.get(record=record, step="public_notice")
    assert "共 18 天" in step.note and "理由：公示期间逢端午节假期，延长至18天" in step.note
    event = AuditEvent.objects.filter(event_type="selection.step", target_id=str(record.pk)).latest("seq")
    assert event.after["length_reason"] == "公示期间逢端午节假期，延长至18天"


def test_a_reason_for_a_notice_within_the_general_period_is_not_kept(scene):
    record = decided_in_2013(scene)
    notice = publish(scene, record, D(2013, 6, 13), reason="无须说明")  # 10 days
    assert notice.length_reason == ""


def test_a_reason_does_not_excuse_a_short_notice(scene):
    record = decided_in_2013(scene)
    with pytest.raises(ServiceError, match="少于规定的 7 天"):
        publish(scene, record, D(2013, 6, 8), reason="时间紧")
    assert not PublicNotice.objects.filter(kind="public_notice").exists()
