"""Registry services for 任免文件: issuing a document, applying its items to tenures and rank
history, and the derived fields (current post, rank, unit) those decide, kept current daily.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ganbu.accounts.models import User
from ganbu.core.access import Cap, cadres_for, has_cap
from ganbu.core.audit import audit_record, model_snapshot
from ganbu.rules import plausibility
from ganbu.rules.tenure import TenureFacts, overlapping

from ..choices import LEADERSHIP_KINDS, CadreStatus, DocumentItemKind, Rank
from ..models import AppointmentDocument, Cadre, DocumentItem, Post, RankRecord, Tenure
from ._common import (
    MSG_NO_EDIT,
    MSG_OUT_OF_SCOPE,
    _fail,
    _full_clean,
    _person_dates,
    _refuse_dates,
    _require_edit_unit,
)

MSG_TENURE_OVERLAP = "{cadre} 在 {date} 已担任「{post}」，不能重复任命。"
MSG_NO_CURRENT_TENURE = "{cadre} 在 {date} 未担任「{post}」，无法免去。"
MSG_ITEM_NEEDS_POST = "第 {n} 项：任命或免去须选择职位。"
MSG_ITEM_NEEDS_RANK = "第 {n} 项：确定职级须选择职级。"
MSG_DOCUMENT_EMPTY = "任免文件至少要有一项任免事项。"
MSG_DOCUMENT_NUMBER_TAKEN = "文号「{number}」已经登记过。"


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
