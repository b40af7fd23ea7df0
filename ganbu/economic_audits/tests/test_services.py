"""The engagement services: subjects (AUD-01/04), the three-day notice (AUD-03), the proceeding
that blocks a resignation while the audit is open (DISC-14), findings, follow-up and scope."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.economic_audits import facts, services
from ganbu.economic_audits.choices import Status
from ganbu.economic_audits.models import AuditEngagement, FollowUpItem
from ganbu.exits import services as exits
from ganbu.exits.models import Proceeding
from ganbu.exits.tests.helpers import decision, leader
from ganbu.policy.models import PolicyValue
from ganbu.registry.choices import CadreStatus

from .conftest import commissioned, reported

pytestmark = pytest.mark.django_db

D = dt.date


def snapshot():
    return (
        list(AuditEngagement.objects.order_by("id").values()),
        list(Proceeding.objects.order_by("id").values()),
        list(FollowUpItem.objects.order_by("id").values()),
        AuditEvent.objects.count(),
    )


def test_a_head_is_registered_with_the_regulation_and_the_reason(engagement):
    assert engagement.status == Status.TO_COMMISSION
    assert engagement.regulation == "2019"
    assert "正职" in engagement.subject_basis and "AUD-04" in engagement.subject_basis
    assert engagement.unit.name == "县财政局" and engagement.role == "principal"
    assert engagement.proceeding is None
    assert AuditEvent.objects.filter(event_type="economic_audits.created").count() == 1


def test_a_deputy_who_does_not_preside_is_refused_with_the_article(officer, posts):
    deputy = leader(officer, posts.deputy, D(1980, 1, 1))
    before = snapshot()
    with pytest.raises(ServiceError) as exc:
        services.engagement_create(
            actor=officer,
            cadre=deputy,
            post=posts.deputy,
            trigger="transfer",
            term_start=D(2015, 3, 1),
            term_end=D(2025, 3, 31),
            trigger_note="调任",
        )
    text = str(exc.value.message_dict["post"])
    assert "不主持工作的副职" in text and "第四条" in text
    assert snapshot() == before


def test_a_deputy_presiding_for_a_year_is_a_subject_one_day_short_is_not(officer, posts):
    deputy = leader(officer, posts.deputy, D(1980, 1, 1))
    with pytest.raises(ServiceError, match="未满一年"):
        services.engagement_create(
            actor=officer,
            cadre=deputy,
            post=posts.deputy,
            trigger="in_term",
            term_start=D(2024, 3, 2),
            term_end=D(2025, 3, 1),
            trigger_note="任中审计",
            presiding_since=D(2024, 3, 2),
        )
    made = services.engagement_create(
        actor=officer,
        cadre=deputy,
        post=posts.deputy,
        trigger="in_term",
        term_start=D(2024, 3, 2),
        term_end=D(2025, 3, 2),
        trigger_note="任中审计",
        presiding_since=D(2024, 3, 2),
    )
    assert "已满一年" in made.subject_basis


def test_the_1999_regulation_applies_before_the_2010_one_came_into_force(officer, head, posts):
    made = services.engagement_create(
        actor=officer,
        cadre=head,
        post=posts.head,
        trigger="term_end",
        term_start=D(2005, 1, 1),
        term_end=D(2009, 12, 31),
        trigger_note="任期届满",
    )
    assert made.regulation == "1999" and "AUD-01" in made.subject_basis
    with pytest.raises(ServiceError, match="已有未完成的经济责任审计"):
        services.engagement_create(
            actor=officer,
            cadre=head,
            post=posts.head,
            trigger="term_end",
            term_start=D(2005, 1, 1),
            term_end=D(2009, 12, 31),
            trigger_note="重复",
        )
    # The county sets the 2010 规定's day in force earlier: the same day now falls under it.
    PolicyValue.objects.create(
        key="audit.regulation_2010_from", value="20091201", effective_from=D(2000, 1, 1), set_by=officer
    )
    assert facts.regulation_on(D(2009, 12, 31)) == "2010"
    assert facts.regulation_on(D(2009, 11, 30)) == "1999"


def test_bad_input_names_each_field_and_writes_nothing(officer, head, posts):
    before = snapshot()
    with pytest.raises(ServiceError) as exc:
        services.engagement_create(
            actor=officer,
            cadre=head,
            post=posts.head,
            trigger="holiday",
            term_start=D(2025, 1, 1),
            term_end=D(2024, 1, 1),
            trigger_note=" ",
        )
    assert set(exc.value.message_dict) == {"trigger", "trigger_note", "term_end"}
    assert snapshot() == before


def test_commission_opens_the_audit_proceeding(officer, engagement):
    commissioned(officer, engagement)
    engagement.refresh_from_db()
    assert engagement.status == Status.COMMISSIONED
    proceeding = engagement.proceeding
    assert proceeding.kind == "audit" and proceeding.body == "县审计局"
    assert proceeding.started_on == D(2025, 4, 1) and proceeding.ended_on is None


def test_only_the_department_or_the_discipline_body_commissions(officer, engagement):
    before = snapshot()
    with pytest.raises(ServiceError) as exc:
        services.engagement_commission(
            actor=officer,
            engagement=engagement,
            commissioned_on=D(2025, 4, 1),
            commissioned_by="other",
            audit_body="县审计局",
            report_due_on=D(2025, 7, 1),
        )
    assert "组织人事部门或纪检监察机关" in str(exc.value.messages) and "第五条、第八条" in str(
        exc.value.messages
    )
    assert snapshot() == before


@pytest.mark.parametrize(
    ("served", "ok"),
    [(D(2025, 4, 7), True), (D(2025, 4, 8), False)],
    ids=["served-three-days-before", "served-two-days-before"],
)
def test_the_notice_is_served_three_days_before_the_audit_starts(officer, engagement, served, ok):
    commissioned(officer, engagement)
    services.engagement_serve_notice(actor=officer, engagement=engagement, served_on=served)
    if ok:
        services.engagement_start(actor=officer, engagement=engagement, started_on=D(2025, 4, 10))
        engagement.refresh_from_db()
        assert engagement.status == Status.IN_PROGRESS
        return
    before = snapshot()
    with pytest.raises(ServiceError) as exc:
        services.engagement_start(actor=officer, engagement=engagement, started_on=D(2025, 4, 10))
    text = str(exc.value.message_dict["started_on"])
    assert "不足三日" in text and "2025年4月7日" in text and "AUD-03" in text
    assert snapshot() == before


def test_an_audit_cannot_start_without_a_notice(officer, engagement):
    commissioned(officer, engagement)
    with pytest.raises(ServiceError, match="未登记审计通知书送达日期"):
        services.engagement_start(actor=officer, engagement=engagement, started_on=D(2025, 4, 10))


def test_a_notice_before_the_commission_is_refused(officer, engagement):
    commissioned(officer, engagement)
    with pytest.raises(ServiceError, match="早于委托日期"):
        services.engagement_serve_notice(actor=officer, engagement=engagement, served_on=D(2025, 3, 30))


def test_resignation_is_refused_while_the_audit_is_open_and_accepted_after_its_report(
    officer, supervisor, head, engagement
):
    commissioned(supervisor, engagement)
    with pytest.raises(ServiceError) as exc:
        exits.resignation_record(
            actor=officer, cadre=head, decision=decision("示委〔2025〕41号", D(2025, 5, 10)), entire=True
        )
    assert "县审计局" in str(exc.value.messages) and "第八十六条第（四）项" in str(exc.value.messages)
    reported(supervisor, engagement, reported_on=D(2025, 5, 20))
    engagement.refresh_from_db()
    assert engagement.status == Status.REPORTED and engagement.proceeding.ended_on == D(2025, 5, 20)
    record = exits.resignation_record(
        actor=officer, cadre=head, decision=decision("示委〔2025〕42号", D(2025, 5, 20)), entire=True
    )
    head.refresh_from_db()
    assert record.kind == "resignation_entire" and head.status == CadreStatus.RESIGNED


def test_the_audit_proceeding_is_not_closed_from_the_exits_pages(officer, engagement):
    commissioned(officer, engagement)
    engagement.refresh_from_db()
    with pytest.raises(ServiceError, match="登记其审计报告时自动结束"):
        exits.proceeding_close(actor=officer, proceeding=engagement.proceeding, ended_on=D(2025, 5, 1))


def test_a_report_needs_its_number_and_findings(officer, engagement):
    commissioned(officer, engagement)
    services.engagement_serve_notice(actor=officer, engagement=engagement, served_on=D(2025, 4, 2))
    services.engagement_start(actor=officer, engagement=engagement, started_on=D(2025, 4, 7))
    with pytest.raises(ServiceError) as exc:
        services.engagement_report(
            actor=officer, engagement=engagement, reported_on=D(2025, 5, 1), report_number="", findings=""
        )
    assert set(exc.value.message_dict) == {"report_number", "findings"}
    with pytest.raises(ServiceError, match="早于实施审计日期"):
        services.engagement_report(
            actor=officer, engagement=engagement, reported_on=D(2025, 4, 6), report_number="1", findings="无"
        )


def test_follow_up_items_must_be_done_before_the_engagement_closes(officer, engagement):
    commissioned(officer, engagement)
    reported(officer, engagement)
    item = services.follow_up_add(
        actor=officer,
        engagement=engagement,
        description="专项资金及时拨付",
        owner="县财政局",
        due_on=D(2025, 8, 31),
    )
    with pytest.raises(ServiceError, match="还有 1 项整改事项未完成"):
        services.engagement_close(
            actor=officer, engagement=engagement, closed_on=D(2025, 9, 1), summary="已整改"
        )
    services.follow_up_complete(actor=officer, item=item, done_on=D(2025, 8, 20), result="已拨付到位")
    with pytest.raises(ServiceError, match="已于2025年8月20日完成"):
        services.follow_up_complete(actor=officer, item=item, done_on=D(2025, 8, 21), result="再次")
    closed = services.engagement_close(
        actor=officer, engagement=engagement, closed_on=D(2025, 9, 1), summary="已整改"
    )
    assert closed.status == Status.CLOSED
    events = list(
        AuditEvent.objects.filter(event_type__startswith="economic_audits.")
        .order_by("seq")
        .values_list("event_type", flat=True)
    )
    assert [e.split(".")[1] for e in events] == [
        "created",
        "commissioned",
        "notice_served",
        "started",
        "reported",
        "follow_up_added",
        "follow_up_done",
        "closed",
    ]


def test_steps_go_forward_only(officer, engagement):
    with pytest.raises(ServiceError, match="当前为「待委托」，不能登记实施审计"):
        services.engagement_start(actor=officer, engagement=engagement, started_on=D(2025, 4, 7))


def test_roles_and_scope(make_user, tree, engagement, head, posts):
    leader_user = make_user("org_leader")
    with pytest.raises(ServiceError, match="只有组织部干部科和纪检监察、审计等监督部门"):
        commissioned(leader_user, engagement)
    unit_officer = make_user("unit_officer", scope_unit=tree.forestry)
    with pytest.raises(ServiceError):
        commissioned(unit_officer, engagement)
    scoped_officer = make_user("org_officer", scope_unit=tree.forestry)
    with pytest.raises(ServiceError, match="不在您的管理范围内"):
        commissioned(scoped_officer, engagement)
    with pytest.raises(ServiceError, match="不在您的管理范围内"):
        services.engagement_create(
            actor=scoped_officer,
            cadre=head,
            post=posts.head,
            trigger="transfer",
            term_start=D(2015, 3, 1),
            term_end=D(2025, 3, 31),
            trigger_note="x",
        )
