"""Tampering with the audit table behind the application's back, as a database administrator would.

Why a helper: the append-only triggers (migration ``core.0002``) refuse UPDATE and DELETE, so a
test that plays the attacker first does what an attacker with full database rights can do —
on PostgreSQL switch triggers off for the session (``session_replication_role = replica``, a
superuser's right), on SQLite drop the trigger (whoever can write the file can). What the tests
then show is what ``audit_verify`` detects *after* the database's own guards were bypassed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from django.db import connection

from ganbu.core.audit import GENESIS_HASH, _hashed_fields
from ganbu.core.models import AuditChainHead, AuditEvent

TABLE = AuditEvent._meta.db_table


def bypass_guards() -> None:
    """Switch off the append-only triggers for the rest of the test's transaction."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        elif connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")


def tamper(sql: str, params: Sequence[Any] = ()) -> None:
    """Run ``sql`` against the audit table (``{t}`` is its quoted name) with the guards bypassed."""
    bypass_guards()
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("{t}", connection.ops.quote_name(TABLE)), list(params))


def unkeyed_hash(event: AuditEvent) -> str:
    """The hash anyone can compute from the published algorithm: SHA-256 over the canonical JSON.

    This is what an attacker without the audit key can produce (it was the chain's only hash
    before issue 11).
    """
    payload = json.dumps(
        _hashed_fields(event), sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def rehash_from(seq: int) -> str:
    """Recompute ``prev_hash``/``hash`` of every row from ``seq`` on without the key; move the head.

    The careful attacker: after editing a row they make every later link consistent again and
    point the head at the new last hash. Returns that hash.
    """
    prev = GENESIS_HASH if seq == 1 else AuditEvent.objects.get(seq=seq - 1).hash
    last_seq = seq - 1
    for event in AuditEvent.objects.filter(seq__gte=seq).order_by("seq"):
        event.prev_hash = prev
        new = unkeyed_hash(event)
        tamper("UPDATE {t} SET prev_hash = %s, hash = %s WHERE id = %s", [prev, new, event.pk])
        prev, last_seq = new, event.seq
    AuditChainHead.objects.filter(id=1).update(seq=last_seq, hash=prev)
    return prev


def roll_back_to(seq: int) -> None:
    """Delete every event after ``seq`` and rewind the head to ``seq``: the chain stays consistent."""
    tamper("DELETE FROM {t} WHERE seq > %s", [seq])
    last = AuditEvent.objects.get(seq=seq)
    AuditChainHead.objects.filter(id=1).update(seq=seq, hash=last.hash)
