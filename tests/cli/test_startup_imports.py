"""Starting Django for the ``ganbu`` command and loading its everyday commands imports no heavy library.

The libraries for Excel, PDF, Word, images, pinyin, QR codes and sealed ballots are imported inside
the functions that use them. This checks ``sys.modules`` in a fresh interpreter after
``import ganbu.cli``, ``django.setup()`` and loading every command ``ganbu`` runs without the
system checks (``cli.QUICK_COMMANDS``), so that a new top-level import of one of them — which
would put its load time on ``ganbu policy list`` and the others — fails here rather than in use.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("openpyxl", "reportlab", "lxml", "PIL", "nacl", "docx", "docxtpl", "pypinyin", "segno", "weasyprint")
SCRIPT = """
import sys
import django
from ganbu import cli
django.setup()
from django.core.management import get_commands, load_command_class
commands = get_commands()
for name in sorted(cli.QUICK_COMMANDS):
    load_command_class(commands[name], name)
print("HEAVY:" + ",".join(m for m in {heavy!r} if m in sys.modules))
"""


def test_cli_start_up_and_quick_commands_import_no_heavy_library(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "GANBU_DATA_DIR": str(tmp_path / "data"),
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(heavy=HEAVY)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "HEAVY:"
