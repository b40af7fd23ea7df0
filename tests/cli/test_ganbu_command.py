"""The ``ganbu`` command starts quickly: everyday commands import neither the URLconf nor heavy libraries.

Why not a timed test: a loaded CI machine would make it flaky. What made ``ganbu policy list`` take
seconds was importing the whole web UI and API (through Django's URL checks) and, with them,
pinyin, Excel, PDF and Word libraries; the test checks those modules are absent from
``sys.modules`` after the command ran, in a fresh interpreter against a migrated database.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# What the URLconf drags in; none of it is needed to list policy values or the demo accounts.
HEAVY = (
    "config.urls",
    "ganbu.web.urls",
    "ganbu.api.urls",
    "pypinyin",
    "openpyxl",
    "reportlab",
    "docx",
    "segno",
)
SCRIPT = """
import sys
from ganbu.cli import main
main(sys.argv[1:])
print("HEAVY:" + ",".join(m for m in {heavy!r} if m in sys.modules))
"""


@pytest.fixture
def database_url(django_db_setup, django_db_blocker, tmp_path: Path) -> str:
    """A URL another process can open for a database migrated like the test database (empty)."""
    from django.db import connection

    with django_db_blocker.unblock():
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            # The test database lives in memory: copy it to a file the subprocess can open.
            target = tmp_path / "ganbu.sqlite3"
            copy = sqlite3.connect(target)
            connection.connection.backup(copy)
            copy.close()
            return f"sqlite:///{target}"
        s = connection.settings_dict
        host, port = s["HOST"] or "127.0.0.1", s["PORT"] or 5432
        return f"postgres://{s['USER']}:{s['PASSWORD']}@{host}:{port}/{s['NAME']}"


def run_ganbu(database_url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``ganbu ARGS`` in a fresh interpreter with the development settings, reporting heavy imports."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": database_url,
        "GANBU_DATA_DIR": str(tmp_path / "data"),
    }
    return subprocess.run(
        [sys.executable, "-c", SCRIPT.format(heavy=HEAVY), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.django_db
def test_policy_list_imports_no_urlconf_and_no_heavy_library(database_url, tmp_path):
    done = run_ganbu(database_url, tmp_path, "policy", "list")
    assert done.returncode == 0, done.stderr
    assert "民主测评不称职票比例阈值" in done.stdout  # the command did run against the database
    assert done.stdout.strip().splitlines()[-1] == "HEAVY:"


@pytest.mark.django_db
def test_accounts_imports_no_urlconf_and_no_heavy_library(database_url, tmp_path):
    done = run_ganbu(database_url, tmp_path, "accounts")
    assert done.returncode == 0, done.stderr
    assert "演示账号" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "HEAVY:"


@pytest.mark.django_db
def test_check_still_runs_the_system_checks(database_url, tmp_path):
    done = run_ganbu(database_url, tmp_path, "check")
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout
    assert "config.urls" in done.stdout.strip().splitlines()[-1]  # the URL checks loaded the URLconf
