"""County policy values (本县政策参数): read the values in force, record a new version."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.responses import Status

from ganbu.policy import selectors, services

from ..common import READ_ERRORS, WRITE_ERRORS, actor
from ..schemas import Date

router = Router(tags=["政策参数"])


class PolicyVersionOut(Schema):
    """One recorded version of a value."""

    value: str
    effective_from: dt.date
    note: str


class PolicyOut(Schema):
    """A policy key with the value in force on the requested day and its recorded versions."""

    key: str
    label: str
    kind: str
    default: str
    citation: str
    value: str
    effective_from: dt.date | None
    versions: list[PolicyVersionOut]


class PolicyQuery(Schema):
    """The day whose values are wanted (default today)."""

    on: Date | None = None


class PolicyIn(Schema):
    """A new version of a value, in force from ``effective_from``."""

    value: str
    effective_from: dt.date
    note: str


def _out(row: selectors.PolicyRow) -> dict[str, Any]:
    """The schema's fields for one key."""
    return {
        "key": row.key.key,
        "label": row.key.label,
        "kind": row.key.kind.value,
        "default": row.key.default,
        "citation": row.key.citation,
        "value": row.current.text,
        "effective_from": row.current.effective_from,
        "versions": [
            {"value": v.value, "effective_from": v.effective_from, "note": v.note} for v in row.versions
        ],
    }


@router.get(
    "/policy",
    response={200: list[PolicyOut], **READ_ERRORS},
    summary="本县政策参数及其版本",
    operation_id="policy_list",
)
def policy_list(request: HttpRequest, filters: Query[PolicyQuery]) -> Any:
    """Every policy key with the value in force on ``on`` (default today) and its versions.

    Any signed-in user may read them: they are county rules, cited in the messages that apply them.
    """
    day = filters.on or timezone.localdate()
    return [_out(row) for row in selectors.policy_table(day)]


class CalendarDayOut(Schema):
    """An administrator's calendar entry."""

    day: dt.date
    kind: str
    note: str


class CalendarDayIn(Schema):
    """A calendar entry to record: 放假 (holiday), 调休上班 (workday) or drop the official entry (remove)."""

    kind: str
    note: str


@router.get(
    "/policy/calendar",
    response={200: list[CalendarDayOut], **READ_ERRORS},
    summary="工作日历调整（内置官方安排以外的录入）",
    operation_id="calendar_list",
)
def calendar_list(request: HttpRequest) -> Any:
    """The administrator's calendar entries, by date."""
    return [{"day": e.day, "kind": e.kind, "note": e.note} for e in selectors.calendar_entries()]


@router.put(
    "/policy/calendar/{day}",
    response={200: CalendarDayOut, **WRITE_ERRORS},
    summary="录入或调整一天的工作日历",
    operation_id="calendar_day_set",
)
def calendar_day_set(request: HttpRequest, day: Date, payload: CalendarDayIn) -> Any:
    """Record one day (system administrators only)."""
    row = services.calendar_day_set(actor=actor(request), day=day, kind=payload.kind, note=payload.note)
    return {"day": row.day, "kind": row.kind, "note": row.note}


@router.delete(
    "/policy/calendar/{day}",
    response={204: None, **WRITE_ERRORS},
    summary="删除一天的工作日历调整",
    operation_id="calendar_day_delete",
)
def calendar_day_delete(request: HttpRequest, day: Date) -> Any:
    """Remove an entry, so the official arrangement applies again."""
    services.calendar_day_delete(actor=actor(request), day=day)
    return Status(204, None)


class CalendarYearOut(Schema):
    """A year outside the official tables: what is entered and whether it is declared complete."""

    year: int
    holidays: int
    workdays: int
    complete: bool
    note: str
    declared_at: dt.datetime | None


class CalendarYearIn(Schema):
    """The basis of a declaration (the State Council's 放假通知 for the year)."""

    note: str


class CalendarYearReopenIn(Schema):
    """Why a declaration is withdrawn."""

    reason: str


def _year_out(y: selectors.EnteredYear) -> dict[str, Any]:
    """The schema's fields for one year."""
    d = y.declaration
    return {
        "year": y.year,
        "holidays": y.holidays,
        "workdays": y.workdays,
        "complete": d is not None,
        "note": d.note if d else "",
        "declared_at": d.declared_at if d else None,
    }


@router.get(
    "/policy/calendar-years",
    response={200: list[CalendarYearOut], **READ_ERRORS},
    summary="内置范围以外年份的工作日历录入及完整确认",
    operation_id="calendar_year_list",
)
def calendar_year_list(request: HttpRequest) -> Any:
    """Each year outside the official tables with entries or a declaration.

    A year counts for working days only when ``complete``; until then its entries are ignored and
    a period touching it is refused.
    """
    return [_year_out(y) for y in selectors.calendar_years()]


@router.put(
    "/policy/calendar-years/{year}",
    response={200: CalendarYearOut, **WRITE_ERRORS},
    summary="确认某年工作日历已录入完整",
    operation_id="calendar_year_complete",
)
def calendar_year_complete(request: HttpRequest, year: int, payload: CalendarYearIn) -> Any:
    """Declare ``year`` complete (system administrators only; at least one 放假 day entered)."""
    services.calendar_year_complete(actor=actor(request), year=year, note=payload.note)
    return next(_year_out(y) for y in selectors.calendar_years() if y.year == year)


@router.post(
    "/policy/calendar-years/{year}/reopen",
    response={204: None, **WRITE_ERRORS},
    summary="撤销某年工作日历的完整确认",
    operation_id="calendar_year_reopen",
)
def calendar_year_reopen(request: HttpRequest, year: int, payload: CalendarYearReopenIn) -> Any:
    """Withdraw the declaration: the year's periods are refused again until it is declared anew."""
    services.calendar_year_reopen(actor=actor(request), year=year, reason=payload.reason)
    return Status(204, None)


# Declared last: Django tries URL patterns in order, and /policy/{key} would swallow /policy/calendar.
@router.post(
    "/policy/{key}",
    response={201: PolicyVersionOut, **WRITE_ERRORS},
    summary="记录政策参数的新版本",
    operation_id="policy_set",
)
def policy_set(request: HttpRequest, key: str, payload: PolicyIn) -> Any:
    """Record a new version of ``key`` (system administrators only).

    Earlier versions stay in force for earlier dates.
    """
    row = services.policy_set(
        actor=actor(request),
        key=key,
        value=payload.value,
        effective_from=payload.effective_from,
        note=payload.note,
    )
    return Status(201, {"value": row.value, "effective_from": row.effective_from, "note": row.note})
