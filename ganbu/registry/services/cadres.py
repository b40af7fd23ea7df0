"""Registry services for the cadre record itself: create, update, the checks a preview runs
(``cadre_check``), the ``_within`` variants for imports, and the status set by other apps' steps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from ganbu.accounts.models import User
from ganbu.core.audit import audit_record, model_snapshot
from ganbu.core.errors import ServiceError
from ganbu.rules import plausibility
from ganbu.rules.idcard import IdNumberError, parse_id_number
from ganbu.rules.plausibility import DateProblem, PersonDates

from ..choices import EDUCATION_ORDER, CadreStatus
from ..models import Cadre, RankRecord, ResumeEntry, Tenure
from ..pinyin import name_initials, name_pinyin
from ._common import _fail, _full_clean, _refuse_dates, _require_edit_cadre, _require_edit_unit

MSG_ID_BIRTH_MISMATCH = "出生日期 {form} 与身份证号中的出生日期 {id} 不一致。"
MSG_ID_GENDER_MISMATCH = "性别与身份证号不一致：身份证号第17位表示{id}性。"
MSG_ID_DUPLICATE = "身份证号 {value} 已登记给另一名干部。"

# Fields a cadre record form may set; derived fields (rank, pinyin, current post) are not here.
CADRE_FIELDS = (
    "name",
    "gender",
    "birth_date",
    "ethnicity",
    "native_place",
    "birthplace",
    "political_status",
    "party_join_date",
    "democratic_party",
    "work_start_date",
    "health",
    "professional_title",
    "specialty",
    "ft_education",
    "ft_degree",
    "ft_school",
    "ip_education",
    "ip_degree",
    "ip_school",
    "id_number",
    "photo",
    "unit",
    "status",
    "category",
    "management_authority",
)


def _check_identity(cadre: Cadre) -> None:
    """Normalise the ID number and check it against birth date and gender (GB 11643-1999)."""
    if not cadre.id_number:
        cadre.id_number = None
        return
    try:
        parsed = parse_id_number(cadre.id_number, today=timezone.localdate())
    except IdNumberError as exc:
        raise _fail(str(exc), "id_number") from None
    cadre.id_number = parsed.value
    errors: dict[str, list[str]] = {}
    if cadre.birth_date and cadre.birth_date != parsed.birth_date:
        errors["birth_date"] = [MSG_ID_BIRTH_MISMATCH.format(form=cadre.birth_date, id=parsed.birth_date)]
    if cadre.gender and cadre.gender != parsed.gender:
        errors["gender"] = [MSG_ID_GENDER_MISMATCH.format(id="男" if parsed.gender == "M" else "女")]
    duplicate = Cadre.objects.filter(id_number=parsed.value).exclude(pk=cadre.pk).exists()
    if duplicate:
        errors["id_number"] = [MSG_ID_DUPLICATE.format(value=parsed.value)]
    if errors:
        raise ServiceError(errors)


def _check_cadre_dates(cadre: Cadre, *, history: bool) -> None:
    """Refuse implausible dates of the record (``rules.plausibility``), naming field and fact.

    ``history``: the birth date or the work start changed on an existing record, so its stored
    tenures, ranks and 简历 are checked against the new dates too (a changed 参加工作时间 may not
    fall after a post already held). Unrelated edits are not blocked by older entries.
    """
    if not isinstance(cadre.birth_date, dt.date):
        return  # a missing or unparsed date is full_clean's to report
    person = PersonDates(
        birth=cadre.birth_date, work_start=cadre.work_start_date, party_join=cadre.party_join_date
    )
    problems = plausibility.check_person(person, today=timezone.localdate())
    if not problems and history:
        problems = _history_problems(cadre, person)
    _refuse_dates(problems)


def _history_problems(cadre: Cadre, person: PersonDates) -> list[DateProblem]:
    """Stored tenures, ranks and 简历 lines that the cadre's new dates make implausible.

    The fault is in the record's changed field (出生日期 or 参加工作时间), so problems are keyed to
    it; the earliest entry of each kind decides, as it is the first to conflict.
    """
    found: list[DateProblem] = []
    tenure = Tenure.objects.filter(cadre=cadre).select_related("post__unit").order_by("start_date").first()
    if tenure is not None:
        found += plausibility.check_appointment(
            person,
            field="birth_date",
            work_field="work_start_date",
            label=f"已登记的任职「{tenure.post}」的生效日期",
            on=tenure.start_date,
        )
    rank = RankRecord.objects.filter(cadre=cadre).order_by("start_date").first()
    if rank is not None:
        found += plausibility.check_appointment(
            person,
            field="birth_date",
            work_field="work_start_date",
            label=f"已登记的职级「{rank.get_rank_display()}」的生效日期",
            on=rank.start_date,
        )
    entry = ResumeEntry.objects.filter(cadre=cadre).order_by("start_date").first()
    if entry is not None:
        found += [
            DateProblem("birth_date", f"已登记的简历「{entry.text}」的{p.message}")
            for p in plausibility.check_min_age(
                field="birth_date",
                label="起始年月",
                value=entry.start_date,
                birth=person.birth,
                minimum=plausibility.MINIMUM_RESUME_AGE,
                basis=plausibility.RESUME_BASIS,
                precision=plausibility.Precision.MONTH,
            )
        ]
    return found


def _derive_names(cadre: Cadre) -> None:
    cadre.name = "".join(cadre.name.split())
    cadre.name_pinyin = name_pinyin(cadre.name)
    cadre.name_initials = name_initials(cadre.name)
    educations = [e for e in (cadre.ft_education, cadre.ip_education) if e]
    cadre.highest_education = min(educations, key=EDUCATION_ORDER.__getitem__) if educations else ""


@transaction.atomic(durable=True)
def cadre_create(*, actor: User, data: Mapping[str, Any], reason: str = "") -> Cadre:
    """Register a new cadre in a unit within the actor's scope."""
    return cadre_create_within(actor=actor, data=data, reason=reason)


def _new_cadre(actor: User, data: Mapping[str, Any]) -> Cadre:
    """A new cadre from ``data``, derived fields set and every check of ``cadre_create`` passed; not saved."""
    cadre = Cadre(**{k: v for k, v in data.items() if k in CADRE_FIELDS})
    _derive_names(cadre)
    _check_identity(cadre)
    _full_clean(cadre, exclude=["id_number"] if cadre.id_number else [])
    _check_cadre_dates(cadre, history=False)
    _require_edit_unit(actor, cadre.unit)
    return cadre


def _changed_cadre(actor: User, cadre: Cadre, data: Mapping[str, Any]) -> tuple[Cadre, dict[str, Any]]:
    """The stored cadre with ``data`` applied and every check of ``cadre_update`` passed, and its
    snapshot before the change; not saved."""
    _require_edit_cadre(actor, cadre)
    before = model_snapshot(cadre)
    stored_dates = (cadre.birth_date, cadre.work_start_date)
    for key, value in data.items():
        if key in CADRE_FIELDS:
            setattr(cadre, key, value)
    _derive_names(cadre)
    _check_identity(cadre)
    _full_clean(cadre, exclude=["id_number"] if cadre.id_number else [])
    _check_cadre_dates(cadre, history=(cadre.birth_date, cadre.work_start_date) != stored_dates)
    if cadre.unit_id != before["unit"]:
        _require_edit_unit(actor, cadre.unit)
    return cadre, before


def cadre_check(*, actor: User, data: Mapping[str, Any], cadre: Cadre | None = None) -> None:
    """Run every check ``cadre_create`` (no ``cadre``) or ``cadre_update`` would run; write nothing.

    For previews (the Excel roster import): the same ``ServiceError``, keyed by field, that the
    write would raise. ``cadre`` is not changed (a fresh copy is checked).
    """
    if cadre is None:
        _new_cadre(actor, data)
    else:
        _changed_cadre(actor, Cadre.objects.get(pk=cadre.pk), data)


def cadre_create_within(*, actor: User, data: Mapping[str, Any], reason: str = "") -> Cadre:
    """``cadre_create`` inside the caller's transaction (an import writing many cadres, all or none).

    Must run inside ``transaction.atomic``.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("cadre_create_within must run inside a transaction")
    cadre = _new_cadre(actor, data)
    cadre.save()
    audit_record(
        actor=actor,
        event_type="cadre.created",
        target=cadre,
        after=model_snapshot(cadre),
        reason=reason,
        cadre_id=cadre.pk,
        unit_id=cadre.unit_id,
    )
    return cadre


@transaction.atomic(durable=True)
def cadre_update(*, actor: User, cadre: Cadre, data: Mapping[str, Any], reason: str = "") -> Cadre:
    """Change a cadre's record; the audit event keeps only the fields that changed."""
    return cadre_update_within(actor=actor, cadre=cadre, data=data, reason=reason)


def cadre_update_within(*, actor: User, cadre: Cadre, data: Mapping[str, Any], reason: str = "") -> Cadre:
    """``cadre_update`` inside the caller's transaction (an import writing many cadres, all or none).

    Must run inside ``transaction.atomic``.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("cadre_update_within must run inside a transaction")
    cadre, before = _changed_cadre(actor, Cadre.objects.select_for_update().get(pk=cadre.pk), data)
    cadre.save()
    after = model_snapshot(cadre)
    changed = sorted(k for k in after if after[k] != before.get(k) and k != "updated_at")
    audit_record(
        actor=actor,
        event_type="cadre.updated",
        target=cadre,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
        reason=reason,
        cadre_id=cadre.pk,
        unit_id=cadre.unit_id,
    )
    return cadre


def cadre_status_set_within(*, actor: User, cadre: Cadre, status: str, on: dt.date, reason: str) -> Cadre:
    """Change a cadre's status (离岗退养, 退休, 辞职 …) inside the caller's transaction, audited.

    For services of other apps whose step changes the status (the exits); the status is not an
    editable field of the record, because it follows from decisions, not from typing.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("cadre_status_set_within must run inside a transaction")
    if status not in CadreStatus.values:
        raise _fail("干部状态不正确。", "status")
    _require_edit_cadre(actor, cadre)
    before = cadre.status
    cadre.status = status
    cadre.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        event_type="cadre.status_changed",
        target=cadre,
        before={"status": before},
        after={"status": status, "on": on},
        reason=reason,
        cadre_id=cadre.pk,
        unit_id=cadre.unit_id,
    )
    return cadre
