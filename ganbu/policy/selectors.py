"""Reading county policy values: the value in force on a date, and each key's history.

Policy values are county-wide and not sensitive: any signed-in staff member may read them (the
pages that apply them cite them), so these selectors take no user.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import CharField, DateField, Value
from django.db.models.functions import Cast, Concat

from ganbu.rules.calendar_adapter import official_calendar, official_years
from ganbu.rules.workdays import WorkCalendar

from .keys import KEYS, PolicyKey
from .models import CalendarDay, CalendarYear, PolicyValue

#: The kind marking a declared year in :func:`work_calendar`'s one query (not a CalendarDay kind).
_DECLARED = "year_complete"


@dataclass(frozen=True)
class PolicyInForce:
    """A value as applied to a case: the number, its text, since when and on what basis."""

    key: PolicyKey
    value: Fraction
    text: str
    effective_from: dt.date | None
    note: str

    @property
    def source(self) -> str:
        """Where the value comes from, for the message that applies it."""
        if self.effective_from is None:
            return f"默认值（{self.key.citation}）"
        return f"自 {self.effective_from:%Y年%m月%d日} 起执行（{self.note}；{self.key.citation}）"


def policy_value(key: str, on: dt.date) -> PolicyInForce:
    """The version of ``key`` in force on ``on`` (the latest starting on or before it), or its default."""
    spec = KEYS[key]
    row = PolicyValue.objects.filter(key=key, effective_from__lte=on).order_by("-effective_from").first()
    if row is None:
        return PolicyInForce(spec, Fraction(spec.default), spec.default, None, "")
    return PolicyInForce(spec, Fraction(row.value), row.value, row.effective_from, row.note)


@dataclass(frozen=True)
class PolicyRow:
    """One key for the policy page: the value in force today and every version."""

    key: PolicyKey
    current: PolicyInForce
    versions: list[PolicyValue]


def policy_table(on: dt.date) -> list[PolicyRow]:
    """Every key with its value in force on ``on`` and its versions, newest first (one query)."""
    by_key: dict[str, list[PolicyValue]] = {k: [] for k in KEYS}
    for row in PolicyValue.objects.select_related("set_by").order_by("key", "-effective_from"):
        by_key.setdefault(row.key, []).append(row)
    table = []
    for key, spec in KEYS.items():
        versions = by_key[key]
        in_force = next((v for v in versions if v.effective_from <= on), None)
        current = (
            PolicyInForce(
                spec, Fraction(in_force.value), in_force.value, in_force.effective_from, in_force.note
            )
            if in_force
            else PolicyInForce(spec, Fraction(spec.default), spec.default, None, "")
        )
        table.append(PolicyRow(key=spec, current=current, versions=versions))
    return table


def work_calendar() -> WorkCalendar:
    """The working-day calendar in force: the official arrangement, corrected by the administrator.

    A year outside the official tables counts only once declared complete (:class:`CalendarYear`);
    entries of an undeclared year are ignored and counting there raises ``CalendarNotCovered``.
    """
    # One query (pages and the to-do list count theirs): the entries, and each declared year as
    # its 1 January with the marker kind below.
    declared = (
        CalendarYear.objects.order_by()
        .annotate(
            first_day=Cast(Concat(Cast("year", CharField()), Value("-01-01")), DateField()),
            marker=Value(_DECLARED, output_field=CharField()),
        )
        .values_list("first_day", "marker")
    )
    rows = list(CalendarDay.objects.order_by().values_list("day", "kind").union(declared, all=True))
    return official_calendar(
        overrides_holidays=[d for d, k in rows if k == CalendarDay.HOLIDAY],
        overrides_workdays=[d for d, k in rows if k == CalendarDay.WORKDAY],
        removals=[d for d, k in rows if k == CalendarDay.REMOVE],
        covered_years=[d.year for d, k in rows if k == _DECLARED],
    )


@dataclass(frozen=True)
class EnteredYear:
    """A year outside the official tables with entries or a declaration, for the calendar page."""

    year: int
    holidays: int
    workdays: int
    declaration: CalendarYear | None

    @property
    def complete(self) -> bool:
        """Whether the administrator has declared the year's calendar complete."""
        return self.declaration is not None


def calendar_years() -> list[EnteredYear]:
    """Each year outside the official tables that has entries or a declaration, by year."""
    official = official_years()
    counts: dict[int, list[int]] = {}
    for day, kind in CalendarDay.objects.values_list("day", "kind"):
        if day.year in official:
            continue
        tally = counts.setdefault(day.year, [0, 0])
        if kind == CalendarDay.HOLIDAY:
            tally[0] += 1
        elif kind == CalendarDay.WORKDAY:
            tally[1] += 1
    declared = {row.year: row for row in CalendarYear.objects.select_related("declared_by")}
    return [
        EnteredYear(
            year=year,
            holidays=counts.get(year, [0, 0])[0],
            workdays=counts.get(year, [0, 0])[1],
            declaration=declared.get(year),
        )
        for year in sorted(counts.keys() | declared.keys())
    ]


def calendar_entries() -> list[CalendarDay]:
    """The administrator's calendar entries, by date."""
    return list(CalendarDay.objects.select_related("set_by").order_by("day"))


def calendar_official_years() -> tuple[int, int]:
    """The first and last year of the official arrangement the installed package transcribes."""
    years = official_years()
    return min(years), max(years)
