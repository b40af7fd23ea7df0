"""Tenure derivation (``ganbu.rules.tenure``): pure, no Django, no database."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from ganbu.rules.tenure import (
    TenureFacts,
    career_history,
    current_tenures,
    is_current,
    months_in_post,
    overlapping,
    years_in_post,
)

D = dt.date


def tenure(post_id: int, start: dt.date, end: dt.date | None = None, *, leader: bool = False) -> TenureFacts:
    """A tenure of post ``post_id`` over [start, end)."""
    return TenureFacts(
        post_id=post_id,
        post_title=f"职位{post_id}",
        unit_name="县财政局",
        start=start,
        end=end,
        is_leadership=leader,
    )


# ---------------------------------------------------------------- current on a date


def test_current_from_the_start_date_inclusive() -> None:
    t = tenure(1, D(2020, 3, 1), D(2022, 3, 1))
    assert not is_current(t, D(2020, 2, 29))
    assert is_current(t, D(2020, 3, 1))


def test_not_current_on_the_end_date_exclusive() -> None:
    t = tenure(1, D(2020, 3, 1), D(2022, 3, 1))
    assert is_current(t, D(2022, 2, 28))
    assert not is_current(t, D(2022, 3, 1))


def test_open_tenure_is_current_for_ever() -> None:
    assert is_current(tenure(1, D(2020, 3, 1)), D(2099, 1, 1))


def test_current_tenures_leadership_first_then_by_start() -> None:
    staff_old = tenure(1, D(2010, 1, 1))
    leader_new = tenure(2, D(2021, 1, 1), leader=True)
    leader_old = tenure(3, D(2019, 1, 1), leader=True)
    ended = tenure(4, D(2015, 1, 1), D(2020, 1, 1), leader=True)
    held = current_tenures([staff_old, leader_new, ended, leader_old], D(2022, 1, 1))
    assert held == [leader_old, leader_new, staff_old]


# ---------------------------------------------------------------- time in post


def test_months_in_post_until_a_date_and_until_the_end() -> None:
    t = tenure(1, D(2020, 3, 1), D(2022, 9, 1))
    assert months_in_post(t, D(2020, 3, 31)) == 0
    assert months_in_post(t, D(2021, 3, 1)) == 12
    # After the end date the count stops at the end.
    assert months_in_post(t, D(2030, 1, 1)) == 30
    assert years_in_post(t, D(2030, 1, 1)) == 2.5


def test_months_in_post_before_start_is_zero() -> None:
    assert months_in_post(tenure(1, D(2020, 3, 1)), D(2019, 1, 1)) == 0


def test_probation_counts_toward_years_in_post() -> None:
    # 条例 第五十四条: the year of probation counts; time runs from the appointment date.
    t = tenure(1, D(2019, 11, 15))
    assert years_in_post(t, D(2024, 11, 15)) == 5.0
    assert years_in_post(t, D(2024, 11, 14)) == 4.9


# ---------------------------------------------------------------- career order and overlap


def test_career_history_chronological_open_last_on_ties() -> None:
    a = tenure(1, D(2015, 1, 1), D(2018, 1, 1))
    b_open = tenure(2, D(2018, 1, 1))
    b_closed = tenure(3, D(2018, 1, 1), D(2019, 1, 1))
    c = tenure(4, D(2010, 6, 1), D(2015, 1, 1))
    assert career_history([b_open, a, b_closed, c]) == [c, a, b_closed, b_open]


def test_overlap_with_an_open_tenure_of_the_same_post() -> None:
    existing = [tenure(1, D(2020, 1, 1))]
    assert overlapping(existing, D(2023, 1, 1), None, post_id=1)
    assert overlapping(existing, D(2019, 1, 1), D(2020, 1, 2), post_id=1)


def test_no_overlap_when_touching_at_the_end_date() -> None:
    existing = [tenure(1, D(2020, 1, 1), D(2022, 1, 1))]
    assert not overlapping(existing, D(2022, 1, 1), None, post_id=1)
    assert not overlapping(existing, D(2019, 1, 1), D(2020, 1, 1), post_id=1)
    assert overlapping(existing, D(2021, 12, 31), None, post_id=1)


def test_no_overlap_across_different_posts() -> None:
    assert not overlapping([tenure(1, D(2020, 1, 1))], D(2021, 1, 1), None, post_id=2)


_days = st.integers(min_value=0, max_value=4000)


@settings(max_examples=300, deadline=None)
@given(
    a_start=_days,
    a_len=st.none() | st.integers(0, 2000),
    b_start=_days,
    b_len=st.none() | st.integers(0, 2000),
    probe=_days,
)
def test_property_overlap_iff_some_day_is_in_both(
    a_start: int, a_len: int | None, b_start: int, b_len: int | None, probe: int
) -> None:
    base = D(2000, 1, 1)

    def span(start: int, length: int | None) -> tuple[dt.date, dt.date | None]:
        return base + dt.timedelta(start), None if length is None else base + dt.timedelta(start + length)

    a0, a1 = span(a_start, a_len)
    b0, b1 = span(b_start, b_len)
    existing = [tenure(7, a0, a1)]
    result = overlapping(existing, b0, b1, post_id=7)
    # A shared day exists exactly when the later start precedes both ends.
    later = max(a0, b0)
    expected = (a1 is None or later < a1) and (b1 is None or later < b1)
    assert result == expected
    # And a probe day current in both proves overlap.
    day = base + dt.timedelta(probe)
    if is_current(existing[0], day) and is_current(tenure(7, b0, b1), day):
        assert result


def test_a_tenure_ended_on_its_first_day_overlaps_nothing() -> None:
    # Appointed and removed on the same date: it held no day, so it cannot block a new tenure.
    withdrawn = [tenure(1, D(2024, 5, 1), D(2024, 5, 1))]
    assert not overlapping(withdrawn, D(2024, 4, 1), None, post_id=1)
    assert not overlapping(withdrawn, D(2024, 5, 1), None, post_id=1)
    assert not overlapping([tenure(1, D(2020, 1, 1))], D(2024, 5, 1), D(2024, 5, 1), post_id=1)
