"""Sanction 影响期 computed by the service from kind and decision day (issue 10, item 6).

The rule is ``ganbu.rules.sanctions``; the service stores the computed last day in
``effective_until``, so eligibility (``selection.facts``) reads the regulation's period unchanged.
"""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.registry.choices import RewardSanctionKind, SanctionType
from ganbu.registry.models import RewardSanction
from ganbu.registry.services import reward_sanction_record
from ganbu.registry.tests.factories import CadreFactory
from ganbu.rules import sanctions as rules
from ganbu.selection.facts import candidate_facts

D = dt.date


@pytest.fixture
def cadre(tree):
    return CadreFactory(unit=tree.station, name="王林", birth_date=D(1980, 5, 17))


def sanction(**fields):
    data = {
        "kind": RewardSanctionKind.SANCTION,
        "decided_on": D(2015, 6, 10),
        "approving_body": "示例县监察委员会",
        "reason": "违反工作纪律",
    }
    data.update(fields)
    return data


def refused(officer, cadre, data) -> dict[str, list[str]]:
    events = AuditEvent.objects.count()
    with pytest.raises(ServiceError) as exc:
        reward_sanction_record(actor=officer, cadre=cadre, data=data)
    assert not RewardSanction.objects.exists() and AuditEvent.objects.count() == events
    return exc.value.message_dict


def test_a_blank_end_is_the_computed_one_and_no_longer_blocks_forever(officer, cadre) -> None:
    """The issue's case: a 2015 记过 with no end blocked a candidate in 2024."""
    saved = reward_sanction_record(actor=officer, cadre=cadre, data=sanction(name="记过"))
    saved.refresh_from_db()
    assert saved.effective_until == D(2016, 6, 9)
    assert saved.sanction_type == SanctionType.DEMERIT and saved.period_override_reason == ""
    (fact,) = candidate_facts(cadre).sanctions
    assert fact.active_on(D(2016, 6, 9)) and not fact.active_on(D(2016, 6, 10))
    assert not fact.active_on(D(2024, 5, 1))


def test_the_chosen_kind_decides_and_names_a_nameless_sanction(officer, cadre) -> None:
    saved = reward_sanction_record(
        actor=officer,
        cadre=cadre,
        data=sanction(name="", sanction_type=SanctionType.PARTY_SERIOUS_WARNING, decided_on=D(2024, 3, 15)),
    )
    assert (saved.name, saved.effective_until) == ("党内严重警告", D(2025, 9, 14))
    event = AuditEvent.objects.get(event_type="reward_sanction.recorded")
    assert (
        event.after["effective_until"] == "2025-09-14"
        and event.after["sanction_type"] == "party_serious_warning"
    )


def test_an_override_without_a_reason_is_refused_naming_the_computed_end(officer, cadre) -> None:
    errors = refused(
        officer, cadre, sanction(name="警告", decided_on=D(2024, 3, 15), effective_until=D(2024, 9, 15))
    )
    assert errors == {
        "period_override_reason": [
            "依《中华人民共和国公职人员政务处分法》第八条：警告，六个月，该警告的影响期至2024年9月14日；"
            "填写的截止日期2024年9月15日与此不同，须在“调整理由”中说明依据（如处分决定另有规定）。"
        ]
    }


def test_an_override_with_a_reason_is_recorded(officer, cadre) -> None:
    saved = reward_sanction_record(
        actor=officer,
        cadre=cadre,
        data=sanction(
            name="警告",
            decided_on=D(2024, 3, 15),
            effective_until=D(2024, 12, 31),
            period_override_reason="处分决定书载明影响期至2024年底",
        ),
    )
    assert saved.effective_until == D(2024, 12, 31)
    assert saved.period_override_reason == "处分决定书载明影响期至2024年底"
    event = AuditEvent.objects.get(event_type="reward_sanction.recorded")
    assert event.reason == "处分决定书载明影响期至2024年底"
    assert event.after["period_override_reason"] == "处分决定书载明影响期至2024年底"


def test_an_admonishment_needs_the_end_from_its_decision(officer, cadre) -> None:
    errors = refused(officer, cadre, sanction(name="诫勉", decided_on=D(2024, 3, 15)))
    assert errors == {"effective_until": ["诫勉的影响期没有全国统一的规定，请按处理决定填写影响期截止日期。"]}
    saved = reward_sanction_record(
        actor=officer,
        cadre=cadre,
        data=sanction(name="诫勉", decided_on=D(2024, 3, 15), effective_until=D(2024, 9, 14)),
    )
    assert (saved.sanction_type, saved.effective_until) == (SanctionType.ADMONISHMENT, D(2024, 9, 14))


def test_an_expulsion_has_no_end(officer, cadre) -> None:
    saved = reward_sanction_record(
        actor=officer, cadre=cadre, data=sanction(name="", sanction_type=SanctionType.PARTY_EXPULSION)
    )
    assert (saved.name, saved.effective_until) == ("开除党籍", None)


def test_an_unknown_kind_is_refused(officer, cadre) -> None:
    assert refused(officer, cadre, sanction(name="警告", sanction_type="不符合条件")) == {
        "sanction_type": ["处分种类不正确，请从列表中选择。"]
    }


def test_a_reward_has_no_period_and_needs_a_name(officer, cadre) -> None:
    reward = {
        "kind": RewardSanctionKind.REWARD,
        "decided_on": D(2024, 3, 15),
        "approving_body": "示例县人民政府",
    }
    assert refused(officer, cadre, {**reward, "name": "嘉奖", "effective_until": D(2024, 9, 14)}) == {
        "effective_until": ["奖励没有影响期和处分种类，请留空。"]
    }
    assert refused(officer, cadre, {**reward, "name": " "}) == {"name": ["请填写奖励名称。"]}
    saved = reward_sanction_record(actor=officer, cadre=cadre, data={**reward, "name": "嘉奖"})
    assert (saved.sanction_type, saved.effective_until) == ("", None)


def test_the_models_choices_are_the_rules_kinds() -> None:
    assert [(k.value, k.label) for k in rules.SanctionType] == list(SanctionType.choices)
