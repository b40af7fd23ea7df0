"""Crash test (issue 11, item 12): a casting process SIGKILLed mid-cast loses nothing committed.

A separate Python process casts through the same service as the voting page and the API; it is
killed (SIGKILL, no cleanup) once inside a cast's transaction — after the credential's UPDATE and
the sealed sheet's INSERT, before the COMMIT — and once at an arbitrary moment of a run of casts.
Afterwards only whole records exist: every used code has exactly one sealed sheet and every sealed
sheet opens at the count; the code of the killed cast can be used again; casting goes on, the count
completes, and the audit chain verifies (``ganbu audit verify``).

PostgreSQL only: the child process needs its own connection to the test database, and the row
lock and transaction semantics under test are PostgreSQL's (SQLite's test database is in memory).
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from ganbu.registry.tests.factories import CadreFactory
from ganbu.voting import services
from ganbu.voting.choices import BallotKind
from ganbu.voting.models import BallotResult, Credential, SealedSheet, Sheet

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="a second process needs its own connection to the test database (SQLite's is in memory)",
    ),
]

ROOT = Path(__file__).resolve().parents[3]


class Caster:
    """The casting child process, with its output lines read on a thread (so waits can time out)."""

    def __init__(self, ballot_id: int, item_id: int, codes: list[str], hang_at: int = -1) -> None:
        settings = connection.settings_dict
        url = (
            f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}"
        )
        config = {"ballot": ballot_id, "item": item_id, "codes": codes, "hang_at": hang_at}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ganbu.voting.tests.crash_caster", json.dumps(config)],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
            stdout=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.strip())

    def wait_for(self, text: str, timeout: float = 60) -> None:
        """Block until the child prints ``text``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self.lines.get(timeout=0.5) == text:
                    return
            except queue.Empty:
                assert self.process.poll() is None, f"the casting process ended ({self.process.returncode})"
        raise AssertionError(f"no {text!r} from the casting process within {timeout} s")

    def kill(self) -> None:
        """SIGKILL: no exception handler, no rollback by the client, no closing of the connection."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        assert self.process.returncode == -signal.SIGKILL


def _no_transaction_left_open() -> None:
    """Wait until the server has noticed the killed client and rolled back its open transaction."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
            )
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.2)
    raise AssertionError("the killed caster's transaction is still open after 30 s")


def test_sigkill_during_casting_leaves_whole_sheets_only_and_casting_and_counting_go_on(
    officer, tree
) -> None:
    ballot = services.ballot_create(
        actor=officer, kind=BallotKind.EVALUATION, title="压力测评", unit=tree.finance
    )
    item = services.ballot_item_add(actor=officer, ballot=ballot, cadre=CadreFactory(unit=tree.finance))
    codes = services.credentials_issue(actor=officer, ballot=ballot, category="全体职工", count=40)
    shares = services.ballot_open(actor=officer, ballot=ballot)

    # 1. Killed inside the fourth cast's transaction, with both of its writes done but not committed.
    hung = Caster(ballot.pk, item.pk, codes[:10], hang_at=3)
    hung.wait_for("IN-CAST")
    assert SealedSheet.objects.filter(ballot=ballot).count() == 3  # the open transaction is invisible
    hung.kill()
    _no_transaction_left_open()
    assert Credential.objects.filter(ballot=ballot, used=True).count() == 3
    assert not Credential.objects.get(code_hash=services.hash_code(codes[3])).used

    # 2. Killed at whatever point of a run of casts it has reached after five commits.
    running = Caster(ballot.pk, item.pk, codes[10:40])
    running.wait_for("CAST 5")
    running.kill()
    _no_transaction_left_open()

    used = Credential.objects.filter(ballot=ballot, used=True).count()
    assert 3 + 5 <= used < 3 + 30
    assert SealedSheet.objects.filter(ballot=ballot).count() == used  # one whole sealed sheet per used code

    # 3. Casting goes on: the killed cast's code works now, and so does every code not yet used.
    unused = [c for c in codes if not Credential.objects.get(code_hash=services.hash_code(c)).used]
    assert codes[3] in unused
    for code in unused:
        services.ballot_cast_with_credential(
            code=code, ballot=ballot, content={item.pk: {"grade": "competent"}}
        )
    assert Credential.objects.filter(ballot=ballot, used=True).count() == 40

    # 4. The count opens every sealed sheet (it refuses a damaged one) and counts one per code.
    services.ballot_close(actor=officer, ballot=ballot)
    services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares[1:])
    assert BallotResult.objects.get(ballot=ballot).data["total"] == 40
    assert Sheet.objects.filter(ballot=ballot).count() == 40
    assert not SealedSheet.objects.filter(ballot=ballot).exists()
    call_command("audit", "verify")  # raises CommandError when the chain is broken
