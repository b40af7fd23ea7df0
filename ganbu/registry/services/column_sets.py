"""Registry services for the roster's saved column sets (one user's named choices of columns)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from ganbu.accounts.models import User
from ganbu.core.access import Cap, has_cap
from ganbu.core.audit import audit_record, model_snapshot

from ..models import RosterColumnSet
from ..roster_columns import chosen_columns
from ._common import MSG_NO_EDIT, _fail

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
