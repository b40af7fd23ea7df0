"""Writing county policy values: a new version with its effective date, never an edit in place."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from ganbu.accounts.models import User
from ganbu.core.access import Cap, has_cap
from ganbu.core.audit import audit_record
from ganbu.core.errors import ServiceError
from ganbu.rules.calendar_adapter import official_years

from .keys import KEYS, PolicyValueError, parse_value
from .models import CalendarDay, CalendarYear, PolicyValue

MSG_NO_MANAGE = "您无权修改本县政策参数。"
MSG_UNKNOWN_KEY = "没有名为「{key}」的政策参数。"
MSG_DUPLICATE_DAY = "「{label}」在 {day} 已有一个版本；同一天只能有一个版本，请选择其他起始日期。"
MSG_NOTE = "请填写依据文件或说明（如县委文件文号）。"
MSG_YEAR_OFFICIAL = "{year} 年的节假日安排系统已内置（国务院办公厅公布的放假安排），无须确认。"
MSG_YEAR_RANGE = "年份应在 1949 到 2100 之间。"
MSG_YEAR_EMPTY = (
    "{year} 年尚未录入任何放假日期。请先按国务院办公厅公布的 {year} 年部分节假日安排，"
    "逐日录入放假和调休上班日期，再确认该年已录入完整。"
)
MSG_YEAR_DECLARED = "{year} 年的工作日历已确认录入完整（{who}，{when}）。"
MSG_YEAR_NOTE = "请填写依据（如国务院办公厅关于该年部分节假日安排的通知文号）。"
MSG_YEAR_NOT_DECLARED = "{year} 年的工作日历尚未确认录入完整，无须撤销。"
MSG_REASON = "请填写撤销确认的理由。"


@transaction.atomic(durable=True)
def policy_set(*, actor: User, key: str, value: str, effective_from: dt.date, note: str) -> PolicyValue:
    """Record a new version of a policy value, in force from ``effective_from`` (audited).

    Earlier versions stay as they were: cases dated before ``effective_from`` keep the old value.
    """
    if not has_cap(actor, Cap.POLICY_MANAGE):
        raise ServiceError(MSG_NO_MANAGE)
    spec = KEYS.get(key)
    if spec is None:
        raise ServiceError({"key": [MSG_UNKNOWN_KEY.format(key=key)]})
    try:
        parsed = parse_value(spec, value)
    except PolicyValueError as exc:
        raise ServiceError({"value": [str(exc)]}) from None
    if not note.strip():
        raise ServiceError({"note": [MSG_NOTE]})
    if PolicyValue.objects.filter(key=key, effective_from=effective_from).exists():
        message = MSG_DUPLICATE_DAY.format(label=spec.label, day=f"{effective_from:%Y-%m-%d}")
        raise ServiceError({"effective_from": [message]})
    stored = str(parsed)
    row = PolicyValue.objects.create(
        key=key, value=stored, effective_from=effective_from, note=note.strip(), set_by=actor
    )
    audit_record(
        actor=actor,
        event_type="policy.value_set",
        target=row,
        after={"key": key, "value": stored, "effective_from": effective_from.isoformat()},
        reason=note.strip(),
    )
    return row


@transaction.atomic(durable=True)
def calendar_day_set(*, actor: User, day: dt.date, kind: str, note: str) -> CalendarDay:
    """Enter (or change) one day of the working-day calendar: 放假, 调休上班, or drop the official entry."""
    if not has_cap(actor, Cap.POLICY_MANAGE):
        raise ServiceError(MSG_NO_MANAGE)
    if kind not in dict(CalendarDay.KINDS):
        raise ServiceError({"kind": ["类别不正确。"]})
    if not note.strip():
        raise ServiceError({"note": ["请填写说明（如国务院办公厅放假通知文号）。"]})
    row = CalendarDay.objects.filter(day=day).first()
    before = {"kind": row.kind} if row else None
    if row is None:
        row = CalendarDay.objects.create(day=day, kind=kind, note=note.strip(), set_by=actor)
    else:
        row.kind, row.note, row.set_by = kind, note.strip(), actor
        row.save(update_fields=["kind", "note", "set_by"])
    audit_record(
        actor=actor,
        event_type="policy.calendar_day_set",
        target=row,
        before=before,
        after={"day": day.isoformat(), "kind": kind},
        reason=note.strip(),
    )
    return row


@transaction.atomic(durable=True)
def calendar_day_delete(*, actor: User, day: dt.date) -> None:
    """Remove an administrator's entry, so the official arrangement (or the weekday rule) applies again."""
    if not has_cap(actor, Cap.POLICY_MANAGE):
        raise ServiceError(MSG_NO_MANAGE)
    row = CalendarDay.objects.filter(day=day).first()
    if row is None:
        raise ServiceError("该日期没有调整记录。")
    audit_record(
        actor=actor,
        event_type="policy.calendar_day_deleted",
        target=row,
        before={"day": day.isoformat(), "kind": row.kind},
    )
    row.delete()


@transaction.atomic(durable=True)
def calendar_year_complete(*, actor: User, year: int, note: str) -> CalendarYear:
    """Declare that every 放假 and 调休上班 day of ``year`` has been entered (audited).

    Only for a year the official tables lack, and only once at least one 放假 day is entered: a
    year always has statutory holidays, so a declaration over none is a mistake. From then on the
    year's entries count and working days there are counted; before, they are refused.
    """
    if not has_cap(actor, Cap.POLICY_MANAGE):
        raise ServiceError(MSG_NO_MANAGE)
    if not 1949 <= year <= 2100:
        raise ServiceError({"year": [MSG_YEAR_RANGE]})
    if year in official_years():
        raise ServiceError({"year": [MSG_YEAR_OFFICIAL.format(year=year)]})
    existing = CalendarYear.objects.select_related("declared_by").filter(year=year).first()
    if existing is not None:
        when = f"{existing.declared_at:%Y-%m-%d}"
        raise ServiceError(
            {"year": [MSG_YEAR_DECLARED.format(year=year, who=existing.declared_by, when=when)]}
        )
    if not CalendarDay.objects.filter(day__year=year, kind=CalendarDay.HOLIDAY).exists():
        raise ServiceError({"year": [MSG_YEAR_EMPTY.format(year=year)]})
    if not note.strip():
        raise ServiceError({"note": [MSG_YEAR_NOTE]})
    entries = CalendarDay.objects.filter(day__year=year)
    row = CalendarYear.objects.create(year=year, note=note.strip(), declared_by=actor)
    audit_record(
        actor=actor,
        event_type="policy.calendar_year_completed",
        target=row,
        after={
            "year": year,
            "holidays": entries.filter(kind=CalendarDay.HOLIDAY).count(),
            "workdays": entries.filter(kind=CalendarDay.WORKDAY).count(),
        },
        reason=note.strip(),
    )
    return row


@transaction.atomic(durable=True)
def calendar_year_reopen(*, actor: User, year: int, reason: str) -> None:
    """Withdraw a year's declaration (an entry found missing): its periods are refused again (audited)."""
    if not has_cap(actor, Cap.POLICY_MANAGE):
        raise ServiceError(MSG_NO_MANAGE)
    row = CalendarYear.objects.filter(year=year).first()
    if row is None:
        raise ServiceError({"year": [MSG_YEAR_NOT_DECLARED.format(year=year)]})
    if not reason.strip():
        raise ServiceError({"reason": [MSG_REASON]})
    audit_record(
        actor=actor,
        event_type="policy.calendar_year_reopened",
        target=row,
        before={"year": year, "note": row.note},
        reason=reason.strip(),
    )
    row.delete()
