"""What every layer of the workflows shares: the accounts they act as, messages, the summary, working days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from ganbu.core.errors import ServiceError
from ganbu.registry.choices import (
    Education,
    PostKind,
)
from ganbu.rules.workdays import WorkCalendar

ProgressCallback = Callable[[int, int, str], None]
STEPS = 7

OFFICER, LEADER, SUPERVISOR = "zzb", "zzbld", "jiwei"
MSG_ACCOUNTS = (
    "演示账号 {names} 不存在、已停用或角色已被修改，"
    "因此没有载入演示流程（投票、选拔任用纪实、能上能下、竞争性选拔）。"
)
MSG_NOTHING = "示例县中找不到{what}，无法载入演示流程。"

# A 任前公示 of seven working days (the rule asks for at least five, APPT-02).
NOTICE_WORKDAYS = 7
ORG = "中共示例县委组织部"
COUNTY = "中共示例县委"
CONTACT = "县委组织部干部监督股，举报电话 12380"
# Units whose head is a 县级 chief of AVD-05 (hometown avoidance) or that the selections should not touch.
_SENSITIVE_UNITS = ("纪委", "监委", "组织部", "法院", "检察院", "公安")
_LEADERS = (PostKind.HEAD, PostKind.DEPUTY)
_MIDDLE = (PostKind.MIDDLE_HEAD, PostKind.MIDDLE_DEPUTY)
_JUNIORS = (*_MIDDLE, PostKind.STAFF)
_DEGREES = (Education.UNIVERSITY, Education.POSTGRADUATE)


class WorkflowsUnavailable(ServiceError):
    """The demo accounts the workflows act as are missing or changed: the registry stays, no workflows."""


@dataclass(frozen=True)
class OpenBallotKey:
    """The 监票人's key shares of a demo ballot left open, so that someone trying the demo can count it.

    A real ballot shows them once, on the slips printed when it opens; the demo has nobody at that
    moment, so the command prints them. They are kept in memory only, never in the database.
    """

    ballot_id: int
    title: str
    threshold: int
    shares: tuple[str, ...]


@dataclass(frozen=True)
class WorkflowSummary:
    """What the workflows wrote, counted from the database after the load, and the time taken."""

    ballots: tuple[tuple[str, int], ...]
    cast: int
    records: tuple[tuple[str, int], ...]
    exits: tuple[tuple[str, int], ...]
    cases: int
    open_proceedings: int
    prepared_cadres: int
    notice_current: bool
    campaigns: tuple[tuple[str, int], ...]
    applications: int
    panel_sheets: int
    seconds: float
    open_keys: tuple[OpenBallotKey, ...] = ()


# ---------------------------------------------------------------- dates


class _Days:
    """Working days for believable dates: the official calendar where it covers the year, else Mon–Fri.

    Only the 任前公示 needs the calendar to count (APPT-02); other steps merely avoid weekends.
    """

    def __init__(self, calendar: WorkCalendar) -> None:
        """Days counted against ``calendar`` (the official arrangement and the administrator's entries)."""
        self.calendar = calendar

    def is_workday(self, day: dt.date) -> bool:
        """Whether ``day`` is a working day (by weekday outside the calendar's years)."""
        if self.calendar.covers(day):
            return self.calendar.is_workday(day)
        return day.weekday() < 5

    def before(self, day: dt.date) -> dt.date:
        """``day`` if it is a working day, else the working day before it."""
        while not self.is_workday(day):
            day -= dt.timedelta(days=1)
        return day

    def after(self, day: dt.date) -> dt.date:
        """``day`` if it is a working day, else the working day after it."""
        while not self.is_workday(day):
            day += dt.timedelta(days=1)
        return day

    def back(self, day: dt.date, days: int) -> dt.date:
        """The working day on or before ``days`` calendar days earlier."""
        return self.before(day - dt.timedelta(days=days))

    def on(self, day: dt.date, days: int) -> dt.date:
        """The working day on or after ``days`` calendar days later."""
        return self.after(day + dt.timedelta(days=days))

    def workdays_back(self, day: dt.date, n: int) -> dt.date:
        """The ``n``-th working day before ``day``."""
        while n:
            day -= dt.timedelta(days=1)
            if self.is_workday(day):
                n -= 1
        return day

    def notice_window(self, today: dt.date) -> tuple[dt.date, dt.date, bool]:
        """A 任前公示 of :data:`NOTICE_WORKDAYS` working days running today, and whether it could be made so.

        It starts two working days before today. The period must lie in years the calendar covers
        (the official arrangement is published year by year and the demo invents none), so when
        the seventh working day would fall after the last covered year the notice starts earlier
        instead, still running today. When today itself is not covered, the notice is the last
        seven covered working days and is not current.
        """
        cal = self.calendar
        if not cal.covers(today):
            last = dt.date(max(cal.years), 12, 31)
            end = last if cal.is_workday(last) else cal.add_workdays(last, -1)
            return cal.add_workdays(end, -(NOTICE_WORKDAYS - 1)), end, False
        start = cal.add_workdays(today, -2)
        end, counted, day = start, 1, start
        while counted < NOTICE_WORKDAYS:
            day += dt.timedelta(days=1)
            if not cal.covers(day):
                break
            if cal.is_workday(day):
                end, counted = day, counted + 1
        if counted < NOTICE_WORKDAYS:
            start = cal.add_workdays(start, -(NOTICE_WORKDAYS - counted))
        # A notice may end on a rest day; ending today at the latest keeps it running today.
        return start, max(end, today), True
