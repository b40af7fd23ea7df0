"""Registry services for the parts of a cadre's record: family and social relations, 简历 lines,
annual assessments, rewards and sanctions, and the reserve pool (后备干部).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from ganbu.accounts.models import User
from ganbu.core.audit import audit_record, model_snapshot
from ganbu.rules import plausibility
from ganbu.rules.plausibility import DateProblem, PersonDates

from ..choices import RewardSanctionKind
from ..models import Assessment, Cadre, FamilyMember, ReserveMembership, ResumeEntry, RewardSanction
from ._common import MSG_OUT_OF_SCOPE, _fail, _full_clean, _person_dates, _refuse_dates, _require_edit_cadre
from .sanctions import MSG_REWARD_NO_PERIOD, SANCTION_ONLY_FIELDS, sanction_record_within

MSG_ASSESSMENT_EXISTS = "{cadre} 的 {year} 年度考核结果已登记。"
MSG_FAMILY_SELF = "亲属对应的在册干部不能是本人。"


def _stored_part(obj: Any, cadre: Cadre) -> Any:
    """The stored, locked row of an existing part of ``cadre``'s record, or a scope error.

    Why: the caller's copy may be stale or belong to another cadre; the owner in the database,
    not the one the caller names, decides whose record is being changed.
    """
    stored = type(obj).objects.select_for_update().filter(pk=obj.pk).first()
    if stored is None or stored.cadre_id != cadre.pk:
        raise _fail(MSG_OUT_OF_SCOPE)
    return stored


def _save_part(
    *,
    actor: User,
    cadre: Cadre,
    obj: Any,
    data: Mapping[str, Any],
    fields: Sequence[str],
    event: str,
    reason: str = "",
    check: Callable[[Any, PersonDates], Sequence[DateProblem]] | None = None,
) -> Any:
    """Set ``fields`` of a part of ``cadre``'s record from ``data``, validate and save it, audited.

    ``check`` returns the plausibility problems of the part's dates against the cadre's own
    (``rules.plausibility``); any problem refuses the save.
    """
    _require_edit_cadre(actor, cadre)
    if obj.pk:
        obj = _stored_part(obj, cadre)
    before = model_snapshot(obj) if obj.pk else None
    for key, value in data.items():
        if key in fields:
            setattr(obj, key, value)
    obj.cadre = cadre
    _full_clean(obj)
    if check is not None:
        _refuse_dates(check(obj, _person_dates(cadre)))
    obj.save()
    audit_record(
        actor=actor,
        event_type=event,
        target=obj,
        before=before,
        after=model_snapshot(obj),
        reason=reason,
        cadre_id=cadre.pk,
        unit_id=cadre.unit_id,
    )
    return obj


def _delete_part(*, actor: User, cadre: Cadre, obj: Any, event: str, reason: str = "") -> None:
    _require_edit_cadre(actor, cadre)
    obj = _stored_part(obj, cadre)
    before = model_snapshot(obj)
    audit_record(
        actor=actor,
        event_type=event,
        target=obj,
        before=before,
        reason=reason,
        cadre_id=cadre.pk,
        unit_id=cadre.unit_id,
    )
    obj.delete()


_FAMILY_FIELDS = (
    "relation",
    "name",
    "birth_date",
    "political_status",
    "work_unit_post",
    "related_cadre",
    "sort_order",
)


@transaction.atomic(durable=True)
def family_member_save(
    *,
    actor: User,
    cadre: Cadre,
    data: Mapping[str, Any],
    member: FamilyMember | None = None,
    reason: str = "",
) -> FamilyMember:
    """Add or change a family member or social relation of a cadre."""
    related = data.get("related_cadre")
    if related is not None and getattr(related, "pk", related) == cadre.pk:
        raise _fail(MSG_FAMILY_SELF, "related_cadre")
    obj = member if member is not None else FamilyMember(cadre=cadre)
    saved: FamilyMember = _save_part(
        actor=actor,
        cadre=cadre,
        obj=obj,
        data=data,
        fields=_FAMILY_FIELDS,
        event="family.saved",
        reason=reason,
        check=lambda m, _person: (
            plausibility.check_relative_birth(value=m.birth_date, today=timezone.localdate())
            if m.birth_date
            else []
        ),
    )
    return saved


@transaction.atomic(durable=True)
def family_member_delete(*, actor: User, member: FamilyMember, reason: str = "") -> None:
    """Remove a family member entry."""
    _delete_part(actor=actor, cadre=member.cadre, obj=member, event="family.deleted", reason=reason)


_RESUME_FIELDS = ("start_date", "end_date", "text", "sort_order")


@transaction.atomic(durable=True)
def resume_entry_save(
    *, actor: User, cadre: Cadre, data: Mapping[str, Any], entry: ResumeEntry | None = None, reason: str = ""
) -> ResumeEntry:
    """Add or change a line of a cadre's 简历."""
    obj = entry if entry is not None else ResumeEntry(cadre=cadre)
    if data.get("end_date") and data.get("start_date") and data["end_date"] < data["start_date"]:
        raise _fail("终止年月不能早于起始年月。", "end_date")
    saved: ResumeEntry = _save_part(
        actor=actor,
        cadre=cadre,
        obj=obj,
        data=data,
        fields=_RESUME_FIELDS,
        event="resume.saved",
        reason=reason,
        check=lambda e, person: plausibility.check_resume_entry(
            person, start=e.start_date, end=e.end_date, today=timezone.localdate()
        ),
    )
    return saved


@transaction.atomic(durable=True)
def resume_entry_delete(*, actor: User, entry: ResumeEntry, reason: str = "") -> None:
    """Remove a line of a cadre's 简历."""
    _delete_part(actor=actor, cadre=entry.cadre, obj=entry, event="resume.deleted", reason=reason)


@transaction.atomic(durable=True)
def assessment_record(*, actor: User, cadre: Cadre, year: int, grade: str, note: str = "") -> Assessment:
    """Record a cadre's annual assessment result (one per year)."""
    return assessment_record_within(actor=actor, cadre=cadre, year=year, grade=grade, note=note)


def assessment_record_within(
    *, actor: User, cadre: Cadre, year: int, grade: str, note: str = ""
) -> Assessment:
    """``assessment_record`` inside the caller's transaction (closing an assessment round records
    every grade of the round, or none)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("assessment_record_within must run inside a transaction")
    # Scope first, so an out-of-scope actor learns nothing about existing results.
    _require_edit_cadre(actor, cadre)
    if Assessment.objects.filter(cadre=cadre, year=year).exists():
        raise _fail(MSG_ASSESSMENT_EXISTS.format(cadre=cadre.name, year=year), "year")
    saved: Assessment = _save_part(
        actor=actor,
        cadre=cadre,
        obj=Assessment(cadre=cadre),
        data={"year": year, "grade": grade, "note": note},
        fields=("year", "grade", "note"),
        event="assessment.recorded",
        check=lambda a, person: plausibility.check_assessment_year(
            person, year=a.year, today=timezone.localdate()
        ),
    )
    return saved


_RS_FIELDS = (
    "kind",
    "name",
    "decided_on",
    "approving_body",
    "reason",
    *SANCTION_ONLY_FIELDS,
)
MSG_REWARD_NAME = "请填写奖励名称。"


@transaction.atomic(durable=True)
def reward_sanction_record(*, actor: User, cadre: Cadre, data: Mapping[str, Any]) -> RewardSanction:
    """Record a reward or a sanction; a sanction's 影响期 is computed from its kind and decision day.

    ``effective_until`` (the last day of the 影响期, ``rules.sanctions``) is stored computed, so
    eligibility reads the regulation's period; a stated different end is an override that needs
    ``period_override_reason``, recorded on the row and as the audit event's reason. Rewards
    have no kind and no period. The decision date must be plausible (``rules.plausibility``).
    """
    return reward_sanction_record_within(actor=actor, cadre=cadre, data=data)


def reward_sanction_record_within(*, actor: User, cadre: Cadre, data: Mapping[str, Any]) -> RewardSanction:
    """``reward_sanction_record`` inside the caller's transaction, with the same checks and audit event.

    Why: a 诫勉 decided in a talks proceeding is recorded in the same transaction as the
    proceeding's own step, so either both are stored or neither.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("reward_sanction_record_within must run inside a transaction")
    values = {k: v for k, v in data.items() if k in _RS_FIELDS}
    if values.get("kind") == RewardSanctionKind.SANCTION:
        # Sanctions have their own writer: the supervising bodies record them too (DISC-05 etc.).
        return sanction_record_within(actor=actor, cadre=cadre, values=values)
    for field in SANCTION_ONLY_FIELDS:
        if values.get(field):
            raise _fail(MSG_REWARD_NO_PERIOD, field)
    if values.get("kind") == RewardSanctionKind.REWARD and not str(values.get("name") or "").strip():
        raise _fail(MSG_REWARD_NAME, "name")
    saved: RewardSanction = _save_part(
        actor=actor,
        cadre=cadre,
        obj=RewardSanction(cadre=cadre),
        data=values,
        fields=_RS_FIELDS,
        event="reward_sanction.recorded",
        check=lambda r, person: plausibility.check_decision(
            person, field="decided_on", label="决定日期", on=r.decided_on, today=timezone.localdate()
        ),
    )
    return saved


@transaction.atomic(durable=True)
def reserve_add(
    *, actor: User, cadre: Cadre, level: str, source: str, start_date: dt.date
) -> ReserveMembership:
    """Put a cadre into the reserve pool (后备干部)."""
    return reserve_add_within(actor=actor, cadre=cadre, level=level, source=source, start_date=start_date)


def reserve_add_within(
    *, actor: User, cadre: Cadre, level: str, source: str, start_date: dt.date
) -> ReserveMembership:
    """``reserve_add`` inside the caller's transaction (a campaign puts its top ranks in the pool)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("reserve_add_within must run inside a transaction")
    _require_edit_cadre(actor, cadre)
    if ReserveMembership.objects.filter(cadre=cadre, end_date__isnull=True).exists():
        raise _fail(f"{cadre.name} 已在后备干部库中。")
    saved: ReserveMembership = _save_part(
        actor=actor,
        cadre=cadre,
        obj=ReserveMembership(cadre=cadre),
        data={"level": level, "source": source, "start_date": start_date},
        fields=("level", "source", "start_date"),
        event="reserve.added",
        # Not checked against today: a campaign may decide the pool from a stated later day.
        check=lambda m, person: plausibility.check_min_age(
            field="start_date",
            label="入库日期",
            value=m.start_date,
            birth=person.birth,
            minimum=plausibility.MINIMUM_WORKING_AGE,
            basis=plausibility.WORK_BASIS,
        ),
    )
    Cadre.objects.filter(pk=cadre.pk).update(is_reserve=True)
    return saved


@transaction.atomic(durable=True)
def reserve_end(
    *, actor: User, membership: ReserveMembership, end_date: dt.date, reason: str
) -> ReserveMembership:
    """Take a cadre out of the reserve pool, with the date and reason."""
    # Decide on the locked stored row: a copy loaded earlier may predate another officer's end.
    membership = ReserveMembership.objects.select_for_update().select_related("cadre").get(pk=membership.pk)
    _require_edit_cadre(actor, membership.cadre)
    if membership.end_date is not None:
        raise _fail("该后备干部记录已出库。")
    if end_date < membership.start_date:
        raise _fail("出库日期不能早于入库日期。", "end_date")
    saved: ReserveMembership = _save_part(
        actor=actor,
        cadre=membership.cadre,
        obj=membership,
        data={"end_date": end_date, "end_reason": reason},
        fields=("end_date", "end_reason"),
        event="reserve.ended",
    )
    Cadre.objects.filter(pk=membership.cadre_id).update(is_reserve=False)
    return saved
