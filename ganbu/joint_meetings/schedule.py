"""When a joint meeting is due: pure date arithmetic on the county's two meeting months.

The county holds the supervising bodies' joint meeting once a half-year, in the month its policy
names for that half (January and July by default: the seed's 一(五), ``joint_meeting.first_month``
and ``joint_meeting.second_month``). A half-year's meeting is *due* from the first day of its month
until a meeting is held on or after that day within the half-year; it is *overdue* once the month
has ended. No national regulation sets these months: they are the county's own rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

CITATION = "本县干部监督工作联席会议制度：每半年召开一次，召开月份为县政策值（默认1月、7月）"


@dataclass(frozen=True)
class HalfYear:
    """The half-year containing a day, with the month its meeting belongs in."""

    year: int
    first: bool
    month: int

    @property
    def start(self) -> dt.date:
        """The half-year's first day (1 January or 1 July)."""
        return dt.date(self.year, 1 if self.first else 7, 1)

    @property
    def end(self) -> dt.date:
        """The half-year's last day (30 June or 31 December)."""
        return dt.date(self.year, 6, 30) if self.first else dt.date(self.year, 12, 31)

    @property
    def month_start(self) -> dt.date:
        """The first day of the meeting month."""
        return dt.date(self.year, self.month, 1)

    @property
    def month_end(self) -> dt.date:
        """The last day of the meeting month."""
        following = dt.date(self.year + (self.month == 12), self.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        """上半年 or 下半年 of the year, as the officer says it."""
        return f"{self.year}年{'上' if self.first else '下'}半年"


def half_year(on: dt.date, first_month: int, second_month: int) -> HalfYear:
    """The half-year of ``on`` and its meeting month (``first_month`` in 1–6, ``second_month`` in 7–12)."""
    first = on.month <= 6
    return HalfYear(year=on.year, first=first, month=first_month if first else second_month)


def meeting_due(on: dt.date, half: HalfYear, held_days: list[dt.date]) -> bool:
    """Whether the half-year's meeting is due on ``on``: its month has come and none of ``held_days``
    (the days meetings were held) falls between the month's first day and the half-year's end."""
    if on < half.month_start:
        return False
    return not any(half.month_start <= day <= half.end for day in held_days)


def overdue(on: dt.date, half: HalfYear) -> bool:
    """Whether a due meeting is late: its month has ended."""
    return on > half.month_end
