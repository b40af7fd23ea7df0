"""任职试用期 and 任后反响 (``ganbu.rules.probation``)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ganbu.rules.probation import (
    Organ,
    ProbationPostFacts,
    Role,
    feedback_due,
    feedback_overdue_reason,
    on_probation,
    one_month_after,
    probation_counts_toward_tenure,
    probation_end,
    probation_ends_within,
    probation_required,
    probation_scope_reason,
    probation_start_reason,
)

D = dt.date
ONE = dt.timedelta(days=1)


# ---------------------------------------------------------------- dates


def test_probation_ends_on_the_anniversary() -> None:
    assert probation_end(D(2002, 11, 15)) == D(2003, 11, 15)
    assert probation_end(D(2024, 2, 29)) == D(2025, 3, 1)
    assert probation_end(D(2023, 2, 28)) == D(2024, 2, 28)
    assert probation_end(D(2024, 3, 1), years=2) == D(2026, 3, 1)


def test_on_probation_bounds() -> None:
    notice = D(2002, 11, 15)
    assert not on_probation(notice, D(2002, 11, 14))
    assert on_probation(notice, notice)
    assert on_probation(notice, D(2003, 11, 14))
    assert not on_probation(notice, D(2003, 11, 15))


def test_probation_ending_within_n_days() -> None:
    notice = D(2024, 7, 1)  # ends 2025-07-01
    assert probation_ends_within(notice, D(2025, 6, 1), 30)
    assert not probation_ends_within(notice, D(2025, 5, 31), 30)
    assert probation_ends_within(notice, D(2025, 7, 1), 0)
    assert not probation_ends_within(notice, D(2025, 7, 2), 30)  # already complete
    with pytest.raises(ValueError):
        probation_ends_within(notice, D(2025, 6, 1), -1)


def test_start_reason_names_the_last_day() -> None:
    r = probation_start_reason(D(2024, 2, 29))
    assert r.rule == "APPT-07"
    assert "至2025年2月28日" in r.message
    assert "2025年3月1日期满" in r.message
    assert "第七条" in r.citation


def test_probation_counts_toward_tenure_once_confirmed() -> None:
    assert probation_counts_toward_tenure(True) is True
    assert probation_counts_toward_tenure(False) is False


@pytest.mark.parametrize(
    ("appointed", "due"),
    [
        (D(2025, 1, 15), D(2025, 2, 15)),
        (D(2025, 1, 31), D(2025, 2, 28)),
        (D(2024, 1, 31), D(2024, 2, 29)),
        (D(2025, 3, 31), D(2025, 4, 30)),
        (D(2025, 12, 15), D(2026, 1, 15)),
        (D(2025, 12, 31), D(2026, 1, 31)),
    ],
)
def test_feedback_due_one_month_later(appointed: dt.date, due: dt.date) -> None:
    assert feedback_due(appointed) == due


def test_feedback_overdue() -> None:
    assert feedback_overdue_reason(D(2025, 1, 31), D(2025, 2, 28)) is None
    r = feedback_overdue_reason(D(2025, 1, 31), D(2025, 3, 3))
    assert r is not None
    assert "已逾期 3 天" in r.message
    assert "地方做法" in r.citation


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2030, 12, 31)))
def test_one_month_is_within_28_to_31_days(day: dt.date) -> None:
    due = one_month_after(day)
    assert 28 <= (due - day).days <= 31
    assert due.month == (day.month % 12) + 1


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2030, 12, 31)))
def test_probation_lasts_a_year(notice: dt.date) -> None:
    end = probation_end(notice)
    assert (end - notice).days in (365, 366)
    assert on_probation(notice, end - ONE) and not on_probation(notice, end)


# ---------------------------------------------------------------- which posts (APPT-04/05/07)


def post(organ: Organ, role: Role, **kw: bool) -> ProbationPostFacts:
    return ProbationPostFacts(organ=organ, role=role, **kw)


@pytest.mark.parametrize(
    ("facts", "required"),
    [
        (post(Organ.WORKING_DEPARTMENT, Role.DEPUTY), True),
        (post(Organ.WORKING_DEPARTMENT, Role.INTERNAL_LEADER), True),
        (post(Organ.WORKING_DEPARTMENT, Role.CHIEF), False),
        (post(Organ.WORKING_DEPARTMENT, Role.DEPUTY, elected=True), False),
        (post(Organ.WORKING_DEPARTMENT, Role.DEPUTY, is_promotion=False), False),
        (post(Organ.WORKING_DEPARTMENT, Role.DEPUTY, above_bureau_level=True), False),
        (post(Organ.DISCIPLINE_INTERNAL, Role.INTERNAL_LEADER), True),
        (post(Organ.DISCIPLINE_INTERNAL, Role.DEPUTY), False),
        (post(Organ.COURT_OR_PROCURATORATE_INTERNAL, Role.INTERNAL_LEADER), True),
        (
            post(Organ.COURT_OR_PROCURATORATE_INTERNAL, Role.INTERNAL_LEADER, appointed_by_congress=True),
            False,
        ),
        (post(Organ.PUBLIC_INSTITUTION, Role.CHIEF), True),
        (post(Organ.DISCIPLINE_DISPATCHED, Role.DEPUTY), True),
        (post(Organ.OTHER, Role.DEPUTY), False),
    ],
)
def test_probation_scope(facts: ProbationPostFacts, required: bool) -> None:
    assert probation_required(facts) is required
    assert (probation_scope_reason(facts) is not None) is required


def test_2019_additions_are_unconfirmed_and_can_be_switched_off() -> None:
    institution = post(Organ.PUBLIC_INSTITUTION, Role.DEPUTY)
    reason = probation_scope_reason(institution)
    assert reason is not None
    assert "UNCONFIRMED" in reason.citation
    assert not probation_required(institution, include_2019_additions=False)
    assert probation_required(post(Organ.WORKING_DEPARTMENT, Role.DEPUTY), include_2019_additions=False)


def test_same_level_move_from_non_leadership_post() -> None:
    facts = post(
        Organ.WORKING_DEPARTMENT, Role.DEPUTY, is_promotion=False, from_non_leadership_same_level=True
    )
    reason = probation_scope_reason(facts)
    assert reason is not None
    assert "由非领导职务转任同级" in reason.message
    assert "APPT-07" in reason.citation


def test_scope_reason_text() -> None:
    reason = probation_scope_reason(post(Organ.WORKING_DEPARTMENT, Role.DEPUTY))
    assert reason is not None
    assert reason.rule == "APPT-04"
    assert (
        reason.message == "提拔担任非选举产生的党委、人大常委会、政府、政协工作部门副职，实行一年任职试用期。"
    )
    assert "第四十二条" in reason.citation
