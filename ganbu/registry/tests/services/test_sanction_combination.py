"""Sanctions recorded with DISC-05 combination, DISC-09 county periods, DISC-16 dates, DISC-04 new
violations (issue 14, item 3), through ``reward_sanction_record`` and ``sanction_followup_update``.
"""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.policy.models import PolicyValue
from ganbu.registry.choices import OrganizationalMeasure, RewardSanctionKind, SanctionType
from ganbu.registry.models import RewardSanction
from ganbu.registry.services import reward_sanction_record
from ganbu.registry.services.sanctions import sanction_followup_update
from ganbu.registry.tests.factories import CadreFactory

D = dt.date


@pytest.fixture
def cadre(tree):
    return CadreFactory(unit=tree.station, name="王林", birth_date=D(1980, 5, 17))


def record(officer, cadre, **fields) -> RewardSanction:
    data = {
        "kind": RewardSanctionKind.SANCTION,
        "approving_body": "示例县监察委员会",
        "reason": "违反工作纪律",
    }
    data.update(fields)
    saved = reward_sanction_record(actor=officer, cadre=cadre, data=data)
    saved.refresh_from_db()
    return saved


def refused(officer, cadre, **fields) -> dict[str, list[str]]:
    rows, events = RewardSanction.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ServiceError) as exc:
        record(officer, cadre, **fields)
    assert RewardSanction.objects.count() == rows and AuditEvent.objects.count() == events
    return exc.value.message_dict if hasattr(exc.value, "error_dict") else {"": exc.value.messages}


# --- DISC-07: the 2003 and current texts by decision date, as recorded ---------------------------


def test_serious_party_warning_switches_texts_on_2016_01_01(officer, cadre) -> None:
    before = record(
        officer, cadre, sanction_type=SanctionType.PARTY_SERIOUS_WARNING, decided_on=D(2015, 12, 31)
    )
    after = record(officer, cadre, sanction_type=SanctionType.PARTY_SERIOUS_WARNING, decided_on=D(2016, 1, 1))
    assert before.effective_until == D(2016, 12, 30)  # 2003 text: one year
    assert after.effective_until == D(2017, 6, 30)  # 2015 text: one and a half years


# --- DISC-05: several violations decided together ------------------------------------------------


def test_two_demerits_together_take_the_chosen_months_within_the_range(officer, cadre) -> None:
    saved = record(
        officer, cadre, combined_kinds=["demerit", "demerit"], combined_months=18, decided_on=D(2024, 3, 15)
    )
    assert saved.sanction_type == SanctionType.DEMERIT and saved.name == "记过"
    assert (saved.combined_kinds, saved.combined_months) == ("demerit,demerit", 18)
    assert saved.effective_until == D(2025, 9, 14)
    assert "12个月以上、24个月以下" in saved.period_basis


def test_mixed_kinds_execute_the_heaviest_without_a_choice(officer, cadre) -> None:
    saved = record(officer, cadre, combined_kinds=["warning", "major_demerit"], decided_on=D(2024, 3, 15))
    assert saved.sanction_type == SanctionType.MAJOR_DEMERIT
    assert saved.effective_until == D(2025, 9, 14) and saved.combined_months == 18


def test_months_outside_the_range_are_refused_with_the_citation(officer, cadre) -> None:
    errors = refused(
        officer, cadre, combined_kinds=["demerit", "demerit"], combined_months=25, decided_on=D(2024, 3, 15)
    )
    (message,) = errors["combined_months"]
    assert "所填25个月不在此范围内" in message and "政务处分法》第十五条" in message


def test_the_combined_range_is_capped_at_48_months(officer, cadre) -> None:
    saved = record(
        officer,
        cadre,
        combined_kinds=["dismissal", "dismissal", "dismissal"],
        combined_months=48,
        decided_on=D(2024, 3, 15),
    )
    assert saved.effective_until == D(2028, 3, 14)
    assert (
        "最长不得超过四十八个月"
        in refused(
            officer, cadre, combined_kinds=["dismissal"] * 3, combined_months=49, decided_on=D(2024, 3, 15)
        )["combined_months"][0]
    )


def test_a_chosen_kind_other_than_the_heaviest_is_refused(officer, cadre) -> None:
    errors = refused(
        officer,
        cadre,
        sanction_type=SanctionType.WARNING,
        combined_kinds=["warning", "demerit"],
        decided_on=D(2024, 3, 15),
    )
    assert "执行其中最重的处分；本次应执行记过" in errors["sanction_type"][0]


def test_party_kinds_are_not_combined_by_the_government_rule(officer, cadre) -> None:
    errors = refused(officer, cadre, combined_kinds=["party_warning", "demerit"], decided_on=D(2024, 3, 15))
    assert "不是政务处分或公务员处分" in errors["combined_kinds"][0]


def test_months_without_several_violations_are_refused(officer, cadre) -> None:
    errors = refused(
        officer, cadre, sanction_type=SanctionType.DEMERIT, combined_months=12, decided_on=D(2024, 3, 15)
    )
    assert errors == {"combined_months": ["只有几个违法行为同时处理时才确定合并的处分期月数。"]}


# --- DISC-05: a new sanction while an earlier period runs ------------------------------------------


def test_a_new_sanction_during_a_running_period_adds_the_unexecuted_part(officer, cadre) -> None:
    old = record(officer, cadre, sanction_type=SanctionType.WARNING, decided_on=D(2024, 1, 10))
    assert old.effective_until == D(2024, 7, 9)
    new = record(officer, cadre, sanction_type=SanctionType.DEMERIT, decided_on=D(2024, 5, 1))
    # The old period's last day 2024-07-09, then 12 months from 2024-07-10: to 2025-07-09.
    assert new.effective_until == D(2025, 7, 9)
    assert new.combined_with_id == old.pk
    assert "2024年1月10日决定" in new.period_basis and "第十条" in new.period_basis
    event = AuditEvent.objects.filter(event_type="reward_sanction.recorded").latest("pk")
    assert event.after["combined_with"] == old.pk


def test_a_new_sanction_on_the_old_periods_last_day_combines_and_the_day_after_does_not(
    officer, cadre
) -> None:
    old = record(officer, cadre, sanction_type=SanctionType.WARNING, decided_on=D(2024, 1, 10))
    on_last = record(officer, cadre, sanction_type=SanctionType.WARNING, decided_on=D(2024, 7, 9))
    assert on_last.combined_with_id == old.pk and on_last.effective_until == D(2025, 1, 9)
    # The combined row now carries the period; a sanction after its end stands alone.
    alone = record(officer, cadre, sanction_type=SanctionType.WARNING, decided_on=D(2025, 1, 10))
    assert alone.combined_with_id is None and alone.effective_until == D(2025, 7, 9)


def test_a_chain_combines_with_the_newest_row_only(officer, cadre) -> None:
    first = record(officer, cadre, sanction_type=SanctionType.DEMERIT, decided_on=D(2024, 1, 10))
    second = record(officer, cadre, sanction_type=SanctionType.WARNING, decided_on=D(2024, 6, 1))
    third = record(officer, cadre, sanction_type=SanctionType.WARNING, decided_on=D(2024, 8, 1))
    assert second.combined_with_id == first.pk and second.effective_until == D(2025, 7, 9)
    assert third.combined_with_id == second.pk and third.effective_until == D(2026, 1, 9)


def test_a_new_period_is_cut_at_48_months_from_the_new_decision(officer, cadre) -> None:
    record(officer, cadre, combined_kinds=["dismissal"] * 2, combined_months=48, decided_on=D(2024, 1, 10))
    new = record(officer, cadre, sanction_type=SanctionType.DISMISSAL, decided_on=D(2024, 2, 1))
    assert new.effective_until == D(2028, 1, 31)


def test_a_party_sanction_does_not_combine_with_a_government_one(officer, cadre) -> None:
    record(officer, cadre, sanction_type=SanctionType.DEMERIT, decided_on=D(2024, 1, 10))
    party = record(officer, cadre, sanction_type=SanctionType.PARTY_WARNING, decided_on=D(2024, 2, 1))
    assert party.combined_with_id is None and party.effective_until == D(2025, 1, 31)


def test_a_stated_end_differing_from_the_combined_one_needs_a_reason(officer, cadre) -> None:
    record(officer, cadre, sanction_type=SanctionType.WARNING, decided_on=D(2024, 1, 10))
    errors = refused(
        officer,
        cadre,
        sanction_type=SanctionType.DEMERIT,
        decided_on=D(2024, 5, 1),
        effective_until=D(2025, 4, 30),
    )
    assert "合并后处分的影响期至2025年7月9日" in errors["period_override_reason"][0]


# --- DISC-04: a new violation during the period ------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_noted_new_violation_is_settled_by_the_next_sanction(officer, cadre) -> None:
    old = record(officer, cadre, sanction_type=SanctionType.WARNING, decided_on=D(2024, 1, 10))
    sanction_followup_update(actor=officer, sanction=old, data={"new_violation_pending": True}, reason="线索")
    old.refresh_from_db()
    assert old.new_violation_pending
    record(officer, cadre, sanction_type=SanctionType.WARNING, decided_on=D(2024, 9, 1))
    old.refresh_from_db()
    assert not old.new_violation_pending
    assert AuditEvent.objects.filter(
        event_type="reward_sanction.new_violation_settled", target_id=str(old.pk)
    ).exists()


# --- DISC-09: 问责 measures with the county's months -------------------------------------------------


def test_removal_takes_the_county_months_and_cites_them(officer, cadre) -> None:
    saved = record(
        officer,
        cadre,
        sanction_type=SanctionType.ORGANIZATIONAL,
        organizational_measure=OrganizationalMeasure.REMOVAL,
        decided_on=D(2024, 3, 15),
    )
    assert saved.effective_until == D(2025, 3, 14)
    assert "DISC-09" in saved.period_basis and "默认值" in saved.period_basis


def test_demotion_reads_the_policy_value_in_force_on_the_decision_day(officer, cadre) -> None:
    PolicyValue.objects.create(
        key="sanctions.demotion_months",
        value="36",
        effective_from=D(2024, 1, 1),
        note="县委决定",
        set_by=officer,
    )
    saved = record(
        officer,
        cadre,
        sanction_type=SanctionType.ORGANIZATIONAL,
        organizational_measure=OrganizationalMeasure.DEMOTION,
        decided_on=D(2024, 3, 15),
    )
    assert saved.effective_until == D(2027, 3, 14) and "县委决定" in saved.period_basis


def test_other_measures_need_the_decisions_end(officer, cadre) -> None:
    errors = refused(
        officer,
        cadre,
        sanction_type=SanctionType.ORGANIZATIONAL,
        organizational_measure=OrganizationalMeasure.OTHER,
        decided_on=D(2024, 3, 15),
    )
    assert "effective_until" in errors


def test_a_measure_on_another_kind_is_refused(officer, cadre) -> None:
    errors = refused(
        officer,
        cadre,
        sanction_type=SanctionType.DEMERIT,
        organizational_measure=OrganizationalMeasure.REMOVAL,
        decided_on=D(2024, 3, 15),
    )
    assert "organizational_measure" in errors


# --- DISC-16: the dates deadlines run from ----------------------------------------------------------


def test_known_on_is_recorded_and_may_not_precede_the_decision(officer, cadre) -> None:
    saved = record(
        officer, cadre, sanction_type=SanctionType.WARNING, decided_on=D(2024, 3, 15), known_on=D(2024, 3, 18)
    )
    assert saved.known_on == D(2024, 3, 18)
    errors = refused(
        officer, cadre, sanction_type=SanctionType.WARNING, decided_on=D(2024, 3, 15), known_on=D(2024, 3, 1)
    )
    assert errors == {"known_on": ["知道处理决定之日不能早于决定日期。"]}


@pytest.mark.django_db(transaction=True)
def test_followup_dates_are_checked_in_order_and_audited(officer, cadre) -> None:
    saved = record(
        officer, cadre, sanction_type=SanctionType.WARNING, decided_on=D(2024, 3, 15), known_on=D(2024, 3, 18)
    )
    with pytest.raises(ServiceError) as exc:
        sanction_followup_update(actor=officer, sanction=saved, data={"review_received_on": D(2024, 3, 17)})
    assert exc.value.message_dict == {"review_received_on": ["接到复核申请书之日不能早于知道处理决定之日。"]}
    sanction_followup_update(actor=officer, sanction=saved, data={"review_received_on": D(2024, 4, 1)})
    saved.refresh_from_db()
    assert saved.review_received_on == D(2024, 4, 1)
    assert AuditEvent.objects.filter(event_type="reward_sanction.followup_updated").count() == 1


def test_a_reward_takes_no_sanction_fields(officer, cadre) -> None:
    errors = refused(
        officer,
        cadre,
        kind=RewardSanctionKind.REWARD,
        name="嘉奖",
        decided_on=D(2024, 3, 15),
        known_on=D(2024, 3, 18),
    )
    assert "known_on" in errors


def test_an_out_of_scope_officer_is_refused_before_anything_is_read(unit_officer, cadre, tree) -> None:
    other = CadreFactory(unit=tree.town, name="李四", birth_date=D(1980, 1, 1))
    with pytest.raises(ServiceError):
        reward_sanction_record(
            actor=unit_officer,
            cadre=other,
            data={
                "kind": RewardSanctionKind.SANCTION,
                "sanction_type": "warning",
                "decided_on": D(2024, 1, 1),
                "approving_body": "x",
            },
        )


def test_an_admonishment_during_a_running_warning_keeps_its_own_end(officer, cadre) -> None:
    record(officer, cadre, sanction_type=SanctionType.WARNING, decided_on=D(2024, 1, 10))
    admonished = record(
        officer,
        cadre,
        sanction_type=SanctionType.ADMONISHMENT,
        decided_on=D(2024, 3, 1),
        effective_until=D(2024, 8, 31),
    )
    assert admonished.combined_with_id is None and admonished.effective_until == D(2024, 8, 31)


def test_a_supervisor_records_a_sanction_but_not_a_reward(make_user, cadre) -> None:
    supervisor = make_user("supervisor")
    saved = record(supervisor, cadre, sanction_type=SanctionType.WARNING, decided_on=D(2024, 1, 10))
    assert saved.effective_until == D(2024, 7, 9)
    errors = refused(
        supervisor, cadre, kind=RewardSanctionKind.REWARD, name="嘉奖", decided_on=D(2024, 3, 15)
    )
    assert errors  # the registry's own refusal: the role may not edit the record
