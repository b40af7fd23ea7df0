"""Talks services: recording each kind, answering a 函询, 诫勉 with its period and registry row, refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.policy.models import PolicyValue
from ganbu.registry.choices import RewardSanctionKind, SanctionType
from ganbu.registry.models import RewardSanction
from ganbu.talks import services
from ganbu.talks.choices import TalkerBody, TalkKind, TalkStatus
from ganbu.talks.models import Talk

D = dt.date


def _talk(actor, cadre, **kw):
    values = {
        "kind": TalkKind.REMINDER,
        "held_on": D(2025, 3, 4),
        "talkers": "王书记（县纪委副书记）",
        "issue": "群众反映工作作风问题",
    }
    values.update(kw)
    return services.talk_record(actor=actor, cadre=cadre, **values)


def test_reminder_talk_recorded_with_audit(supervisor, cadre):
    talk = _talk(supervisor, cadre, follow_up="一个月内提交书面说明")
    assert talk.status == TalkStatus.HELD
    assert talk.unit_id == cadre.unit_id
    assert talk.talker_body == TalkerBody.DISCIPLINE
    assert AuditEvent.objects.filter(event_type="talk.recorded", target_id=str(talk.pk)).exists()


def test_officer_may_record_unit_officer_may_not(officer, unit_officer, cadre):
    assert _talk(officer, cadre, talker_body=TalkerBody.ORGANIZATION).pk
    with pytest.raises(ServiceError, match="只有纪检监察机关和组织部"):
        _talk(unit_officer, cadre)


def test_out_of_scope_cadre_refused(make_user, tree, cadre):
    scoped = make_user("org_officer", scope_unit=tree.forestry)
    with pytest.raises(ServiceError, match="不在您的管理范围内"):
        _talk(scoped, cadre)
    assert not Talk.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"talkers": " "}, "请填写谈话人"),
        ({"issue": ""}, "请填写谈话事由"),
        ({"talker_body": "police"}, "谈话人所在机关"),
        ({"kind": "chat"}, "谈话类别"),
        ({"kind": TalkKind.ADMONISHMENT}, "DISC-08"),
        ({"held_on": D(2099, 1, 1)}, "晚于今天"),
        ({"held_on": None}, "请填写日期"),
        ({"answer_due_on": D(2025, 4, 1)}, "只有函询有回复期限"),
    ],
)
def test_bad_input_refused_nothing_written(supervisor, cadre, change, message):
    with pytest.raises(ServiceError, match=message):
        _talk(supervisor, cadre, **change)
    assert not Talk.objects.exists()


def test_planned_talk_then_held(supervisor, cadre):
    from django.utils import timezone

    today = timezone.localdate()
    talk = _talk(
        supervisor, cadre, kind=TalkKind.SECRETARY, held_on=today + dt.timedelta(days=3), planned=True
    )
    assert talk.status == TalkStatus.PLANNED
    with pytest.raises(ServiceError, match="早于今天"):
        _talk(supervisor, cadre, held_on=today - dt.timedelta(days=1), planned=True)
    held = services.talk_hold(actor=supervisor, talk=talk, held_on=today, follow_up="落实主体责任")
    assert (held.status, held.held_on, held.follow_up) == (TalkStatus.HELD, today, "落实主体责任")
    with pytest.raises(ServiceError, match="不是待谈话状态"):
        services.talk_hold(actor=supervisor, talk=held, held_on=today)


def test_inquiry_needs_due_date_then_answer(supervisor, cadre):
    with pytest.raises(ServiceError, match="回复期限"):
        _talk(supervisor, cadre, kind=TalkKind.INQUIRY)
    with pytest.raises(ServiceError, match="不能早于函件发出日期"):
        _talk(supervisor, cadre, kind=TalkKind.INQUIRY, answer_due_on=D(2025, 3, 1))
    letter = _talk(supervisor, cadre, kind=TalkKind.INQUIRY, answer_due_on=D(2025, 3, 25))
    assert letter.status == TalkStatus.AWAITING_ANSWER
    with pytest.raises(ServiceError, match="请填写书面回复"):
        services.inquiry_answer(actor=supervisor, talk=letter, answered_on=D(2025, 3, 20), answer=" ")
    with pytest.raises(ServiceError, match="不能早于函件发出日期"):
        services.inquiry_answer(actor=supervisor, talk=letter, answered_on=D(2025, 3, 1), answer="说明")
    answered = services.inquiry_answer(
        actor=supervisor, talk=letter, answered_on=D(2025, 3, 28), answer="经核实，反映问题不属实。"
    )
    assert (answered.status, answered.answered_on) == (TalkStatus.ANSWERED, D(2025, 3, 28))
    event = AuditEvent.objects.get(event_type="talk.inquiry_answered")
    assert "逾期回复" in event.reason
    with pytest.raises(ServiceError, match="已于2025年3月28日登记书面回复"):
        services.inquiry_answer(actor=supervisor, talk=letter, answered_on=D(2025, 3, 29), answer="再答")


def test_answer_only_for_inquiry(supervisor, cadre):
    talk = _talk(supervisor, cadre)
    with pytest.raises(ServiceError, match="不是函询"):
        services.inquiry_answer(actor=supervisor, talk=talk, answered_on=D(2025, 3, 5), answer="说明")


def test_admonish_default_six_months_with_registry_row(officer, cadre):
    talk = services.admonish(
        actor=officer,
        cadre=cadre,
        decided_on=D(2025, 1, 10),
        issue="违反工作纪律",
        talkers="李部长",
        talker_body=TalkerBody.ORGANIZATION,
    )
    assert talk.kind == TalkKind.ADMONISHMENT and talk.status == TalkStatus.DECIDED
    assert (talk.period_start, talk.period_months, talk.period_end) == (D(2025, 1, 10), 6, D(2025, 7, 9))
    assert "DISC-08" in talk.period_basis and "本县规定6个月" in talk.period_basis
    row = RewardSanction.objects.get(pk=talk.sanction_id)
    assert (row.kind, row.sanction_type, row.name) == (
        RewardSanctionKind.SANCTION,
        SanctionType.ADMONISHMENT,
        "诫勉",
    )
    assert row.effective_until == D(2025, 7, 9)
    assert row.approving_body == "县委组织部"
    assert AuditEvent.objects.filter(event_type="talk.admonished").exists()
    assert AuditEvent.objects.filter(event_type="reward_sanction.recorded").exists()


def test_admonish_uses_policy_version_in_force(officer, make_user, cadre):
    PolicyValue.objects.create(
        key="talks.admonishment_months",
        value="12",
        effective_from=D(2025, 1, 1),
        note="县委文件",
        set_by=make_user("admin"),
    )
    before = services.admonish(
        actor=officer, cadre=cadre, decided_on=D(2024, 12, 31), issue="甲", talkers="李"
    )
    after = services.admonish(actor=officer, cadre=cadre, decided_on=D(2025, 1, 1), issue="乙", talkers="李")
    assert (before.period_months, before.period_end) == (6, D(2025, 6, 30))
    assert (after.period_months, after.period_end) == (12, D(2025, 12, 31))
    assert "自2025年1月1日起执行" in after.period_basis


def test_admonish_months_stated_by_decision(officer, cadre):
    talk = services.admonish(
        actor=officer, cadre=cadre, decided_on=D(2025, 1, 10), issue="甲", talkers="李", months=3
    )
    assert (talk.period_months, talk.period_end) == (3, D(2025, 4, 9))
    assert "诫勉决定写明3个月" in talk.period_basis
    with pytest.raises(ServiceError, match="1到60之间"):
        services.admonish(
            actor=officer, cadre=cadre, decided_on=D(2025, 1, 10), issue="甲", talkers="李", months=0
        )


def test_admonish_refused_writes_nothing(officer, unit_officer, cadre):
    with pytest.raises(ServiceError):
        services.admonish(
            actor=unit_officer, cadre=cadre, decided_on=D(2025, 1, 10), issue="甲", talkers="李"
        )
    with pytest.raises(ServiceError, match="晚于今天"):
        services.admonish(actor=officer, cadre=cadre, decided_on=D(2099, 1, 10), issue="甲", talkers="李")
    with pytest.raises(ServiceError, match="请填写谈话事由"):
        services.admonish(actor=officer, cadre=cadre, decided_on=D(2025, 1, 10), issue="", talkers="李")
    assert not Talk.objects.exists() and not RewardSanction.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_within_variants_join_the_callers_transaction(tree, officer):
    from ganbu.registry.tests.factories import CadreFactory

    cadre = CadreFactory(unit=tree.finance, name="吴同事", birth_date=D(1980, 1, 1))
    with pytest.raises(RuntimeError):
        services.talk_record_within(
            actor=officer,
            cadre=cadre,
            kind=TalkKind.REMINDER,
            held_on=D(2025, 1, 2),
            talkers="李",
            issue="甲",
        )
    with pytest.raises(RuntimeError):
        services.admonish_within(
            actor=officer, cadre=cadre, decided_on=D(2025, 1, 2), issue="甲", talkers="李"
        )

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        services.talk_record_within(
            actor=officer,
            cadre=cadre,
            kind=TalkKind.REMINDER,
            held_on=D(2025, 1, 2),
            talkers="李",
            issue="甲",
        )
        services.admonish_within(
            actor=officer, cadre=cadre, decided_on=D(2025, 1, 2), issue="甲", talkers="李"
        )
        assert Talk.objects.count() == 2
        raise Rollback
    assert not Talk.objects.exists() and not RewardSanction.objects.exists()


def test_supervisor_admonishes_and_the_row_names_the_commission(supervisor, cadre):
    talk = services.admonish(
        actor=supervisor, cadre=cadre, decided_on=D(2025, 2, 28), issue="甲", talkers="刘书记"
    )
    assert talk.period_end == D(2025, 8, 27)
    assert RewardSanction.objects.get(pk=talk.sanction_id).approving_body == "县纪委监委"
