"""Crash test (issue 11, item 12, the import half): SIGKILL the worker in the middle of an Excel import.

PostgreSQL only: a real ``ganbu worker`` process runs against the test database. The test holds the
audit chain's head row locked from a connection of its own, so the worker stops exactly where it has
inserted every score row of its transaction and waits to append the audit event; it is killed there.
Afterwards: no score of the file exists (all or nothing), ``ganbu audit verify`` passes, the job
becomes failed and interrupted once its heartbeat is older than ``GANBU_JOB_STALE_MINUTES`` (marked
by a second worker process), and the retry — the same file queued again — completes.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections

from ganbu.campaigns import excel
from ganbu.campaigns.choices import ImportStatus
from ganbu.campaigns.models import StageScore
from ganbu.core.models import AuditChainHead, AuditEvent
from ganbu.jobs.models import ImportJob

from .excel_support import applications, scoring_campaign, workbook

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: a worker process and the test must share one database server",
    ),
]

ROOT = Path(__file__).resolve().parents[3]
ROWS = 1500


def _wait(what: str, predicate: Callable[[], bool], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def start_worker() -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """``start_worker(**env)`` → a ``ganbu worker`` process on the test database; all stopped at the end."""
    started: list[subprocess.Popen[bytes]] = []

    def start(**env: str) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, "-m", "ganbu.cli", "worker", "--poll", "0.2"],
            cwd=ROOT,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "config.settings.test",
                "DATABASE_URL": _database_url(),
                **env,
            },
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _job(pk: int) -> ImportJob:
    return ImportJob.objects.get(pk=pk)


def test_a_worker_killed_mid_import_leaves_no_score_and_the_retry_completes(officer, tree, start_worker):
    campaign = scoring_campaign(officer, tree.root, ROWS)
    people = applications(campaign)
    data = workbook(
        [[a.ticket, a.applicant.id_number, a.applicant.name, 40 + n % 60, None] for n, a in enumerate(people)]
    )
    events_before = AuditEvent.objects.count()
    job = excel.import_enqueue(
        actor=officer, campaign=campaign, stage="written", data=data, filename="笔试.xlsx"
    )
    assert job.status == ImportStatus.QUEUED
    assert AuditChainHead.objects.filter(id=1).exists()

    # Hold the audit head: the worker's transaction will wait there, every score row inserted.
    holder = connections.create_connection("default")
    holder.set_autocommit(False)
    with holder.cursor() as cursor:
        cursor.execute("SELECT seq FROM core_auditchainhead WHERE id = 1 FOR UPDATE")
    try:
        first = start_worker()

        def waiting_on_the_audit_head() -> bool:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND query ILIKE '%%core_auditchainhead%%'"
                )
                return cursor.fetchone()[0] == 1

        _wait("the worker to write every row and wait for the audit head", waiting_on_the_audit_head)
        running = _job(job.pk)
        assert running.status == ImportStatus.WRITING and running.total == ROWS and running.attempts == 1
        assert running.done == ROWS  # counted through the second connection: every batch was inserted
        assert not StageScore.objects.filter(application__campaign=campaign).exists()  # not committed
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        holder.rollback()
        holder.close()

    # The killed worker's transaction is rolled back by the server: whole records only (none).
    _wait(
        "the killed worker's session to end",
        lambda: (
            not _count(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'"
            )
        ),
    )
    assert not StageScore.objects.filter(application__campaign=campaign).exists()
    assert not AuditEvent.objects.filter(event_type="campaign.scores_imported").exists()
    assert AuditEvent.objects.count() == events_before
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert _job(job.pk).status == ImportStatus.WRITING  # stuck, until its heartbeat is stale

    # A new worker with a short stale time marks the job failed and interrupted, keeping its file.
    start_worker(GANBU_JOB_STALE_MINUTES="0.05")
    _wait("the job to be marked interrupted", lambda: _job(job.pk).status == ImportStatus.FAILED)
    stuck = _job(job.pk)
    assert stuck.interrupted and stuck.errors == [excel.MSG_INTERRUPTED] and bytes(stuck.data) == data

    # The retry queues the same file again (audited); the worker completes it.
    excel.import_retry(actor=officer, campaign=campaign, job_id=job.pk)
    _wait("the retried import to finish", lambda: _job(job.pk).status == ImportStatus.DONE, seconds=120)
    done = _job(job.pk)
    assert done.imported == ROWS and done.attempts == 2 and bytes(done.data) == b""
    assert StageScore.objects.filter(application__campaign=campaign).count() == ROWS
    assert AuditEvent.objects.filter(event_type="campaign.scores_imported").count() == 1
    assert AuditEvent.objects.filter(event_type="campaign.scores_import_retried").count() == 1
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)


def _count(sql: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return int(cursor.fetchone()[0])
