"""The ``ganbu`` command line: a friendly front door to the management commands.

    ganbu serve [--host 127.0.0.1] [--port 8000] [--workers 2] [--no-worker]
    ganbu worker [--once]            (background jobs: Excel imports; ganbu serve starts one)
    ganbu portcheck [--host 127.0.0.1] [--port 8000]
    ganbu migrate
    ganbu demo [--if-empty] [--scale 1.0 | --cadres N] [--reset]
    ganbu accounts
    ganbu audit verify | ganbu audit tail
    ganbu remind [--on YYYY-MM-DD] [--no-email]
    ganbu policy list | ganbu policy set ...
    ganbu user create|list|passwd|disable ...
    ganbu token create|list|revoke ...
    ganbu lrmx import PATH… --unit <单位名称或代码> --as <用户名> [--yes]   (任免审批表 .lrmx/.lrm/.zip)
    ganbu lrmx export --out DIR|FILE.zip [--format lrmx|lrm] [--reform] [--unit …] [--id-number …]
    ganbu lrmx check PATH…           (只读取，以 JSON 显示读出的内容)

Any other word is passed to Django's ``manage.py`` (e.g. ``ganbu check``, ``ganbu dbshell``).
Settings default to ``config.settings.dev`` (embedded SQLite under ./var); production sets
``DJANGO_SETTINGS_MODULE=config.settings.prod`` and ``DATABASE_URL``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Everyday commands that read or write a few rows. Django's system checks, run before every
# command, import the whole URLconf (every view, the API with its schemas, pinyin, Excel, PDF and
# Word libraries), which is most of a second of start-up that these commands never use. The
# checks still run where they matter: ``ganbu check``, ``ganbu migrate`` and ``ganbu serve``.
QUICK_COMMANDS = frozenset({"accounts", "audit", "policy", "refresh", "remind", "token", "user", "worker"})


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
    if args[0] == "portcheck":
        # Before Django is even imported: `make run` asks this before migrating and loading the demo.
        from ganbu.portcheck import main as portcheck

        sys.exit(portcheck(args[1:]))
    if args[0] in QUICK_COMMANDS and "--skip-checks" not in args:
        # Right after the command's name: commands with sub-commands (policy list) take it there.
        args.insert(1, "--skip-checks")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ganbu", *args])


if __name__ == "__main__":
    main()
