"""Reads for 任免审批表 files: the records of cadres (export, printing) and the preview of an import.

Every read is scoped to the user (``core.access.cadres_for``) and takes a fixed number of queries
whatever the number of cadres or files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet

from ganbu.core.access import Cap, cadres_for, can_see_sensitive
from ganbu.interop.lrmx.record import Record
from ganbu.interop.mapping import cadre_to_record
from ganbu.registry.models import Cadre, DocumentItem

if TYPE_CHECKING:
    from ganbu.accounts.models import User
    from ganbu.selection.models import SelectionRecord


def cadres_with_record(queryset: QuerySet[Cadre]) -> QuerySet[Cadre]:
    """The cadres with everything their 任免审批表 needs, loaded in a fixed number of queries."""
    return queryset.select_related("unit", "form_extras").prefetch_related(
        "resume_entries", "family_members", "assessments", "rewards_sanctions"
    )


def _load_selection(selection_record: SelectionRecord) -> SelectionRecord:
    """The 纪实 with its posts, candidates and the appointment document's items (one query each)."""
    from ganbu.selection.models import Candidate, SelectionPost, SelectionRecord

    loaded: SelectionRecord = (
        SelectionRecord.objects.select_related("document")
        .prefetch_related(
            Prefetch("posts", queryset=SelectionPost.objects.select_related("post__unit").order_by("id")),
            Prefetch("candidates", queryset=Candidate.objects.select_related("post__unit")),
        )
        .get(pk=selection_record.pk)
    )
    if loaded.document is not None:
        items = DocumentItem.objects.filter(document=loaded.document).select_related("post__unit")
        # Fills the document's items cache, so that the mapping reads them without a query per cadre.
        loaded.document._prefetched_objects_cache = {"items": items}  # type: ignore[attr-defined]
        list(items)
    return loaded


def records_for_cadres(
    *,
    user: User,
    cadres: Iterable[Cadre | int] | QuerySet[Cadre],
    on: dt.date | None = None,
    selection_record: SelectionRecord | None = None,
) -> list[Record]:
    """The 任免审批表 records of the given cadres the user may see, in the order given.

    ``cadres`` may be cadres, ids or a queryset; cadres outside the user's scope are left out. The ID number,
    the family and the sanctions are left out of the records of readers who may not see them on the cadre
    page (``core.access.can_see_sensitive``). A fixed number of queries whatever the count (photos are
    read from storage, not the database).
    """
    if isinstance(cadres, QuerySet):
        ids = list(cadres.values_list("pk", flat=True))
    else:
        ids = [c if isinstance(c, int) else c.pk for c in cadres]
    loaded = {c.pk: c for c in cadres_with_record(cadres_for(user).filter(pk__in=ids))}
    selection = _load_selection(selection_record) if selection_record is not None else None
    records: list[Record] = []
    seen: set[int] = set()
    for pk in ids:
        cadre = loaded.get(pk)
        if cadre is None or pk in seen:
            continue
        seen.add(pk)
        records.append(
            cadre_to_record(
                cadre,
                on=on,
                selection_record=selection,
                show_id=can_see_sensitive(user, cadre, Cap.SENSITIVE_ID),
                show_family=can_see_sensitive(user, cadre, Cap.SENSITIVE_FAMILY),
                show_supervision=can_see_sensitive(user, cadre, Cap.SENSITIVE_SUPERVISION),
            )
        )
    return records
