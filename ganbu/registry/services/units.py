"""Registry services for the organisation: units, their posts and their quotas (职数)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from ganbu.accounts.models import User
from ganbu.core.access import Cap, has_cap
from ganbu.core.audit import audit_record, model_snapshot

from ..models import Post, Quota, Unit
from ._common import MSG_OUT_OF_SCOPE, _fail, _full_clean, _require_edit_unit


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
