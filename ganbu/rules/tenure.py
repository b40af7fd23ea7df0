"""Tenure derivation: current posts, years in post and career history from dated tenures.

《党政领导干部选拔任用工作条例》(2019) 第七条 counts 任职年限 from the date of appointment; its
第五十四条 (probation) says the probation period counts toward time in post, so a tenure runs from
its appointment date, not from confirmation. A tenure is current on a date when it started on or
before that date and has not ended by it (an end date is the first day no longer in post).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from . import inputs
from .dates import months_between


@dataclass(frozen=True)
class TenureFacts:
    """One tenure as plain facts: which post, from which date, until which date (exclusive)."""

    post_id: int
    post_title: str
    unit_name: str
    start: dt.date
    end: dt.date | None
    is_leadership: bool = False

    def __post_init__(self) -> None:
        """Refuse a start or end that is not a date (a timestamp or a text would compare wrongly)."""
        inputs.day(self.start, "任职日期")
        inputs.optional_day(self.end, "免职日期")
        inputs.flag(self.is_leadership, "是否领导职务")


def is_current(t: TenureFacts, on: dt.date) -> bool:
    """Whether the tenure is held on the date ``on``."""
    inputs.day(on, "核对日期")
    return t.start <= on and (t.end is None or t.end > on)


def current_tenures(tenures: Iterable[TenureFacts], on: dt.date) -> list[TenureFacts]:
    """Tenures held on ``on``, leadership posts first, then by start date."""
    inputs.day(on, "核对日期")
    held = [t for t in tenures if is_current(t, on)]
    return sorted(held, key=lambda t: (not t.is_leadership, t.start))


def months_in_post(t: TenureFacts, on: dt.date) -> int:
    """Whole months served in the tenure up to ``on`` (probation included, 条例 第五十四条)."""
    inputs.day(on, "核对日期")
    end = t.end if t.end is not None and t.end < on else on
    return months_between(t.start, end)


def years_in_post(t: TenureFacts, on: dt.date) -> float:
    """Years served in the tenure up to ``on``, to one decimal."""
    return round(months_in_post(t, on) / 12, 1)


def career_history(tenures: Sequence[TenureFacts]) -> list[TenureFacts]:
    """Tenures in chronological order (earliest first), ties by end date (open last)."""
    return sorted(tenures, key=lambda t: (t.start, t.end or dt.date.max))


def overlapping(tenures: Sequence[TenureFacts], start: dt.date, end: dt.date | None, post_id: int) -> bool:
    """Whether a new tenure of ``post_id`` over [start, end) would overlap one already recorded.

    Intervals are half-open, so a tenure ended on the day it began (an appointment withdrawn by a
    removal dated the same day) holds no day and overlaps nothing.
    """
    inputs.day(start, "任职日期")
    inputs.optional_day(end, "免职日期")
    n_end = end or dt.date.max
    if start >= n_end:
        return False
    for t in tenures:
        if t.post_id != post_id:
            continue
        t_end = t.end or dt.date.max
        if t.start < t_end and t.start < n_end and start < t_end:
            return True
    return False
