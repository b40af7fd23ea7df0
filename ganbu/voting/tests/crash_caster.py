"""A separate process that casts with one-time codes in a loop, for the crash test to SIGKILL.

``python -m ganbu.voting.tests.crash_caster '<json>'`` with ``{"ballot": id, "item": id, "codes":
[...], "hang_at": n}``: casts each code through ``ballot_cast_with_credential`` (the same service
the voting page and the API call) and prints ``CAST <k>`` after each commit. With ``hang_at`` ≥ 0,
the cast of that index stops inside its transaction — after the credential's UPDATE and the
sealed sheet's INSERT, before the COMMIT — prints ``IN-CAST`` and waits to be killed: the worst
moment for a kill. ``DATABASE_URL`` names the test database.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any


def main() -> None:
    """Cast every code of the configuration, hanging inside the cast ``hang_at`` if asked."""
    config = json.loads(sys.argv[1])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from ganbu.voting import services
    from ganbu.voting.models import Ballot
    from ganbu.voting.services import casting

    seal = casting._seal
    done = 0

    def seal_then_hang(*args: Any, **kwargs: Any) -> Any:
        sheet = seal(*args, **kwargs)
        if done == config["hang_at"]:
            print("IN-CAST", flush=True)
            time.sleep(600)
        return sheet

    casting._seal = seal_then_hang  # type: ignore[assignment]  # where the casting service looks it up
    ballot = Ballot.objects.get(pk=config["ballot"])
    grades = ["excellent", "competent", "basic", "incompetent"]
    for code in config["codes"]:
        content = {str(config["item"]): {"grade": grades[done % 4]}}
        services.ballot_cast_with_credential(code=code, ballot=ballot, content=content)
        done += 1
        print(f"CAST {done}", flush=True)


if __name__ == "__main__":
    main()
