"""Removing the dead row versions that could tie a voter to a sheet (docs/decisions/0011)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from ganbu.accounts.models import User
from ganbu.core.audit import audit_record

from ..choices import BallotStatus, Channel
from ..models import (
    Ballot,
    Credential,
    Participation,
    SealedSheet,
    Sheet,
)
from .common import MSG_STATUS, RESULT_STATUSES, _fail, _locked, _require_manage


@dataclass(frozen=True)
class PurgeOutcome:
    """What vacuuming the voting tables achieved: tables vacuumed, tables skipped, dead versions left."""

    tables: int
    skipped: tuple[str, ...]
    remaining: int

    @property
    def ok(self) -> bool:
        """Every table vacuumed and no dead row version left behind."""
        return not self.skipped and self.remaining == 0


# The tables whose dead row versions could tie a voter to a sheet: the sealed sheets (deleted at
# the count), the participation and credential rows written with them, and the opened sheets.
PURGED_TABLES = (SealedSheet, Participation, Credential, Sheet)
_VACUUMED = re.compile(r'finished vacuuming "(?:[^"]*\.)?([^".]+)"')
_NOT_REMOVABLE = re.compile(r"(\d+) are dead but not yet removable")


def dead_versions_vacuum(*, attempts: int = 3) -> PurgeOutcome | None:
    """VACUUM the voting tables on PostgreSQL and verify from its report that no dead version is left.

    Why: a deleted or updated row stays in the table file as a dead version, with the id of the
    transaction that wrote it, until VACUUM removes it. ``VACUUM (VERBOSE)`` says per table how many
    dead versions it had to leave (an older snapshot still open elsewhere); those are retried
    briefly. A table the database user may not vacuum (not its owner) is reported as skipped.
    ``None`` on SQLite, and inside a transaction, where VACUUM cannot run (the test suite's).
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    connection.ensure_connection()
    tables = [model._meta.db_table for model in PURGED_TABLES]
    outcome = PurgeOutcome(tables=len(tables), skipped=tuple(tables), remaining=0)
    raw = connection.connection
    assert raw is not None
    heard: list[str] = []

    def hear(diagnostic: Any) -> None:
        heard.append(str(diagnostic.message_primary or ""))

    for attempt in range(attempts):
        heard.clear()
        raw.add_notice_handler(hear)
        try:
            with connection.cursor() as cursor:
                for table in tables:
                    cursor.execute(f"VACUUM (VERBOSE, INDEX_CLEANUP ON) {connection.ops.quote_name(table)}")
        finally:
            raw.remove_notice_handler(hear)
        vacuumed = {m.group(1) for text in heard for m in _VACUUMED.finditer(text)}
        remaining = sum(int(m.group(1)) for text in heard for m in _NOT_REMOVABLE.finditer(text))
        outcome = PurgeOutcome(
            tables=len(tables), skipped=tuple(t for t in tables if t not in vacuumed), remaining=remaining
        )
        if outcome.ok or outcome.skipped:
            break
        time.sleep(0.2 * (attempt + 1))
    return outcome


def _purge_record(*, actor: User | None, ballot: Ballot, outcome: PurgeOutcome) -> None:
    """Stamp the ballot purged when the vacuum verified clean, and audit the outcome (counts only)."""
    with transaction.atomic(durable=True):
        ballot = _locked(ballot)
        if outcome.ok:
            ballot.purged_at = timezone.now()
            ballot.save(update_fields=["purged_at"])
        audit_record(
            actor=actor,
            event_type="voting.dead_versions_purged",
            target=ballot,
            after={
                "purged": outcome.ok,
                "tables": outcome.tables,
                "tables_skipped": len(outcome.skipped),
                "dead_remaining": outcome.remaining,
            },
            unit_id=ballot.unit_id,
        )


def ballot_purge(*, actor: User, ballot: Ballot) -> PurgeOutcome | None:
    """Vacuum the voting tables again after a count whose purge was not verified; ``None`` off PostgreSQL.

    Not one durable transaction like other services: VACUUM cannot run inside a transaction, so
    the vacuum runs first and its outcome is then recorded (and audited) in a transaction of its own.
    """
    ballot = Ballot.objects.select_related("unit").get(pk=ballot.pk)
    _require_manage(actor, ballot.unit)
    if ballot.status not in RESULT_STATUSES or ballot.channel != Channel.ELECTRONIC:
        raise _fail(MSG_STATUS.format(status=BallotStatus(ballot.status).label, action="清除旧版本"))
    outcome = dead_versions_vacuum()
    if outcome is not None:
        _purge_record(actor=actor, ballot=ballot, outcome=outcome)
    return outcome


def dead_versions_purge_pending(*, actor: User | None) -> PurgeOutcome | None:
    """Vacuum the voting tables and record the outcome on every counted ballot not yet verified clean.

    For ``manage.py voting_purge``, run by the database owner when the application's account may
    not vacuum (``actor`` None: recorded as 「系统」). ``None`` off PostgreSQL.
    """
    outcome = dead_versions_vacuum()
    if outcome is None:
        return None
    pending = Ballot.objects.filter(status__in=RESULT_STATUSES, purged_at__isnull=True).exclude(public_key="")
    for ballot in pending:
        _purge_record(actor=actor, ballot=ballot, outcome=outcome)
    return outcome
