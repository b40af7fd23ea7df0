"""Boundary tests for the training rules (TRN-01…07, ganbu/rules/training.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from ganbu.rules import training as tr
from ganbu.rules.inputs import RuleInputError, RuleTypeError

D = dt.date


def span(start: dt.date, end: dt.date, hours: int | Fraction) -> tr.ClassSpan:
    return tr.ClassSpan.of(start, end, hours)


# ---------------------------------------------------------------- levels


def test_every_registry_rank_maps_to_the_section_quota() -> None:
    from ganbu.registry.choices import Rank

    assert set(tr.RANK_LEVELS) == set(Rank.values)
    assert {tr.training_level(rank) for rank in Rank.values} == {tr.TrainingLevel.SECTION}
    with pytest.raises(RuleInputError):
        tr.training_level("county_head")


# ---------------------------------------------------------------- proration at a window's edge


def test_a_class_spanning_the_edge_counts_only_its_days_inside_and_hours_in_proportion() -> None:
    # 10 days (28 Dec – 6 Jan), 80 hours: 4 days in the old year, 6 in the new.
    cls = span(D(2023, 12, 28), D(2024, 1, 6), 80)
    assert cls.days == 10
    assert tr.credit_within([cls], D(2024, 1, 1), D(2024, 12, 31)) == tr.Credit(6, Fraction(48))
    assert tr.credit_within([cls], D(2023, 1, 1), D(2023, 12, 31)) == tr.Credit(4, Fraction(32))
    # A class entirely outside counts nothing; a one-day class on the edge day counts whole.
    assert tr.credit_within(
        [span(D(2022, 5, 1), D(2022, 5, 3), 24)], D(2023, 1, 1), D(2023, 12, 31)
    ) == tr.Credit(0, Fraction(0))
    assert tr.credit_within(
        [span(D(2023, 1, 1), D(2023, 1, 1), 8)], D(2023, 1, 1), D(2023, 12, 31)
    ) == tr.Credit(1, Fraction(8))


def test_proration_is_exact() -> None:
    cls = span(D(2024, 12, 31), D(2025, 1, 2), 10)  # 3 days, 10 hours: 1 day inside → 10/3
    assert tr.credit_within([cls], D(2025, 1, 1), D(2025, 1, 1)).hours == Fraction(10, 3)


# ---------------------------------------------------------------- TRN-01


def test_five_year_window_ends_on_the_day_and_starts_the_day_after_five_years_back() -> None:
    assert tr.five_year_window(D(2026, 6, 30)) == (D(2021, 7, 1), D(2026, 6, 30))


def test_county_quota_550_hours_passes_549_fails() -> None:
    on = D(2026, 6, 30)
    assert tr.check_county_quota([span(D(2023, 3, 1), D(2023, 3, 20), 550)], on).ok
    verdict = tr.check_county_quota([span(D(2023, 3, 1), D(2023, 3, 20), 549)], on)
    assert not verdict.ok
    assert verdict.reasons[0].rule == "TRN-01"
    assert "549学时" in verdict.reasons[0].message
    assert "第十四条" in verdict.reasons[0].citation


def test_county_quota_90_days_pass_89_fail() -> None:
    on = D(2026, 6, 30)
    assert tr.check_county_quota([span(D(2024, 1, 1), D(2024, 3, 30), 300)], on).ok  # 90 days
    assert not tr.check_county_quota([span(D(2024, 1, 1), D(2024, 3, 29), 300)], on).ok  # 89 days


def test_county_quota_with_a_class_spanning_the_window_start() -> None:
    # Window for 30 June 2026: 1 July 2021 – 30 June 2026. A 20-day class of 200 hours from
    # 21 June to 10 July 2021 has 10 days (100 hours) inside; with 450 hours more: 550 → passes.
    edge = span(D(2021, 6, 21), D(2021, 7, 10), 200)
    rest = span(D(2024, 3, 1), D(2024, 3, 30), 450)
    assert tr.check_county_quota([edge, rest], D(2026, 6, 30)).ok
    # One day later the window starts on 2 July 2021: 9 days inside, 90 hours → 540, fails.
    later = tr.check_county_quota([edge, rest], D(2026, 7, 1))
    assert not later.ok
    assert "540学时" in later.reasons[0].message


# ---------------------------------------------------------------- TRN-02


def test_section_quota_boundaries() -> None:
    assert tr.check_section_quota([span(D(2025, 3, 1), D(2025, 3, 12), 40)], 2025).ok  # 12 days
    assert tr.check_section_quota([span(D(2025, 3, 1), D(2025, 3, 2), 90)], 2025).ok  # 90 hours
    verdict = tr.check_section_quota([span(D(2025, 3, 1), D(2025, 3, 11), 89)], 2025)
    assert not verdict.ok
    assert verdict.reasons[0].rule == "TRN-02"
    assert "11天、89学时" in verdict.reasons[0].message


def test_section_quota_counts_a_class_across_new_year_in_both_years() -> None:
    cls = span(D(2024, 12, 25), D(2025, 1, 7), 140)  # 14 days, 10 hours a day: 7 + 7
    assert not tr.check_section_quota([cls], 2024).ok  # 7 days, 70 hours
    assert not tr.check_section_quota([cls], 2025).ok
    assert tr.check_quota(
        tr.TrainingLevel.SECTION, [cls, span(D(2025, 5, 1), D(2025, 5, 5), 20)], D(2025, 6, 1)
    ).ok


# ---------------------------------------------------------------- TRN-03 / TRN-06


def test_appointment_training_due_a_year_after_promotion_the_day_itself_in_time() -> None:
    promoted = D(2025, 3, 10)
    assert tr.appointment_training_due(promoted) == D(2026, 3, 10)
    assert tr.appointment_training_state(promoted, None, D(2026, 3, 10)) is tr.AppointmentState.PENDING
    assert tr.check_appointment_training(promoted, None, D(2026, 3, 10)).ok
    assert tr.appointment_training_state(promoted, None, D(2026, 3, 11)) is tr.AppointmentState.OVERDUE
    verdict = tr.check_appointment_training(promoted, None, D(2026, 3, 11))
    assert not verdict.ok and verdict.reasons[0].rule == "TRN-03"
    assert "公务员法》第六十七条" in verdict.reasons[0].citation
    assert tr.appointment_training_state(promoted, D(2025, 6, 1), D(2026, 3, 11)) is tr.AppointmentState.DONE


def test_appointment_training_due_from_29_february() -> None:
    assert tr.appointment_training_due(D(2024, 2, 29)) == D(2025, 3, 1)


# ---------------------------------------------------------------- TRN-04


def test_absence_exactly_one_seventh_is_allowed_above_it_withdrawn() -> None:
    assert tr.check_absence(70, 10).ok
    verdict = tr.check_absence(70, Fraction(101, 10))
    assert not verdict.ok and verdict.reasons[0].rule == "TRN-04"
    assert "应予退学" in verdict.reasons[0].message
    assert "第十五条" in verdict.reasons[0].citation
    # 40 hours: the cap is 40/7 = 5.714…; 5.71 passes, 5.72 does not (exact, no float).
    assert tr.check_absence(40, Decimal("5.71")).ok
    assert not tr.check_absence(40, Decimal("5.72")).ok
    assert tr.check_absence(40, Fraction(40, 7)).ok
    assert tr.absence_limit(40) == Fraction(40, 7)


def test_absence_refuses_floats_and_nonsense() -> None:
    with pytest.raises(RuleTypeError):
        tr.check_absence(70, 10.0)
    with pytest.raises(RuleInputError):
        tr.check_absence(70, 71)
    with pytest.raises(RuleInputError):
        tr.check_absence(0, 0)


# ---------------------------------------------------------------- TRN-05


def test_online_hours_against_the_county_value() -> None:
    assert tr.check_online_hours(50, 50, 2025).ok
    verdict = tr.check_online_hours(49, 50, 2025)
    assert not verdict.ok and verdict.reasons[0].rule == "TRN-05"


# ---------------------------------------------------------------- TRN-07


def test_cycle_trained_on_the_first_day_counts_the_day_before_does_not() -> None:
    on = D(2026, 12, 7)
    assert tr.cycle_window(on, 4) == (D(2022, 12, 8), on)
    assert tr.check_cycle(D(2022, 12, 8), on, 4).ok
    verdict = tr.check_cycle(D(2022, 12, 7), on, 4)
    assert not verdict.ok and verdict.reasons[0].rule == "TRN-07"
    assert "2022年12月7日结业" in verdict.reasons[0].message
    assert "从未参加培训" in tr.check_cycle(None, on, 4).reasons[0].message


def test_coverage_share() -> None:
    assert tr.coverage_share(3, 4) == Fraction(3, 4)
    assert tr.coverage_share(0, 0) == 0
    with pytest.raises(RuleInputError):
        tr.coverage_share(5, 4)


def test_span_refuses_end_before_start() -> None:
    with pytest.raises(RuleInputError):
        tr.ClassSpan.of(D(2025, 1, 2), D(2025, 1, 1), 8)
    with pytest.raises(RuleTypeError):
        tr.ClassSpan.of(dt.datetime(2025, 1, 1, 8, tzinfo=dt.UTC), D(2025, 1, 2), 8)
