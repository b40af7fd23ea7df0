"""How the benchmark times things: a result row, warm medians and p95, queries, raw SQL, memory.

Every figure is timed with ``time.perf_counter`` in the benchmark's own process, after a warm-up
(templates compiled, caches and the connection ready). The raw SQL of a page is the slowest query
the page ran (``CaptureQueriesContext``), executed again through a plain cursor in the same process
and fetched whole: the database's own cost of the page's main query, so that ``ratio`` (page median
/ raw median) says how much the application adds on top of it.
"""

from __future__ import annotations

import math
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Row:
    """One line of the report: what was measured, on how many rows, how fast, how many queries."""

    section: str
    label: str
    n: int | None = None  # rows in play (cadres listed, sheets counted, applicants …)
    median_ms: float | None = None
    p95_ms: float | None = None
    queries: int | None = None
    raw_ms: float | None = None  # the slowest query of the page, run raw
    peak_mb: float | None = None  # Python's peak allocations (tracemalloc), where relevant
    status: str = ""
    note: str = ""
    runs: int = 0
    key: str = ""  # the row of the table it answers (``report.BEFORE``), if any
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        """Page median over raw SQL median (1.0 would be the database's own speed)."""
        if self.median_ms is None or not self.raw_ms:
            return None
        return self.median_ms / self.raw_ms


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (p95 of 20 samples is the 19th smallest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def timings(fn: Callable[[], Any], repeat: int, *, warm: int = 1) -> list[float]:
    """``repeat`` timed calls of ``fn`` in milliseconds, after ``warm`` untimed ones."""
    for _ in range(warm):
        fn()
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def captured(fn: Callable[[], Any]) -> tuple[Any, list[dict[str, str]]]:
    """``fn()`` and the queries it ran (their SQL with parameters, and time)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as capture:
        value = fn()
    return value, list(capture.captured_queries)


def slowest_select(queries: list[dict[str, str]]) -> str | None:
    """The slowest read among ``queries``, found by replaying each distinct one raw once.

    The captured times are rounded to the millisecond (a session lookup ties with the list's main
    query on a small table), so each read is run again through a plain cursor and the slowest kept.
    """
    reads = list(
        dict.fromkeys(q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("SELECT", "WITH")))
    )
    if not reads:
        return None
    timed = [(raw_median(sql, 2, warm=0), sql) for sql in reads]
    return max(timed, key=lambda t: t[0] if t[0] is not None else -1.0)[1]


def raw_median(sql: str, repeat: int, *, warm: int = 1) -> float | None:
    """Median milliseconds of ``sql`` executed and fetched through a plain cursor; None if it fails.

    The captured SQL carries its parameters inlined (PostgreSQL's mogrify, SQLite's quoting), so it
    runs as is, without Django's query building, model instances or templates.
    """
    from django.db import connection

    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            cursor.fetchall()

    try:
        return statistics.median(timings(run, repeat if not warm else max(repeat, 3), warm=warm))
    except Exception:
        return None


def peak_mb(fn: Callable[[], Any]) -> tuple[Any, float]:
    """``fn()`` and the peak of Python's allocations while it ran, in MB."""
    tracemalloc.start()
    try:
        value = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return value, peak / 1e6


def body(response: Any) -> bytes:
    """A response's bytes, reading a streamed one through (its queries run while it streams)."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def time_get(
    client: Any,
    section: str,
    label: str,
    url: str,
    params: dict[str, str] | None,
    repeat: int,
    *,
    n: int | None = None,
    headers: dict[str, str] | None = None,
    note: str = "",
) -> Row:
    """Time ``repeat`` GETs of a page after a warm-up; its queries, and its slowest query raw."""
    params = params or {}
    headers = headers or {}

    def get() -> Any:
        response = client.get(url, params, headers=headers)
        body(response)
        return response

    get()  # warm-up
    response, queries = captured(get)
    times = timings(get, repeat, warm=0)
    sql = slowest_select(queries)
    return Row(
        section,
        label,
        n=n,
        median_ms=statistics.median(times),
        p95_ms=percentile(times, 0.95),
        queries=len(queries),
        raw_ms=raw_median(sql, repeat) if sql else None,
        status=str(response.status_code),
        note=note,
        runs=repeat,
    )
