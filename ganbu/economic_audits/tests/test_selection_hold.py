"""Acceptance (issue 14): an audit is triggered when a unit head is appointed elsewhere, and the
appointment is held until its result (AUD-02 trigger, AUD-06 before the committee's decision)."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.core.errors import ServiceError
from ganbu.economic_audits import selectors, services
from ganbu.economic_audits.choices import Status
from ganbu.registry.choices import PostKind, Rank
from ganbu.registry.models import AppointmentDocument, DocumentItem, Tenure
from ganbu.registry.tests.factories import PostFactory
from ganbu.selection import services as selection
from ganbu.selection.models import Candidate
from ganbu.selection.tests.fixtures import drive
from ganbu.voting import services as voting

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def forestry_head(scene, tree):
    """赵甲 (the scene's first candidate) heads 县林业局 since 2020: an audit subject."""
    post = PostFactory(unit=tree.forestry, title="局长", kind=PostKind.HEAD, rank=Rank.SECTION)
    document = AppointmentDocument.objects.create(
        number="示任〔2020〕9号", title="任职", issued_on=D(2020, 1, 1)
    )
    cadre = scene.people[0]
    item = DocumentItem.objects.create(
        document=document, kind="appoint", cadre=cadre, post=post, effective_on=D(2020, 1, 1)
    )
    return Tenure.objects.create(cadre=cadre, post=post, start_date=D(2020, 1, 1), start_item=item)


def vote(scene, record):
    """Prepare and count the committee vote (seven of nine agree)."""
    o = scene.officer
    ballot = selection.committee_vote_prepare(
        actor=o, record=record, title="县委常委会票决", members=scene.members, unit=scene.unit
    )
    for voter in ballot.voters.all():
        voting.committee_attendance_set(actor=o, ballot=ballot, voter=voter, attended=True)
    shares = voting.ballot_open(actor=o, ballot=ballot)
    item = ballot.items.get()
    for member in scene.members[:7]:
        voting.committee_cast(actor=member, ballot=ballot, item=item, choice="agree")
    voting.ballot_close(actor=o, ballot=ballot)
    voting.ballot_tally(actor=o, ballot=ballot, key_shares=shares)


def audit(officer, tenure, *, reported_on):
    """The 离任 audit of ``tenure``, from registration to report on ``reported_on``."""
    engagement = services.engagement_create(
        actor=officer,
        cadre=tenure.cadre,
        post=tenure.post,
        tenure=tenure,
        trigger="transfer",
        term_start=tenure.start_date,
        term_end=D(2024, 8, 31),
        trigger_note="拟任县财政局副局长",
    )
    services.engagement_commission(
        actor=officer,
        engagement=engagement,
        commissioned_on=D(2024, 8, 1),
        commissioned_by="organization",
        audit_body="县审计局",
        report_due_on=D(2024, 9, 30),
    )
    services.engagement_serve_notice(actor=officer, engagement=engagement, served_on=D(2024, 8, 2))
    services.engagement_start(actor=officer, engagement=engagement, started_on=D(2024, 8, 5))
    services.engagement_report(
        actor=officer,
        engagement=engagement,
        reported_on=reported_on,
        report_number="示审经责〔2024〕7号",
        findings="未发现重大问题。",
    )
    return engagement


def test_a_head_named_for_another_post_is_listed_to_commission(scene, forestry_head):
    drive(scene, "candidates")
    [trigger] = selectors.to_commission(user=scene.officer, on=D(2024, 8, 20))
    assert trigger.tenure == forestry_head and trigger.trigger == "transfer"
    assert "县财政局副局长选拔" in trigger.reasons[0] and trigger.engagement is None
    group = selectors.todo_audits_to_commission(scene.officer, D(2024, 8, 20), 10)
    assert group.count == 1 and "赵甲" in group.items[0].text and group.title == "待委托的经济责任审计"


def test_the_committee_decision_waits_for_the_audit_report(scene, forestry_head):
    record = drive(scene, "department_meeting")
    # Not even on the committee's agenda without the audit.
    with pytest.raises(ServiceError) as exc:
        selection.committee_vote_prepare(
            actor=scene.officer, record=record, title="县委常委会票决", members=scene.members, unit=scene.unit
        )
    text = str(exc.value.messages)
    assert "赵甲现任县林业局局长" in text and "尚未进行经济责任审计" in text
    assert "第三十一条" in text and "事先进行审计" in text
    record.refresh_from_db()
    assert record.committee_ballot_id is None

    # The audit is reported on the day of the decision: still too late (strictly before).
    audit(scene.officer, forestry_head, reported_on=D(2024, 9, 10))
    vote(scene, record)
    with pytest.raises(ServiceError) as exc:
        selection.committee_vote_complete(actor=scene.officer, record=record, decided_on=D(2024, 9, 10))
    assert "2024年9月10日完成，不早于讨论决定日期2024年9月10日" in str(exc.value.messages)
    record.refresh_from_db()
    assert record.step == "department_meeting"
    assert Candidate.objects.get(record=record, cadre=forestry_head.cadre).approved is None

    # Decided the day after the report: the decision and the appointment go ahead.
    passed = selection.committee_vote_complete(actor=scene.officer, record=record, decided_on=D(2024, 9, 11))
    assert [c.cadre for c in passed] == [forestry_head.cadre]
    assert selectors.to_commission(user=scene.officer, on=D(2024, 9, 11)) == []


def test_an_audit_commissioned_but_not_reported_still_holds_the_decision(scene, forestry_head):
    record = drive(scene, "department_meeting")
    engagement = services.engagement_create(
        actor=scene.officer,
        cadre=forestry_head.cadre,
        post=forestry_head.post,
        tenure=forestry_head,
        trigger="transfer",
        term_start=D(2020, 1, 1),
        term_end=D(2024, 8, 31),
        trigger_note="拟任县财政局副局长",
    )
    services.engagement_commission(
        actor=scene.officer,
        engagement=engagement,
        commissioned_on=D(2024, 8, 1),
        commissioned_by="organization",
        audit_body="县审计局",
        report_due_on=D(2024, 9, 30),
    )
    with pytest.raises(ServiceError) as exc:
        selection.committee_vote_prepare(
            actor=scene.officer, record=record, title="县委常委会票决", members=scene.members, unit=scene.unit
        )
    assert "已于2024年8月1日委托，尚未完成" in str(exc.value.messages)
    # It is no longer "to commission"; once past its due day it is overdue.
    assert selectors.to_commission(user=scene.officer, on=D(2024, 9, 1)) == []
    [trigger] = selectors.audit_triggers(user=scene.officer, on=D(2024, 9, 1))
    assert trigger.engagement == engagement and trigger.engagement.status == Status.COMMISSIONED
    late = selectors.todo_audits_overdue(scene.officer, D(2024, 10, 1), 10)
    assert late.count == 1 and "2024年9月30日" in late.items[0].text


def test_a_candidate_without_a_leading_post_is_not_held(scene):
    record = drive(scene, "committee_vote")
    record.refresh_from_db()
    assert record.step == "committee_vote"
