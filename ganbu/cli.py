"""The ``ganbu`` command line: a friendly front door to the management commands.

    ganbu serve [--host 127.0.0.1] [--port 8000] [--workers 2]
    ganbu migrate
    ganbu demo [--if-empty] [--scale 1.0]
    ganbu accounts
    ganbu audit verify | ganbu audit tail
    ganbu remind [--on YYYY-MM-DD] [--no-email]
    ganbu user create|list|passwd|disable ...
    ganbu token create|list|revoke ...

Any other word is passed to Django's ``manage.py`` (e.g. ``ganbu check``, ``ganbu dbshell``).
Settings default to ``config.settings.dev`` (embedded SQLite under ./var); production sets
``DJANGO_SETTINGS_MODULE=config.settings.prod`` and ``DATABASE_URL``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> None:
    """Run a ``ganbu`` subcommand."""
    args = list(sys.argv[1:] if argv is None else argv)
    # Make the project root importable when run from an installed console script.
    root = Path(__file__).resolve().parent.parent
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    if not args or args[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ganbu", *args])


if __name__ == "__main__":
    main()
