"""处分影响期 (``ganbu.rules.sanctions``): computed from the kind and the decision day."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ganbu.rules.eligibility import Sanction, SanctionKind
from ganbu.rules.sanctions import (
    PARTY_RULES_2015_IN_FORCE,
    PeriodError,
    SanctionType,
    impact_period,
    period_last_day,
    sanction_type_from_name,
    settle_effective_until,
)

D = dt.date
ONE = dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("kind", "months"),
    [
        (SanctionType.WARNING, 6),
        (SanctionType.DEMERIT, 12),
        (SanctionType.MAJOR_DEMERIT, 18),
        (SanctionType.DEMOTION, 24),
        (SanctionType.DISMISSAL, 24),
        (SanctionType.PARTY_WARNING, 12),
        (SanctionType.PARTY_SERIOUS_WARNING, 18),
        (SanctionType.PARTY_POST_REMOVAL, 24),
        (SanctionType.PARTY_PROBATION_ONE_YEAR, 36),
        (SanctionType.PARTY_PROBATION_TWO_YEARS, 48),
    ],
)
def test_months_of_each_kind(kind, months):
    period = impact_period(kind, D(2024, 3, 15))
    assert period.months == months and period.prescribed and not period.permanent
    # The decision day is the first day, so the period ends the day before the same day N months on.
    years, rest = divmod(3 - 1 + months, 12)
    assert period.until == D(2024 + years, rest + 1, 15) - ONE


def test_warning_boundary_days():
    """警告 of 2024-03-15: in effect on 2024-09-14, over on 2024-09-15 (DISC-01, DISC-02)."""
    until = impact_period(SanctionType.WARNING, D(2024, 3, 15)).until
    assert until == D(2024, 9, 14)
    s = Sanction(kind=SanctionKind.DISCIPLINE, name="警告", decided_on=D(2024, 3, 15), effective_until=until)
    assert s.active_on(D(2024, 3, 15)) and s.active_on(D(2024, 9, 14))
    assert not s.active_on(D(2024, 9, 15))


def test_demerit_of_2015_is_over_long_before_2024():
    """The issue's case: a 2015 记过 with no recorded end blocked a candidate in 2024."""
    until = impact_period(SanctionType.DEMERIT, D(2015, 6, 10)).until
    assert until == D(2016, 6, 9)
    s = Sanction(kind=SanctionKind.DISCIPLINE, name="记过", decided_on=D(2015, 6, 10), effective_until=until)
    assert not s.active_on(D(2024, 5, 1))


@pytest.mark.parametrize(
    ("start", "months", "last"),
    [
        (D(2024, 8, 31), 6, D(2025, 2, 28)),  # no 31 February: the month's last day
        (D(2023, 8, 31), 6, D(2024, 2, 29)),  # leap year
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2024, 1, 30), 1, D(2024, 2, 29)),
        (D(2024, 1, 29), 1, D(2024, 2, 28)),
        (D(2024, 1, 1), 12, D(2024, 12, 31)),
        (D(2024, 12, 1), 1, D(2024, 12, 31)),
        (D(2024, 12, 31), 6, D(2025, 6, 30)),
    ],
)
def test_period_last_day_at_month_ends(start, months, last):
    assert period_last_day(start, months) == last


@given(st.dates(min_value=D(1950, 1, 1), max_value=D(2090, 12, 31)), st.integers(min_value=1, max_value=60))
def test_period_last_day_is_within_the_months(start, months):
    last = period_last_day(start, months)
    # Never longer than N months (the next day is at least N months on), never shorter than N−1.
    assert last >= start
    elapsed = (last.year - start.year) * 12 + (last.month - start.month)
    assert elapsed in (months - 1, months)
    nxt = last + ONE
    assert (nxt.year - start.year) * 12 + (nxt.month - start.month) >= months


def test_period_months_must_be_positive():
    with pytest.raises(ValueError, match="正整数"):
        period_last_day(D(2024, 1, 1), 0)


def test_serious_party_warning_before_2016_is_one_year():
    """DISC-07: under the 2003 text 严重警告 blocked for one year; 18 months from 2016-01-01."""
    before = impact_period(SanctionType.PARTY_SERIOUS_WARNING, PARTY_RULES_2015_IN_FORCE - ONE)
    after = impact_period(SanctionType.PARTY_SERIOUS_WARNING, PARTY_RULES_2015_IN_FORCE)
    assert (before.months, before.rule) == (12, "DISC-07")
    assert (after.months, after.rule) == (18, "DISC-06")


def test_expulsions_are_permanent_and_admonishment_not_prescribed():
    for kind in (SanctionType.EXPULSION, SanctionType.PARTY_EXPULSION):
        period = impact_period(kind, D(2020, 1, 1))
        assert period.permanent and period.prescribed and period.until is None
    for kind in (SanctionType.ADMONISHMENT, SanctionType.ORGANIZATIONAL, SanctionType.OTHER):
        assert not impact_period(kind, D(2020, 1, 1)).prescribed


def test_basis_names_the_regulation_without_rule_ids():
    period = impact_period(SanctionType.WARNING, D(2024, 3, 15))
    assert period.basis.startswith("《中华人民共和国公职人员政务处分法》第八条")
    assert "rules.md" not in period.basis and "DISC" not in period.basis
    assert "DISC-01" in period.citation


# ---------------------------------------------------------------- settling what the officer typed


def test_blank_end_takes_the_computed_one():
    assert settle_effective_until("demerit", decided_on=D(2015, 6, 10), stated=None) == (D(2016, 6, 9), "")


def test_the_computed_end_typed_by_hand_is_no_override():
    assert settle_effective_until("warning", decided_on=D(2024, 3, 15), stated=D(2024, 9, 14)) == (
        D(2024, 9, 14),
        "",
    )


def test_a_different_end_needs_a_reason_naming_the_computed_one():
    with pytest.raises(PeriodError) as exc:
        settle_effective_until("warning", decided_on=D(2024, 3, 15), stated=D(2024, 9, 15))
    assert exc.value.field == "period_override_reason"
    assert str(exc.value) == (
        "依《中华人民共和国公职人员政务处分法》第八条：警告，六个月，该警告的影响期至2024年9月14日；"
        "填写的截止日期2024年9月15日与此不同，须在“调整理由”中说明依据（如处分决定另有规定）。"
    )
    settled = settle_effective_until(
        "warning", decided_on=D(2024, 3, 15), stated=D(2024, 9, 15), reason=" 决定书载明 "
    )
    assert settled == (D(2024, 9, 15), "决定书载明")


def test_a_reason_without_a_date_is_refused():
    with pytest.raises(PeriodError) as exc:
        settle_effective_until("warning", decided_on=D(2024, 3, 15), stated=None, reason="另有规定")
    assert exc.value.field == "effective_until"


def test_an_end_before_the_decision_is_refused():
    with pytest.raises(PeriodError, match="不能早于决定日期") as exc:
        settle_effective_until("admonishment", decided_on=D(2024, 3, 15), stated=D(2024, 3, 14))
    assert exc.value.field == "effective_until"


def test_admonishment_needs_the_decisions_end():
    with pytest.raises(PeriodError) as exc:
        settle_effective_until("admonishment", decided_on=D(2024, 3, 15), stated=None)
    assert str(exc.value) == "诫勉的影响期没有全国统一的规定，请按处理决定填写影响期截止日期。"
    assert settle_effective_until("admonishment", decided_on=D(2024, 3, 15), stated=D(2024, 9, 14)) == (
        D(2024, 9, 14),
        "",
    )


def test_an_end_for_an_expulsion_is_an_override():
    assert settle_effective_until("party_expulsion", decided_on=D(2020, 1, 1), stated=None) == (None, "")
    with pytest.raises(PeriodError) as exc:
        settle_effective_until("party_expulsion", decided_on=D(2020, 1, 1), stated=D(2025, 1, 1))
    assert exc.value.field == "period_override_reason"


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        impact_period("不符合条件", D(2020, 1, 1))


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("警告", SanctionType.WARNING),
        ("警告处分", SanctionType.WARNING),
        ("政务警告", SanctionType.WARNING),
        ("行政记过处分", SanctionType.DEMERIT),
        ("记大过", SanctionType.MAJOR_DEMERIT),
        ("降级", SanctionType.DEMOTION),
        ("撤职", SanctionType.DISMISSAL),
        ("开除公职", SanctionType.EXPULSION),
        ("党内警告", SanctionType.PARTY_WARNING),
        ("党内 严重警告", SanctionType.PARTY_SERIOUS_WARNING),
        ("严重警告处分", SanctionType.PARTY_SERIOUS_WARNING),
        ("撤销党内职务", SanctionType.PARTY_POST_REMOVAL),
        ("留党察看一年", SanctionType.PARTY_PROBATION_ONE_YEAR),
        ("留党察看两年", SanctionType.PARTY_PROBATION_TWO_YEARS),
        ("开除党籍", SanctionType.PARTY_EXPULSION),
        ("诫勉谈话", SanctionType.ADMONISHMENT),
        ("调整职务", SanctionType.ORGANIZATIONAL),
        ("通报", SanctionType.OTHER),
    ],
)
def test_kind_from_a_typed_name(name, kind):
    assert sanction_type_from_name(name) is kind


def test_every_kind_has_a_chinese_label():
    labels = [k.label for k in SanctionType]
    assert len(set(labels)) == len(labels) and all(labels)
