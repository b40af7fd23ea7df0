"""Writing and verifying the audit trail.

Services call :func:`audit_record` inside their transaction; nothing else writes ``AuditEvent``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone

from .middleware import current_request_id
from .models import AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64


def to_json(value: Any) -> Any:
    """Plain JSON data (dates as ISO strings, Decimals and files as text), as the database returns it.

    Why: the hash is computed over this value before it is stored and over what the database
    returns when verifying, so both must be the same. PostgreSQL ``jsonb`` keeps numbers as
    ``numeric`` and prints them without an exponent and without a sign on zero, so ``1e+20``
    comes back as the integer ``100000000000000000000`` and ``-0.0`` as ``0.0``. Whole-valued
    floats are therefore stored as integers; other floats print back exactly as Python wrote them.
    """
    if value is None:
        return None
    return _whole_floats_as_int(json.loads(json.dumps(value, default=str, ensure_ascii=False)))


def _whole_floats_as_int(value: Any) -> Any:
    """``value`` with every whole-valued float replaced by the integer (see :func:`to_json`)."""
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, dict):
        return {k: _whole_floats_as_int(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_whole_floats_as_int(v) for v in value]
    return value


def model_snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of ``obj`` (foreign keys as ids) for before/after snapshots."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        value = getattr(obj, field.attname)
        if isinstance(field, models.FileField):
            value = value.name if value else ""
        data[field.name] = value
    result: dict[str, Any] = to_json(data)
    return result


def _digest(fields: dict[str, Any]) -> str:
    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _hashed_fields(event: AuditEvent) -> dict[str, Any]:
    event_time = event.event_time.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return {
        "seq": event.seq,
        "event_time": event_time,
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "event_type": event.event_type,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_repr": event.target_repr,
        "cadre_id": event.cadre_id,
        "unit_id": event.unit_id,
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
        "request_id": event.request_id,
        "prev_hash": event.prev_hash,
    }


def event_hash(event: AuditEvent) -> str:
    """SHA-256 over the event's content and its predecessor's hash."""
    return _digest(_hashed_fields(event))


def audit_record(
    *,
    actor: Any,
    event_type: str,
    target: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    cadre_id: int | None = None,
    unit_id: int | None = None,
) -> AuditEvent:
    """Append one event to the chain. Must run inside the calling service's transaction.

    ``actor`` is the acting user, or ``None`` only for system jobs (the demo loader), which are
    recorded as 「系统」.
    """
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
    actor_name = "系统"
    if actor is not None:
        actor_name = (getattr(actor, "display_name", "") or actor.get_username())[:150]
    event = AuditEvent(
        seq=head.seq + 1,
        event_time=timezone.now(),
        actor=actor,
        actor_name=actor_name,
        event_type=event_type,
        target_type=target._meta.label,
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        cadre_id=cadre_id,
        unit_id=unit_id,
        before=to_json(before),
        after=to_json(after),
        reason=reason,
        request_id=current_request_id(),
        prev_hash=head.hash,
    )
    event.hash = event_hash(event)
    event.save(force_insert=True)
    head.seq = event.seq
    head.hash = event.hash
    head.save(update_fields=["seq", "hash"])
    return event


@dataclass(frozen=True)
class ChainProblem:
    """The first broken link found by :func:`audit_verify`, in words an auditor can act on."""

    seq: int | None
    event_id: int | None
    message: str


@dataclass(frozen=True)
class ChainReport:
    """The outcome of verifying the chain: how many rows were checked and the first problem."""

    checked: int
    head_seq: int
    head_hash: str
    problem: ChainProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _rows() -> Iterator[AuditEvent]:
    # Ordered by primary key, the insertion order: a row moved to another seq shows as a break.
    return AuditEvent.objects.order_by("id").iterator(chunk_size=2000)


def audit_verify() -> ChainReport:
    """Walk the chain in insertion order and name the first edited, deleted or reordered row."""
    prev_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0
    head = AuditChainHead.objects.filter(id=1).first()
    head_seq = head.seq if head else 0
    head_hash = head.hash if head else GENESIS_HASH

    def report(problem: ChainProblem | None) -> ChainReport:
        return ChainReport(checked=checked, head_seq=head_seq, head_hash=head_hash, problem=problem)

    for event in _rows():
        if event.seq != expected_seq:
            # Name the first seq that cannot be verified in place: the missing or displaced one.
            if event.seq > expected_seq and not AuditEvent.objects.filter(seq=expected_seq).exists():
                gap_end = event.seq - 1
                missing = f"{expected_seq}" if gap_end == expected_seq else f"{expected_seq} 至 {gap_end}"
                msg = f"第 {missing} 号事件缺失（已被删除），断点在第 {event.seq} 号事件之前。"
            else:
                msg = (
                    f"第 {expected_seq} 号事件不在应有的位置：紧随第 {expected_seq - 1} 号事件之后的是"
                    f"第 {event.seq} 号事件，顺序被调换。"
                )
            return report(ChainProblem(seq=expected_seq, event_id=event.pk, message=msg))
        if event.prev_hash != prev_hash:
            msg = (
                f"第 {event.seq} 号事件记录的前一条哈希与第 {event.seq - 1} 号事件不符："
                "链条在此断开（前一条被改动、删除或调换）。"
            )
            return report(ChainProblem(seq=event.seq, event_id=event.pk, message=msg))
        if event_hash(event) != event.hash:
            msg = f"第 {event.seq} 号事件的内容与其哈希不符：该事件已被改动。"
            return report(ChainProblem(seq=event.seq, event_id=event.pk, message=msg))
        prev_hash = event.hash
        expected_seq += 1
        checked += 1
    if checked < head_seq:
        msg = f"链头记录共 {head_seq} 条事件，实际连续有效 {checked} 条：最后的事件被删除，或链头被改动。"
        return report(ChainProblem(seq=checked + 1, event_id=None, message=msg))
    if checked > head_seq:
        msg = f"链头只记录到第 {head_seq} 号事件，实际连续有效 {checked} 条：链头被改动或删除。"
        return report(ChainProblem(seq=head_seq + 1, event_id=None, message=msg))
    if prev_hash != head_hash:
        # The chain is internally consistent, so the last row was rewritten with a fresh hash.
        msg = f"第 {checked} 号（最后一条）事件的哈希与链头记录不符：最后的事件被改写，或链头被改动。"
        return report(ChainProblem(seq=checked, event_id=None, message=msg))
    return report(None)
