"""Which units have had a deputy seat free all along since a date: pure, so it can be tested at any scale.

The workflows' selections fill a 副职 seat that has been free since the selection was proposed;
the generator's careers must leave such seats at every size of the county (see
``generator.structure._extra_units``). Both sides use this function, so the test that the generated
county has them checks exactly what the workflows will look for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

Span = tuple[dt.date, dt.date | None]


def most_held_since(spans: Sequence[Span], since: dt.date) -> int:
    """The most seats held at once on or after ``since`` (a count rises only when a span starts)."""
    moments = [since, *(start for start, _ in spans if start > since)]
    return max(sum(1 for start, end in spans if start <= m and (end is None or end > m)) for m in moments)


def units_with_free_seat(
    units: Iterable[int], quotas: Mapping[int, int], held: Mapping[int, Sequence[Span]], since: dt.date
) -> list[int]:
    """Those of ``units`` whose holders were fewer than their quota at every moment since ``since``."""
    return [u for u in units if most_held_since(held.get(u, ()), since) < quotas.get(u, 0)]
