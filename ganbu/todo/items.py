"""The shape of the to-do list: one item and one group.

Apart from the selectors so that every app can build its own groups (``ganbu.assessment.selectors``,
``ganbu.talks.selectors``, …) without importing the to-do selectors, which import those apps.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class TodoItem:
    """One thing to do: what, by when, where to do it, and its stable identity (the notification key)."""

    key: str
    text: str
    link: str
    due_on: dt.date | None = None
    overdue: bool = False


@dataclass(frozen=True)
class TodoGroup:
    """One kind of to-do with how many there are and the first of them (soonest first).

    ``note`` says how the group was computed when that is not the usual way (the working-day
    calendar did not cover the year).
    """

    kind: str
    title: str
    count: int
    items: list[TodoItem]
    note: str = ""
    overdue_label: str = "逾期"
