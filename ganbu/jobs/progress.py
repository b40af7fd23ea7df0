"""The progress of a running job, written to its ``ImportJob`` so that a polling page can read it.

Moved from ``ganbu.campaigns.excel`` (``_Tracker``). docs/decisions/0009-excel-import.md explains why
progress goes through a second connection while a kind writes, and why not on SQLite.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.utils import timezone

from .choices import JobStatus
from .models import ImportJob

logger = logging.getLogger("ganbu.jobs.progress")

MAX_LISTED_ERRORS = 1000
"""A job keeps at most this many messages (and says how many more there were)."""
MSG_MORE_ERRORS = "……另有 {count} 条错误未列出，请先改正以上错误。"


class Superseded(Exception):
    """The job is no longer this worker's attempt (it was found interrupted and queued again)."""


def listed(messages: Sequence[str]) -> list[str]:
    """At most ``MAX_LISTED_ERRORS`` messages, and a last one saying how many more there were."""
    listed = list(messages[:MAX_LISTED_ERRORS])
    if len(messages) > MAX_LISTED_ERRORS:
        listed.append(MSG_MORE_ERRORS.format(count=len(messages) - MAX_LISTED_ERRORS))
    return listed


class Tracker:
    """Writes a job's progress to its row: reading, the preview, writing, the outcome.

    Before and after a kind's transaction, updates go through the default connection in autocommit
    (each is committed at once). While the kind writes, the default connection is inside its durable
    transaction, so ``written`` goes through a second connection of its own — on databases that allow
    a second writer meanwhile (PostgreSQL). SQLite does not (the writer holds the whole file), so there
    the job shows the writing step without intermediate counts.

    Every update is made only while the job is still this attempt (``attempts``); once it was taken
    over, the next update raises ``Superseded`` and the job stops — before the write, or inside the
    kind's transaction, which then rolls back. Each update is also a heartbeat.
    """

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.count = 0
        self.aside: Any = None
        self.concurrent = connection.vendor != "sqlite"
        self.outcome: Any = None

    def _mine(self) -> Any:
        """The job's row, while it is still this attempt."""
        return ImportJob.objects.filter(pk=self.job.pk, attempts=self.job.attempts)

    def _save(self, **fields: Any) -> None:
        """Update the job on the default connection (committed at once outside a transaction)."""
        now = timezone.now()
        fields["updated_at"] = now
        fields["heartbeat_at"] = now
        if not self._mine().update(**fields):
            raise Superseded
        for name, value in fields.items():
            setattr(self.job, name, value)

    def read(self, done: int, estimate: int) -> None:
        """Items read so far, and the estimated number of items."""
        self._save(done=done, total=estimate)

    def start_writing(self, total: int) -> None:
        """The file is read and checked: the kind now writes ``total`` items."""
        self.count = 0
        self._save(status=JobStatus.WRITING, total=total, done=0)

    def written(self, done: int) -> None:
        """``done`` items written so far inside the kind's transaction (told after each batch)."""
        self.count = done
        if self.concurrent:
            self._save_aside(done)

    def step(self, done: int, total: int | None = None) -> None:
        """``done`` (of ``total``) items finished outside any transaction (one transaction per item)."""
        self.count = done
        if total is None:
            self._save(done=done)
        else:
            self._save(done=done, total=total)

    def _save_aside(self, done: int) -> None:
        """Write ``done`` through the second connection; a failure only stops the intermediate counts."""
        try:
            if self.aside is None:
                self.aside = connections.create_connection(DEFAULT_DB_ALIAS)
            quote = self.aside.ops.quote_name
            table = quote(ImportJob._meta.db_table)
            now = timezone.now()
            with self.aside.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET {quote('done')} = %s, {quote('updated_at')} = %s, "
                    f"{quote('heartbeat_at')} = %s WHERE {quote('id')} = %s AND {quote('attempts')} = %s",
                    [done, now, now, self.job.pk, self.job.attempts],
                )
                taken_over = False
                if cursor.rowcount == 0:
                    # Not updated: another attempt holds the job — or the row is not visible to this
                    # connection at all (created in a transaction still open: a test's). Only the
                    # first stops the import.
                    cursor.execute(
                        f"SELECT {quote('attempts')} FROM {table} WHERE {quote('id')} = %s", [self.job.pk]
                    )
                    row = cursor.fetchone()
                    taken_over = row is not None and row[0] != self.job.attempts
        except DatabaseError:
            logger.warning("无法记录导入进度（第二个数据库连接）", exc_info=True)
            self.concurrent = False
            return
        if taken_over:
            raise Superseded

    def report(self, outcome: Any) -> None:
        """The per-item report of the apply step (JSON), stored with the outcome by ``finish``."""
        self.outcome = outcome

    def previewed(self, preview: Any) -> None:
        """The preview step is done: the job waits for its uploader's confirmation, the file kept."""
        self._save(status=JobStatus.PREVIEWED, preview=preview, done=self.job.total, errors=[])

    def finish(self, imported: int) -> None:
        """Everything written and committed; the file is no longer needed."""
        fields: dict[str, Any] = {
            "status": JobStatus.DONE,
            "done": self.job.total,
            "imported": imported,
            "errors": [],
            "data": b"",
        }
        if self.outcome is not None:
            fields["result"] = self.outcome
        self._save(**fields)

    def fail(self, messages: Sequence[str]) -> None:
        """Refused for its content: the messages, nothing written, and the file dropped."""
        self._save(status=JobStatus.FAILED, errors=listed(messages), data=b"")

    def close(self) -> None:
        """Close the second connection, if one was opened."""
        if self.aside is not None:
            self.aside.close()
            self.aside = None
