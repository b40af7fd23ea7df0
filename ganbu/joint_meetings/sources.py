"""The open cases a joint meeting may put on its agenda, read from the apps that keep them.

Each source (信访举报, 函询 awaiting its written answer, 经济责任审计 in progress) is read through that
app's own scoped selector, so a supervisor drawing an agenda sees only the cases their role may see.
A case is copied onto the agenda as a :class:`CaseRef` (title, summary, cadre): the minutes keep what
the meeting heard even after the case moves on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ganbu.accounts.models import User

from .choices import AgendaSource

#: How many open cases of each source the agenda form offers (newest first).
CASE_LIMIT = 50


@dataclass(frozen=True)
class CaseRef:
    """An open case as the agenda shows it."""

    source: str
    source_id: int
    title: str
    detail: str
    cadre_id: int | None


Lister = Callable[[User, int], list[CaseRef]]

# Filled in below for each source whose app is installed: ``source -> lister(user, limit)``.
LISTERS: dict[str, Lister] = {}


def open_cases(user: User, source: str, limit: int = CASE_LIMIT) -> list[CaseRef]:
    """The open cases of ``source`` that ``user`` may see (empty for the free source or an unknown one)."""
    lister = LISTERS.get(source)
    return lister(user, limit) if lister is not None else []


def all_open_cases(user: User) -> dict[str, list[CaseRef]]:
    """Every source's open cases visible to ``user``, by source, in the order of ``AgendaSource``."""
    return {s.value: open_cases(user, s.value) for s in AgendaSource if s.value in LISTERS}


def case_get(user: User, source: str, source_id: int) -> CaseRef | None:
    """One open case of ``source`` visible to ``user``, or ``None`` (missing, closed or out of scope)."""
    lister = LISTERS.get(source)
    if lister is None:
        return None
    return next((c for c in lister(user, 10_000) if c.source_id == source_id), None)
