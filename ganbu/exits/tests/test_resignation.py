"""辞职 and the proceedings that block it (DISC-14): who records them, who learns of them."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.exits import services
from ganbu.exits.models import Proceeding
from ganbu.registry.choices import CadreStatus
from ganbu.registry.models import Tenure
from ganbu.rules.exits import MSG_RESIGNATION_BLOCKED_GENERIC

from .helpers import appoint, decision, written

pytestmark = pytest.mark.django_db

D = dt.date


AUDIT_START = D(2025, 3, 1)


def open_audit(actor, cadre, started=AUDIT_START):
    return services.proceeding_open(
        actor=actor, cadre=cadre, kind="audit", body="县审计局", started_on=started, note="任期经济责任审计"
    )


def test_resignation_during_an_open_audit_is_refused_with_the_facts(officer, supervisor, make_leader):
    cadre = make_leader(D(1980, 1, 1))
    open_audit(supervisor, cadre)
    before = written()
    with pytest.raises(ServiceError) as exc:
        services.resignation_record(
            actor=officer, cadre=cadre, decision=decision("示委〔2025〕31号", D(2025, 5, 1)), entire=True
        )
    [message] = exc.value.messages
    assert "自2025年3月1日起接受县审计局的审计（尚未结束）" in message
    assert "第八十六条第（四）项" in message and "DISC-14" in message
    assert written() == before


def test_an_officer_who_may_not_see_supervision_records_gets_the_generic_refusal(
    officer, supervisor, unit_officer, make_leader, posts
):
    cadre = make_leader(D(1980, 1, 1), post=posts.station_head)
    open_audit(supervisor, cadre)
    before = written()
    with pytest.raises(ServiceError) as exc:
        services.resignation_record(
            actor=unit_officer, cadre=cadre, decision=decision("示林〔2025〕1号", D(2025, 5, 1)), entire=False
        )
    assert exc.value.messages == [MSG_RESIGNATION_BLOCKED_GENERIC]
    assert "县审计局" not in str(exc.value.messages)
    assert written() == before


def test_after_the_proceeding_ends_the_cadre_may_resign_entirely(officer, supervisor, make_leader, posts):
    cadre = make_leader(D(1980, 1, 1))
    appoint(officer, cadre, posts.clerk)
    proceeding = open_audit(supervisor, cadre)
    services.proceeding_close(
        actor=supervisor, proceeding=proceeding, ended_on=D(2025, 4, 30), note="审计结束"
    )
    record = services.resignation_record(
        actor=officer, cadre=cadre, decision=decision("示委〔2025〕32号", D(2025, 4, 30)), entire=True
    )
    cadre.refresh_from_db()
    assert record.kind == "resignation_entire" and cadre.status == CadreStatus.RESIGNED
    assert not Tenure.objects.filter(cadre=cadre, end_date__isnull=True).exists()
    assert "第八十五条" in record.basis


def test_a_proceeding_open_at_the_decision_still_blocks_after_it_ended(officer, supervisor, make_leader):
    cadre = make_leader(D(1980, 1, 1))
    proceeding = open_audit(supervisor, cadre)
    services.proceeding_close(actor=supervisor, proceeding=proceeding, ended_on=D(2025, 4, 30))
    with pytest.raises(ServiceError, match="2025年4月30日结束"):
        services.resignation_record(
            actor=officer, cadre=cadre, decision=decision("示委〔2025〕33号", D(2025, 4, 29)), entire=True
        )


def test_resigning_the_post_ends_leadership_only_and_keeps_the_cadre_serving(officer, make_leader, posts):
    cadre = make_leader(D(1980, 1, 1))
    appoint(officer, cadre, posts.clerk)
    record = services.resignation_record(
        actor=officer, cadre=cadre, decision=decision("示委〔2025〕34号", D(2025, 5, 1)), entire=False
    )
    cadre.refresh_from_db()
    assert record.kind == "resignation_post" and cadre.status == CadreStatus.SERVING
    assert list(Tenure.objects.filter(cadre=cadre, end_date__isnull=True).values_list("post", flat=True)) == [
        posts.clerk.pk
    ]
    assert "第八十七条" in record.basis


# ---------------------------------------------------------------- recording proceedings


def test_supervisors_and_department_officers_record_proceedings_others_may_not(
    officer, supervisor, unit_officer, make_user, make_leader, posts
):
    cadre = make_leader(D(1980, 1, 1), post=posts.station_head)
    assert open_audit(officer, cadre).recorded_by == officer
    event = AuditEvent.objects.get(event_type="exits.proceeding_opened")
    assert event.cadre_id == cadre.pk and event.after["body"] == "县审计局"
    for actor in (unit_officer, make_user("org_leader"), make_user("committee_member")):
        before = written()
        with pytest.raises(ServiceError, match="只有纪检监察、审计等监督部门和组织部干部科"):
            open_audit(actor, cadre)
        assert written() == before


def test_a_scoped_supervisor_cannot_record_outside_the_scope(make_user, tree, make_leader):
    scoped = make_user("supervisor", scope_unit=tree.forestry)
    cadre = make_leader(D(1980, 1, 1))  # 县财政局
    with pytest.raises(ServiceError, match="不在您的管理范围内"):
        open_audit(scoped, cadre)
    assert not Proceeding.objects.exists()


def test_proceeding_input_and_closing_are_checked(supervisor, make_leader):
    cadre = make_leader(D(1980, 1, 1))
    with pytest.raises(ServiceError) as exc:
        services.proceeding_open(
            actor=supervisor, cadre=cadre, kind="gossip", body=" ", started_on=D(2025, 1, 1)
        )
    assert set(exc.value.message_dict) == {"kind", "body"}
    proceeding = open_audit(supervisor, cadre)
    with pytest.raises(ServiceError, match="结束日期不能早于开始日期"):
        services.proceeding_close(actor=supervisor, proceeding=proceeding, ended_on=D(2025, 2, 28))
    services.proceeding_close(actor=supervisor, proceeding=proceeding, ended_on=D(2025, 3, 1))
    before = written()
    with pytest.raises(ServiceError, match="已于2025年3月1日登记结束"):
        services.proceeding_close(actor=supervisor, proceeding=proceeding, ended_on=D(2025, 4, 1))
    assert written() == before
    assert AuditEvent.objects.filter(event_type="exits.proceeding_closed").count() == 1
