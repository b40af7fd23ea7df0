"""Reads the demo commands need: system-level (the server console), so not scoped to a user."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from ganbu.accounts.models import User
from ganbu.registry.models import Cadre
from ganbu.registry.selectors import StructureSummary, structure_of

from .accounts import DEMO_ACCOUNTS
from .models import DemoLoad


def demo_cadre_count() -> int:
    """How many cadres the database holds; the demo loads only into a database with none."""
    return Cadre.objects.count()


def demo_structure() -> StructureSummary:
    """The dashboard's head counts over every cadre, for the summary ``ganbu demo`` prints.

    Counted by the dashboard's own aggregate (``registry.selectors.structure_of``) after the
    workflows, so the printed 在职, 领导职务 and 后备干部 figures are those a county-wide officer sees.
    """
    return structure_of(Cadre.objects.all())


@dataclass(frozen=True)
class DemoState:
    """What ``ganbu demo`` finds in the database before it loads anything.

    ``interrupted``: the last load started and never finished, and cadres were written (a killed
    load that wrote nothing leaves an empty database: the demo simply loads). ``only_demo``: every
    account is a demo account and the demo was loaded into an empty database (no audit event
    before it), so everything in the database came from the demo or was done in its accounts,
    whose password is public. ``other_users``: accounts that are not the demo's (at most five).
    """

    cadres: int
    interrupted: bool
    started_at: str
    only_demo: bool
    other_users: tuple[str, ...]
    sqlite: bool


def demo_state() -> DemoState:
    """The demo's state in this database (a few queries)."""
    cadres = Cadre.objects.count()
    last = DemoLoad.objects.order_by("-started_at", "-id").first()
    first = DemoLoad.objects.order_by("started_at", "id").first()
    demo_names = {a.username for a in DEMO_ACCOUNTS}
    others = tuple(
        User.objects.exclude(username__in=demo_names).order_by("id").values_list("username", flat=True)[:5]
    )
    loaded_on_empty = first is not None and first.audit_seq_before == 0
    return DemoState(
        cadres=cadres,
        interrupted=last is not None and last.finished_at is None and cadres > 0,
        started_at=f"{last.started_at:%Y-%m-%d %H:%M}" if last is not None else "",
        only_demo=loaded_on_empty and not others,
        other_users=others,
        sqlite=connection.vendor == "sqlite",
    )
