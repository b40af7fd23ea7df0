"""Assessment services: rounds, entries, the 优秀 quota, sanctions, the registry and consequences."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ganbu.assessment import services
from ganbu.assessment.models import Consequence, ConsequenceKind, ConsequenceStatus, RoundEntry, RoundStatus
from ganbu.core.models import AuditEvent
from ganbu.registry import services as registry
from ganbu.registry.models import Assessment, RewardSanction
from ganbu.registry.tests.factories import CadreFactory
from ganbu.voting.choices import BallotKind
from ganbu.voting.models import BallotItem

from .conftest import CLOSED, HELD


def _close(officer, assessment_round, **extra):
    return services.round_close(
        actor=officer, assessment_round=assessment_round, data=services.CloseInput(closed_on=CLOSED, **extra)
    )


def _messages(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


def test_fill_adds_the_units_serving_cadres(annual, finance_cadres, tree):
    CadreFactory(unit=tree.forestry)
    assert sorted(e.cadre_id for e in annual.entries.all()) == sorted(c.pk for c in finance_cadres)
    assert annual.title == "县财政局2024年度考核"


def test_unit_officer_of_another_unit_is_refused(unit_officer, tree):
    with pytest.raises(ValidationError, match="不在您的管理范围内"):
        services.round_create(actor=unit_officer, unit=tree.finance, year=2024, held_on=HELD)


def test_org_leader_may_not_manage(make_user, tree):
    with pytest.raises(ValidationError, match="不能办理考核"):
        services.round_create(actor=make_user("org_leader"), unit=tree.finance, year=2024, held_on=HELD)


def test_cadre_of_another_unit_is_refused(officer, annual, tree):
    other = CadreFactory(unit=tree.forestry)
    with pytest.raises(ValidationError, match="不是县财政局的干部"):
        services.entries_add(actor=officer, assessment_round=annual, cadres=[other])


def test_scores_out_of_range_refused(officer, annual):
    entry = annual.entries.first()
    with pytest.raises(ValidationError, match="「德」分数应在 0 至 100 之间"):
        services.entry_set(actor=officer, entry=entry, data=services.EntryInput(morality=101))


def test_quota_within_general_share_closes(officer, annual, grade, finance_cadres):
    grade(annual, {finance_cadres[0]: "excellent"})
    closed = _close(officer, annual)
    assert closed.status == RoundStatus.CLOSED


def test_quota_above_general_share_refused_without_approval(officer, annual, grade, finance_cadres):
    grade(annual, {finance_cadres[0]: "excellent", finance_cadres[1]: "excellent"})
    with pytest.raises(ValidationError) as exc:
        _close(officer, annual)
    text = _messages(exc)
    assert (
        "参加考核 8 人，拟定优秀 2 人" in text and "2020年《公务员考核规定》" in text and "尚未批准" in text
    )
    annual.refresh_from_db()
    assert annual.status == RoundStatus.OPEN
    assert not Assessment.objects.exists()


def test_quota_above_general_share_accepted_with_approval(officer, annual, grade, finance_cadres):
    grade(annual, {finance_cadres[0]: "excellent", finance_cadres[1]: "excellent"})
    with pytest.raises(ValidationError, match="须写明批准依据"):
        _close(officer, annual, higher_ceiling_approved=True)
    closed = _close(
        officer, annual, higher_ceiling_approved=True, approval_note="县委组织部示组函〔2025〕3号"
    )
    assert closed.higher_ceiling_approved


def test_quota_above_maximum_refused_even_with_approval(officer, annual, grade, finance_cadres):
    grade(annual, dict.fromkeys(finance_cadres[:3], "excellent"))
    with pytest.raises(ValidationError, match="超过最高比例 1 人"):
        _close(officer, annual, higher_ceiling_approved=True, approval_note="批准")


def test_quota_version_by_the_rounds_day(officer, tree, finance_cadres, grade):
    # Held in 2019: the 2007 rules, 15% of 8 → 1, at most 20% → 1.
    old = services.round_create(actor=officer, unit=tree.finance, year=2018, held_on=dt.date(2019, 1, 10))
    services.entries_fill(actor=officer, assessment_round=old)
    grade(old, {finance_cadres[0]: "excellent", finance_cadres[1]: "excellent"})
    with pytest.raises(ValidationError, match="2007年《公务员考核规定（试行）》"):
        services.round_close(
            actor=officer, assessment_round=old, data=services.CloseInput(closed_on=dt.date(2019, 1, 20))
        )


def test_close_writes_the_registrys_annual_grade(officer, annual, grade, finance_cadres):
    grade(annual, {finance_cadres[0]: "excellent", finance_cadres[1]: "basic"})
    _close(officer, annual)
    grades = dict(Assessment.objects.filter(year=2024).values_list("cadre_id", "grade"))
    assert grades[finance_cadres[0].pk] == "excellent"
    assert grades[finance_cadres[1].pk] == "basic"
    assert grades[finance_cadres[2].pk] == "competent"
    assert len(grades) == 8
    assert AuditEvent.objects.filter(event_type="assessment.round_closed").count() == 1
    assert AuditEvent.objects.filter(event_type="assessment.recorded").count() == 8


def test_close_refused_when_a_grade_is_already_on_record(officer, annual, grade, finance_cadres):
    registry.assessment_record(actor=officer, cadre=finance_cadres[3], year=2024, grade="competent")
    grade(annual)
    with pytest.raises(ValidationError, match="2024年度考核结果已登记为「称职」"):
        _close(officer, annual)
    assert Assessment.objects.count() == 1


def test_close_refused_with_an_ungraded_entry(officer, annual):
    with pytest.raises(ValidationError, match="尚未确定等次"):
        _close(officer, annual)


def test_non_annual_round_does_not_touch_the_registry(officer, tree, finance_cadres, grade):
    special = services.round_create(actor=officer, unit=tree.finance, year=2024, held_on=HELD, kind="special")
    services.entries_fill(actor=officer, assessment_round=special)
    grade(special, default="excellent")
    services.round_close(actor=officer, assessment_round=special, data=services.CloseInput(closed_on=CLOSED))
    assert not Assessment.objects.exists()


def _sanction(officer, cadre, kind: str, on: dt.date) -> None:
    # A registry row as the sanctions service leaves it (the rule reads only kind and day).
    RewardSanction.objects.create(
        cadre=cadre, kind="sanction", name=kind, sanction_type=kind, decided_on=on, approving_body="县纪委"
    )


def test_sanction_year_constraint_refuses_the_grade(officer, annual, finance_cadres):
    _sanction(officer, finance_cadres[0], "warning", dt.date(2024, 6, 1))
    entry = annual.entries.get(cadre=finance_cadres[0])
    with pytest.raises(ValidationError) as exc:
        services.entry_set(actor=officer, entry=entry, data=services.EntryInput(final_grade="excellent"))
    assert "不得确定为优秀等次" in _messages(exc) and "受警告处分的当年" in _messages(exc)
    services.entry_set(actor=officer, entry=entry, data=services.EntryInput(final_grade="competent"))


def test_sanction_check_at_close_stores_the_constraint(officer, annual, grade, finance_cadres):
    grade(annual)
    # Recorded after the grade was set: the close checks again.
    _sanction(officer, finance_cadres[0], "demerit", dt.date(2024, 6, 1))
    with pytest.raises(ValidationError, match="只写评语，不确定等次"):
        _close(officer, annual)
    entry = annual.entries.get(cadre=finance_cadres[0])
    services.entry_set(actor=officer, entry=entry, data=services.EntryInput(final_grade="ungraded"))
    _close(officer, annual)
    entry.refresh_from_db()
    assert entry.constraint == "不确定等次"
    assert Assessment.objects.get(cadre=finance_cadres[0], year=2024).grade == "ungraded"


def test_unit_officer_is_not_told_which_sanction(officer, finance_officer, annual, finance_cadres):
    _sanction(officer, finance_cadres[0], "warning", dt.date(2024, 6, 1))
    entry = annual.entries.get(cadre=finance_cadres[0])
    with pytest.raises(ValidationError) as exc:
        services.entry_set(
            actor=finance_officer, entry=entry, data=services.EntryInput(final_grade="excellent")
        )
    assert "须由组织部干部科确定等次" in _messages(exc) and "警告" not in _messages(exc).replace("组通字", "")


def test_one_incompetent_lists_the_demotion(officer, annual, grade, finance_cadres):
    grade(annual, {finance_cadres[0]: "incompetent"})
    _close(officer, annual)
    [consequence] = Consequence.objects.all()
    assert consequence.kind == ConsequenceKind.DEMOTION and consequence.rule == "EVAL-02"
    assert consequence.status == ConsequenceStatus.OPEN
    assert "第五十条" in consequence.citation


def test_two_consecutive_incompetent_lead_to_dismissal(officer, annual, grade, finance_cadres):
    registry.assessment_record(actor=officer, cadre=finance_cadres[0], year=2023, grade="incompetent")
    grade(annual, {finance_cadres[0]: "incompetent"})
    _close(officer, annual)
    [consequence] = Consequence.objects.all()
    assert consequence.kind == ConsequenceKind.DISMISSAL and consequence.rule == "EVAL-03"
    assert "连续两年被确定为不称职，应予辞退" in consequence.message


def test_two_consecutive_incompetent_with_a_blocker(officer, annual, grade, finance_cadres):
    registry.assessment_record(actor=officer, cadre=finance_cadres[0], year=2023, grade="incompetent")
    grade(annual, {finance_cadres[0]: "incompetent"})
    entry = annual.entries.get(cadre=finance_cadres[0])
    services.entry_set(
        actor=officer,
        entry=entry,
        data=services.EntryInput(
            final_grade="incompetent", blocker_kind="medical_period", blocker_start=dt.date(2024, 12, 1)
        ),
    )
    _close(officer, annual)
    [consequence] = Consequence.objects.all()
    assert consequence.kind == ConsequenceKind.DEMOTION
    assert "患病或者负伤，在规定的医疗期内" in consequence.message and "不得辞退" in consequence.message
    assert "第八十九条" in consequence.citation


def test_fifth_competent_year_lists_the_grade_step(officer, annual, grade, finance_cadres):
    for year in (2020, 2021, 2022, 2023):
        registry.assessment_record(actor=officer, cadre=finance_cadres[0], year=year, grade="competent")
    grade(annual)
    _close(officer, annual)
    [consequence] = Consequence.objects.all()
    assert consequence.kind == ConsequenceKind.GRADE_STEP and consequence.rule == "EVAL-12"
    assert "累计满五年" in consequence.message


def test_handle_a_consequence(officer, annual, grade, finance_cadres):
    grade(annual, {finance_cadres[0]: "incompetent"})
    _close(officer, annual)
    consequence = Consequence.objects.get()
    with pytest.raises(ValidationError, match="请填写办理情况"):
        services.consequence_handle(actor=officer, consequence=consequence, handled_on=CLOSED, note=" ")
    handled = services.consequence_handle(
        actor=officer, consequence=consequence, handled_on=CLOSED, note="已按程序降职"
    )
    assert handled.status == ConsequenceStatus.HANDLED
    with pytest.raises(ValidationError, match="已于"):
        services.consequence_handle(actor=officer, consequence=consequence, handled_on=CLOSED, note="再次")


def test_closed_round_cannot_change(officer, annual, grade):
    grade(annual)
    _close(officer, annual)
    entry = annual.entries.first()
    with pytest.raises(ValidationError, match="已于2025年1月20日完成"):
        services.entry_set(actor=officer, entry=entry, data=services.EntryInput(final_grade="excellent"))


def test_ballot_created_through_the_voting_engine(officer, annual, finance_cadres):
    ballot = services.round_ballot_create(actor=officer, assessment_round=annual)
    annual.refresh_from_db()
    assert annual.ballot == ballot and ballot.kind == BallotKind.EVALUATION
    assert sorted(BallotItem.objects.filter(ballot=ballot).values_list("cadre_id", flat=True)) == sorted(
        c.pk for c in finance_cadres
    )
    with pytest.raises(ValidationError, match="已关联民主测评"):
        services.round_ballot_create(actor=officer, assessment_round=annual)


def test_attach_refuses_a_ballot_of_another_unit(officer, annual, tree):
    from ganbu.voting import services as voting

    other = voting.ballot_create(
        actor=officer, kind=BallotKind.EVALUATION, title="林业局测评", unit=tree.forestry
    )
    with pytest.raises(ValidationError, match="不属于县财政局"):
        services.round_ballot_attach(actor=officer, assessment_round=annual, ballot=other)
    recommendation = voting.ballot_create(
        actor=officer, kind=BallotKind.RECOMMENDATION, title="推荐", unit=tree.finance
    )
    with pytest.raises(ValidationError, match="不是民主测评"):
        services.round_ballot_attach(actor=officer, assessment_round=annual, ballot=recommendation)


def test_entry_remove(officer, annual):
    entry = annual.entries.first()
    services.entry_remove(actor=officer, entry=entry)
    assert not RoundEntry.objects.filter(pk=entry.pk).exists()
