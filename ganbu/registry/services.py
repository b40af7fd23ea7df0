"""Registry services: the only code that writes registry data.

Each public service is keyword-only, takes the acting user, runs in one durable transaction,
re-checks the actor's scope inside it and writes an audit event. Errors are ``ServiceError`` with
Chinese messages; nothing is written when one is raised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ganbu.accounts.models import User
from ganbu.core.access import Cap, cadres_for, can_edit_cadre, can_edit_unit, has_cap
from ganbu.core.audit import audit_record, model_snapshot
from ganbu.core.errors import ServiceError
from ganbu.rules import plausibility
from ganbu.rules.idcard import IdNumberError, parse_id_number
from ganbu.rules.plausibility import DateProblem, PersonDates
from ganbu.rules.sanctions import PeriodError, sanction_type_from_name, settle_effective_until
from ganbu.rules.tenure import TenureFacts, overlapping

from .choices import (
    EDUCATION_ORDER,
    LEADERSHIP_KINDS,
    CadreStatus,
    CorrectionStatus,
    DocumentItemKind,
    Rank,
    RewardSanctionKind,
    SanctionType,
)
from .models import (
    AppointmentDocument,
    Assessment,
    Cadre,
    CorrectionRequest,
    DocumentItem,
    FamilyMember,
    Post,
    Quota,
    RankRecord,
    ReserveMembership,
    ResumeEntry,
    RewardSanction,
    RosterColumnSet,
    Tenure,
    Unit,
)
from .pinyin import name_initials, name_pinyin
from .roster_columns import chosen_columns

MSG_OUT_OF_SCOPE = "该记录不在您的管理范围内。"
MSG_NO_EDIT = "您的角色不能修改干部信息。"
MSG_ID_BIRTH_MISMATCH = "出生日期 {form} 与身份证号中的出生日期 {id} 不一致。"
MSG_ID_GENDER_MISMATCH = "性别与身份证号不一致：身份证号第17位表示{id}性。"
MSG_ID_DUPLICATE = "身份证号 {value} 已登记给另一名干部。"
MSG_TENURE_OVERLAP = "{cadre} 在 {date} 已担任「{post}」，不能重复任命。"
MSG_NO_CURRENT_TENURE = "{cadre} 在 {date} 未担任「{post}」，无法免去。"
MSG_ITEM_NEEDS_POST = "第 {n} 项：任命或免去须选择职位。"
MSG_ITEM_NEEDS_RANK = "第 {n} 项：确定职级须选择职级。"
MSG_DOCUMENT_EMPTY = "任免文件至少要有一项任免事项。"
MSG_DOCUMENT_NUMBER_TAKEN = "文号「{number}」已经登记过。"
MSG_ASSESSMENT_EXISTS = "{cadre} 的 {year} 年度考核结果已登记。"
MSG_FAMILY_SELF = "亲属对应的在册干部不能是本人。"
MSG_CORRECTION_CLOSED = "该更正申请已经审核过。"
MSG_CORRECTION_FIELD = "字段「{field}」不能通过自助更正修改。"

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
# Fields a cadre may ask to have corrected through self-service.
CORRECTABLE_FIELDS = (
    "ethnicity",
    "native_place",
    "birthplace",
    "health",
    "professional_title",
    "specialty",
    "ft_degree",
    "ft_school",
    "ip_degree",
    "ip_school",
    "democratic_party",
)


def _fail(message: str, field: str | None = None) -> ServiceError:
    return ServiceError({field: [message]} if field else message)


def _require_edit_cadre(actor: User, cadre: Cadre) -> None:
    if not has_cap(actor, Cap.REGISTRY_EDIT):
        raise _fail(MSG_NO_EDIT)
    if not can_edit_cadre(actor, cadre):
        raise _fail(MSG_OUT_OF_SCOPE)


def _require_edit_unit(actor: User, unit: Unit) -> None:
    if not has_cap(actor, Cap.REGISTRY_EDIT):
        raise _fail(MSG_NO_EDIT)
    if not can_edit_unit(actor, unit):
        raise _fail(MSG_OUT_OF_SCOPE, "unit")


def _refuse_dates(problems: Sequence[DateProblem], prefix: str = "") -> None:
    """Raise the plausibility problems as one ``ServiceError`` keyed by field (nothing is written)."""
    if not problems:
        return
    if prefix:
        raise ServiceError([prefix + p.message for p in problems])
    errors: dict[str, list[str]] = {}
    for problem in problems:
        errors.setdefault(problem.field, []).append(problem.message)
    raise ServiceError(errors)


def _person_dates(cadre: Cadre) -> PersonDates:
    """The dates of the stored cadre the dates of the record's parts are checked against."""
    stored = (
        Cadre.objects.filter(pk=cadre.pk).values("birth_date", "work_start_date", "party_join_date").get()
    )
    return PersonDates(
        birth=stored["birth_date"], work_start=stored["work_start_date"], party_join=stored["party_join_date"]
    )


def _full_clean(obj: Any, exclude: Sequence[str] = ()) -> None:
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        raise ServiceError(exc.message_dict) from None


# ---------------------------------------------------------------- units, posts, quotas


@transaction.atomic(durable=True)
def unit_create(*, actor: User, data: Mapping[str, Any]) -> Unit:
    """Create a unit under ``data['parent']`` (or at the top) and record it."""
    unit = Unit(**{k: v for k, v in data.items() if k in _UNIT_FIELDS})
    if unit.parent is not None:
        _require_edit_unit(actor, unit.parent)
    elif not has_cap(actor, Cap.REGISTRY_EDIT) or actor.scope_unit_id is not None:
        raise _fail(MSG_OUT_OF_SCOPE, "parent")
    _full_clean(unit, exclude=["path"])
    unit.save()
    unit.path = unit.compute_path()
    unit.depth = unit.path.count(".") - 1
    unit.save(update_fields=["path", "depth"])
    audit_record(
        actor=actor, event_type="unit.created", target=unit, after=model_snapshot(unit), unit_id=unit.pk
    )
    return unit


_UNIT_FIELDS = ("name", "short_name", "code", "parent", "kind", "level", "sort_order", "is_active")


@transaction.atomic(durable=True)
def unit_update(*, actor: User, unit: Unit, data: Mapping[str, Any], reason: str = "") -> Unit:
    """Change a unit's attributes (not its place in the tree) and record before/after."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    _require_edit_unit(actor, unit)
    before = model_snapshot(unit)
    for key, value in data.items():
        if key in _UNIT_FIELDS and key != "parent":
            setattr(unit, key, value)
    _full_clean(unit, exclude=["path", "parent"])
    unit.save()
    audit_record(
        actor=actor,
        event_type="unit.updated",
        target=unit,
        before=before,
        after=model_snapshot(unit),
        reason=reason,
        unit_id=unit.pk,
    )
    return unit


_POST_FIELDS = (
    "unit",
    "title",
    "kind",
    "rank",
    "is_leadership",
    "counts_toward_quota",
    "sort_order",
    "is_active",
)


@transaction.atomic(durable=True)
def post_create(*, actor: User, data: Mapping[str, Any]) -> Post:
    """Create a post in a unit."""
    post = Post(**{k: v for k, v in data.items() if k in _POST_FIELDS})
    _full_clean(post)
    _require_edit_unit(actor, post.unit)
    post.save()
    audit_record(
        actor=actor, event_type="post.created", target=post, after=model_snapshot(post), unit_id=post.unit_id
    )
    return post


@transaction.atomic(durable=True)
def post_update(*, actor: User, post: Post, data: Mapping[str, Any], reason: str = "") -> Post:
    """Change a post's attributes (the unit stays)."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    _require_edit_unit(actor, post.unit)
    before = model_snapshot(post)
    for key, value in data.items():
        if key in _POST_FIELDS and key != "unit":
            setattr(post, key, value)
    _full_clean(post)
    post.save()
    audit_record(
        actor=actor,
        event_type="post.updated",
        target=post,
        before=before,
        after=model_snapshot(post),
        reason=reason,
        unit_id=post.unit_id,
    )
    return post


@transaction.atomic(durable=True)
def quota_set(*, actor: User, unit: Unit, kind: str, number: int, reason: str = "") -> Quota:
    """Set a unit's quota (职数) for a post kind."""
    _require_edit_unit(actor, unit)
    if number < 0:
        raise _fail("职数不能为负数。", "number")
    quota, created = Quota.objects.select_for_update().get_or_create(
        unit=unit, kind=kind, defaults={"number": number}
    )
    before = None if created else model_snapshot(quota)
    quota.number = number
    _full_clean(quota)
    quota.save()
    audit_record(
        actor=actor,
        event_type="quota.set",
        target=quota,
        before=before,
        after=model_snapshot(quota),
        reason=reason,
        unit_id=unit.pk,
    )
    return quota


# ---------------------------------------------------------------- cadres


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


def _refresh_derived(cadre: Cadre, on: dt.date) -> None:
    """Recompute rank, leadership, current post text and unit from tenures and rank records."""
    current = list(
        Tenure.objects.filter(cadre=cadre, start_date__lte=on)
        .exclude(end_date__lte=on)
        .select_related("post__unit")
        .order_by("start_date")
    )
    current.sort(key=lambda t: (t.post.kind not in LEADERSHIP_KINDS, list(Rank.values).index(t.post.rank)))
    cadre.is_leadership = any(t.post.is_leadership for t in current)
    cadre.current_post_text = "、".join(f"{t.post.unit.name}{t.post.title}" for t in current)[:200]
    if current:
        cadre.unit = current[0].post.unit
    rank = (
        RankRecord.objects.filter(cadre=cadre, start_date__lte=on)
        .exclude(end_date__lte=on)
        .order_by("-start_date")
        .values_list("rank", flat=True)
        .first()
    )
    cadre.rank = rank or Rank.STAFF
    cadre.save(update_fields=["is_leadership", "current_post_text", "unit", "rank", "updated_at"])


# ---------------------------------------------------------------- documents and tenures


@dataclass(frozen=True)
class ItemInput:
    """One item of a document to issue: kind, cadre, post (appoint/remove) or rank, effective date."""

    kind: str
    cadre: Cadre
    effective_on: dt.date
    post: Post | None = None
    rank: str = ""


@transaction.atomic(durable=True)
def document_issue(
    *,
    actor: User,
    number: str,
    title: str,
    issued_on: dt.date,
    issuing_body: str,
    items: Sequence[ItemInput],
    note: str = "",
) -> AppointmentDocument:
    """Record an appointment/removal document and apply its items to tenures and rank history.

    Items apply in order, so one document can remove a cadre from one post and appoint them to
    another. Any failing item rejects the whole document (nothing is written).
    """
    return document_issue_within(
        actor=actor,
        number=number,
        title=title,
        issued_on=issued_on,
        issuing_body=issuing_body,
        items=items,
        note=note,
    )


def document_issue_within(
    *,
    actor: User,
    number: str,
    title: str,
    issued_on: dt.date,
    issuing_body: str,
    items: Sequence[ItemInput],
    note: str = "",
) -> AppointmentDocument:
    """``document_issue`` inside the caller's transaction, for services of other apps.

    The appointment procedure and the exits issue their document as one step of their own durable
    transaction (a refused document must roll back the step too), so they cannot call the durable
    ``document_issue``. Must run inside ``transaction.atomic``.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("document_issue_within must run inside a transaction")
    if not has_cap(actor, Cap.DOCUMENT_ISSUE):
        raise _fail(MSG_NO_EDIT)
    if not items:
        raise _fail(MSG_DOCUMENT_EMPTY)
    if AppointmentDocument.objects.filter(number=number.strip()).exists():
        raise _fail(MSG_DOCUMENT_NUMBER_TAKEN.format(number=number.strip()), "number")
    document = AppointmentDocument(
        number=number.strip(),
        title=title.strip(),
        issued_on=issued_on,
        issuing_body=issuing_body.strip(),
        note=note,
        created_by=actor,
    )
    _full_clean(document, exclude=["created_by"])
    document.save()
    visible = cadres_for(actor)
    touched: dict[int, Cadre] = {}
    for n, spec in enumerate(items, start=1):
        if not visible.filter(pk=spec.cadre.pk).exists():
            raise _fail(f"第 {n} 项：{MSG_OUT_OF_SCOPE}")
        item = DocumentItem(
            document=document,
            kind=spec.kind,
            cadre=spec.cadre,
            post=spec.post,
            rank=spec.rank,
            effective_on=spec.effective_on,
            sort_order=n,
        )
        _full_clean(item)
        if spec.kind in (DocumentItemKind.APPOINT, DocumentItemKind.REMOVE):
            if spec.post is None:
                raise _fail(MSG_ITEM_NEEDS_POST.format(n=n))
            _require_edit_unit(actor, spec.post.unit)
        elif not spec.rank:
            raise _fail(MSG_ITEM_NEEDS_RANK.format(n=n))
        if spec.kind != DocumentItemKind.REMOVE:
            what = (
                f"任职「{spec.post}」"
                if spec.kind == DocumentItemKind.APPOINT
                else f"职级「{item.get_rank_display()}」"
            )
            _refuse_dates(
                plausibility.check_appointment(
                    _person_dates(spec.cadre),
                    field="effective_on",
                    label=f"{what}的生效日期",
                    on=spec.effective_on,
                ),
                prefix=f"第 {n} 项：",
            )
        item.save()
        _apply_item(item, n)
        touched[spec.cadre.pk] = spec.cadre
    today = timezone.localdate()
    for cadre in touched.values():
        _refresh_derived(cadre, today)
    items_saved = list(document.items.select_related("cadre", "post__unit"))
    audit_record(
        actor=actor,
        event_type="document.issued",
        target=document,
        after={
            "number": document.number,
            "issued_on": document.issued_on,
            "items": [str(i) for i in items_saved],
        },
    )
    # One event per item as well, carrying the cadre and unit ids, so that a cadre's or a unit's
    # audit history shows the documents that changed it.
    for item in items_saved:
        audit_record(
            actor=actor,
            event_type="document.item_applied",
            target=item,
            after={
                "document": document.number,
                "kind": item.kind,
                "post": str(item.post or ""),
                "rank": item.rank,
                "effective_on": item.effective_on,
            },
            cadre_id=item.cadre_id,
            unit_id=item.post.unit_id if item.post else item.cadre.unit_id,
        )
    return document


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


def _apply_item(item: DocumentItem, n: int) -> None:
    cadre = item.cadre
    if item.kind == DocumentItemKind.APPOINT:
        assert item.post is not None
        existing = [
            TenureFacts(post_id=t.post_id, post_title="", unit_name="", start=t.start_date, end=t.end_date)
            for t in Tenure.objects.filter(cadre=cadre, post=item.post)
        ]
        if overlapping(existing, item.effective_on, None, item.post.pk):
            raise _fail(
                f"第 {n} 项："
                + MSG_TENURE_OVERLAP.format(cadre=cadre.name, date=item.effective_on, post=item.post)
            )
        Tenure.objects.create(cadre=cadre, post=item.post, start_date=item.effective_on, start_item=item)
        if cadre.status != CadreStatus.SERVING:
            cadre.status = CadreStatus.SERVING
            cadre.save(update_fields=["status"])
    elif item.kind == DocumentItemKind.REMOVE:
        tenure = (
            Tenure.objects.select_for_update()
            .filter(cadre=cadre, post=item.post, start_date__lte=item.effective_on, end_date__isnull=True)
            .first()
        )
        if tenure is None:
            raise _fail(
                f"第 {n} 项："
                + MSG_NO_CURRENT_TENURE.format(cadre=cadre.name, date=item.effective_on, post=item.post)
            )
        tenure.end_date = item.effective_on
        tenure.end_item = item
        tenure.save(update_fields=["end_date", "end_item"])
    else:
        RankRecord.objects.filter(
            cadre=cadre, end_date__isnull=True, start_date__lte=item.effective_on
        ).update(end_date=item.effective_on)
        RankRecord.objects.create(cadre=cadre, rank=item.rank, start_date=item.effective_on, item=item)


# ---------------------------------------------------------------- parts of a cadre's record


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
    "sanction_type",
    "decided_on",
    "approving_body",
    "effective_until",
    "period_override_reason",
    "reason",
)
MSG_REWARD_NAME = "请填写奖励名称。"
MSG_REWARD_NO_PERIOD = "奖励没有影响期和处分种类，请留空。"
MSG_SANCTION_TYPE = "处分种类不正确，请从列表中选择。"


def _settle_sanction(values: dict[str, Any]) -> None:
    """Fill a sanction's kind, name and 影响期 the way ``rules.sanctions`` gives them (in place).

    The kind is the one chosen, or else read from the typed name (``警告处分`` → 警告), so callers
    that only name the sanction (the API, imports) get the same period. A blank name becomes the
    kind's label. A blank end becomes the computed one; a different stated end needs a reason.
    """
    chosen = values.get("sanction_type") or sanction_type_from_name(str(values.get("name") or ""))
    if chosen not in SanctionType.values:
        raise _fail(MSG_SANCTION_TYPE, "sanction_type")
    kind = SanctionType(chosen)
    values["sanction_type"] = kind.value
    if not str(values.get("name") or "").strip():
        values["name"] = kind.label
    decided = values.get("decided_on")
    if not isinstance(decided, dt.date):
        return  # full_clean reports the missing decision date
    try:
        until, reason = settle_effective_until(
            kind.value,
            decided_on=decided,
            stated=values.get("effective_until"),
            reason=str(values.get("period_override_reason") or ""),
        )
    except PeriodError as exc:
        raise _fail(str(exc), exc.field) from None
    values["effective_until"], values["period_override_reason"] = until, reason


@transaction.atomic(durable=True)
def reward_sanction_record(*, actor: User, cadre: Cadre, data: Mapping[str, Any]) -> RewardSanction:
    """Record a reward or a sanction; a sanction's 影响期 is computed from its kind and decision day.

    ``effective_until`` (the last day of the 影响期, ``rules.sanctions``) is stored computed, so
    eligibility reads the regulation's period; a stated different end is an override that needs
    ``period_override_reason``, recorded on the row and as the audit event's reason. Rewards
    have no kind and no period. The decision date must be plausible (``rules.plausibility``).
    """
    values = {k: v for k, v in data.items() if k in _RS_FIELDS}
    if values.get("kind") == RewardSanctionKind.SANCTION:
        _settle_sanction(values)
    else:
        for field in ("sanction_type", "effective_until", "period_override_reason"):
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
        reason=str(values.get("period_override_reason") or ""),
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


# ---------------------------------------------------------------- self-service corrections


@transaction.atomic(durable=True)
def correction_submit(
    *, actor: User, field_name: str, proposed_value: str, explanation: str = ""
) -> CorrectionRequest:
    """A cadre asks for a field of their own record to be corrected; an officer reviews it."""
    if not has_cap(actor, Cap.SELF_SERVICE) or actor.cadre is None:
        raise _fail("只有干部本人可以提交信息更正申请。")
    if field_name not in CORRECTABLE_FIELDS:
        raise _fail(MSG_CORRECTION_FIELD.format(field=field_name), "field_name")
    proposed_value = proposed_value.strip()
    if not proposed_value:
        raise _fail("请填写更正后的内容。", "proposed_value")
    cadre = actor.cadre
    request = CorrectionRequest(
        cadre=cadre,
        submitted_by=actor,
        field_name=field_name,
        explanation=explanation.strip(),
        current_value=str(getattr(cadre, field_name) or ""),
        proposed_value=proposed_value,
    )
    _full_clean(request, exclude=["submitted_by", "reviewed_by"])
    request.save()
    audit_record(
        actor=actor,
        event_type="correction.submitted",
        target=request,
        after=model_snapshot(request),
        cadre_id=cadre.pk,
        unit_id=cadre.unit_id,
    )
    return request


@transaction.atomic(durable=True)
def correction_review(
    *, actor: User, request: CorrectionRequest, approve: bool, note: str = ""
) -> CorrectionRequest:
    """Approve (and apply to the record) or reject a correction request."""
    request = CorrectionRequest.objects.select_for_update().select_related("cadre").get(pk=request.pk)
    if not has_cap(actor, Cap.CORRECTION_REVIEW):
        raise _fail(MSG_NO_EDIT)
    _require_edit_cadre(actor, request.cadre)
    if request.status != CorrectionStatus.PENDING:
        raise _fail(MSG_CORRECTION_CLOSED)
    if approve:
        cadre = Cadre.objects.select_for_update().get(pk=request.cadre_id)
        before = model_snapshot(cadre, [request.field_name])
        setattr(cadre, request.field_name, request.proposed_value)
        _full_clean(cadre)
        cadre.save()
        audit_record(
            actor=actor,
            event_type="cadre.updated",
            target=cadre,
            before=before,
            after=model_snapshot(cadre, [request.field_name]),
            reason=f"采纳信息更正申请 #{request.pk}",
            cadre_id=cadre.pk,
            unit_id=cadre.unit_id,
        )
    request.status = CorrectionStatus.APPROVED if approve else CorrectionStatus.REJECTED
    request.reviewed_by = actor
    request.reviewed_at = timezone.now()
    request.review_note = note
    request.save()
    audit_record(
        actor=actor,
        event_type="correction.reviewed",
        target=request,
        after={"status": request.status, "note": note},
        cadre_id=request.cadre_id,
    )
    return request


# ---------------------------------------------------------------- dated items coming into force

_DERIVED_FIELDS = ["is_leadership", "current_post_text", "unit", "rank"]


@transaction.atomic(durable=True)
def cadre_refresh_derived(*, actor: User | None, on: dt.date, since: dt.date) -> list[Cadre]:
    """Bring derived fields up to date for tenures and ranks that began or ended in (since, on].

    ``document_issue`` derives a cadre's current post, rank and unit as of the day it runs; an item
    effective on a later day (任职 "自某月某日起") comes into force without anyone touching the
    record. This runs daily (``ganbu refresh``; ``actor=None`` is the scheduled job) and is
    idempotent: a cadre whose fields do not change gets no audit event.
    """
    if actor is not None and not has_cap(actor, Cap.REGISTRY_EDIT):
        raise _fail(MSG_NO_EDIT)
    window = Q(start_date__gt=since, start_date__lte=on) | Q(end_date__gt=since, end_date__lte=on)
    ids = set(Tenure.objects.filter(window).values_list("cadre_id", flat=True))
    ids |= set(RankRecord.objects.filter(window).values_list("cadre_id", flat=True))
    changed: list[Cadre] = []
    for cadre in Cadre.objects.select_for_update().filter(pk__in=ids).order_by("pk"):
        before = model_snapshot(cadre, _DERIVED_FIELDS)
        _refresh_derived(cadre, on)
        after = model_snapshot(cadre, _DERIVED_FIELDS)
        if after != before:
            audit_record(
                actor=actor,
                event_type="cadre.derived_refreshed",
                target=cadre,
                before=before,
                after=after,
                reason=f"任免事项于 {on:%Y-%m-%d} 前生效",
                cadre_id=cadre.pk,
                unit_id=cadre.unit_id,
            )
            changed.append(cadre)
    return changed


# ---------------------------------------------------------------- saved roster column sets

MSG_COLUMN_SET_NAME = "请填写列组合的名称（不超过 50 个字）。"
MSG_COLUMN_SET_EMPTY = "请至少选择一列。"
MSG_COLUMN_SET_NOT_FOUND = "列组合不存在或不是您保存的。"


@transaction.atomic(durable=True)
def roster_column_set_save(*, actor: User, name: str, columns: Sequence[str]) -> RosterColumnSet:
    """Save the actor's choice of roster columns under ``name`` (the same name again replaces it).

    Only columns the actor may choose are kept, in the order given, once each.
    """
    name = " ".join(name.split())
    if not name or len(name) > 50:
        raise _fail(MSG_COLUMN_SET_NAME, "name")
    if not has_cap(actor, Cap.REGISTRY_VIEW):
        raise _fail(MSG_NO_EDIT)
    keys = [c.key for c in chosen_columns(actor, columns)]
    if not keys:
        raise _fail(MSG_COLUMN_SET_EMPTY, "columns")
    column_set = RosterColumnSet.objects.select_for_update().filter(user=actor, name=name).first()
    before = model_snapshot(column_set) if column_set else None
    if column_set is None:
        column_set = RosterColumnSet(user=actor, name=name)
    column_set.columns = keys
    column_set.save()
    audit_record(
        actor=actor,
        event_type="roster.column_set_saved",
        target=column_set,
        before=before,
        after=model_snapshot(column_set),
    )
    return column_set


@transaction.atomic(durable=True)
def roster_column_set_delete(*, actor: User, column_set_id: int) -> None:
    """Delete one of the actor's saved column sets (another user's is refused as not found)."""
    column_set = RosterColumnSet.objects.select_for_update().filter(pk=column_set_id, user=actor).first()
    if column_set is None:
        raise _fail(MSG_COLUMN_SET_NOT_FOUND)
    before = model_snapshot(column_set)
    audit_record(actor=actor, event_type="roster.column_set_deleted", target=column_set, before=before)
    column_set.delete()
