"""The operations of issue 13's table, each measured on the loaded county.

The cadre list (first page, filtered, a deep page, the last page), every cadre through the API at
``limit=200``, the name and pinyin search, the rank sort, the dashboard, the roster export (time,
size and peak memory, against a ``COPY`` of the same table), the command line's start-up (``ganbu
policy list`` in a subprocess), and the ballot count and close (``ganbu.bench_voting``).

Deep pages follow the lists' own links: when a page carries keyset links (``?cursor=``) the
benchmark walks the ``next`` links and takes the last-page link; otherwise it asks for a page
number, as the OFFSET paginator did.
"""

from __future__ import annotations

import html
import json
import os
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qsl, urlsplit

from ganbu.bench.measure import Row, body, captured, peak_mb, percentile, raw_median, slowest_select, time_get

LIST = "/cadres/"
FILTERED = {"gender": "F", "rank": "deputy_section", "leadership": "1"}
SEARCHES = ("王", "wang", "zw")
API_LIMIT = 200
DEEP_PAGE = 2000  # the deep page (at 50 a page, cadre 100,000)
WALK_PAGES = 20  # keyset pages followed to time a page far from the first


@dataclass
class Context:
    """What every operation needs: the signed-in client, the officer, his API token, the sizes."""

    client: Any
    officer: Any
    token: str
    cadres: int
    repeat: int
    out: Any
    database_url: str


def _links(content: bytes) -> dict[str, str]:
    """The keyset links of a list page: ``next`` and ``last`` hrefs that carry a cursor, if any."""
    text = content.decode("utf-8", errors="replace")
    links: dict[str, str] = {}
    for m in re.finditer(r"<a\b([^>]*)>(.*?)</a>", text, flags=re.S):
        attrs, label = m.group(1), re.sub(r"<[^>]+>", "", m.group(2))
        href = re.search(r'href="([^"]*cursor=[^"]*)"', attrs)
        if not href:
            continue
        url = html.unescape(href.group(1))
        if 'rel="next"' in attrs or "下一页" in label:
            links.setdefault("next", url)
        if "末页" in label or "尾页" in label or "最后" in label or 'rel="last"' in attrs:
            links.setdefault("last", url)
    return links


def _split(url: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(url)
    return (parts.path or LIST), dict(parse_qsl(parts.query))


def cadre_list(ctx: Context) -> list[Row]:
    """The cadre list: first page, filtered, sorted by rank, the searches, a deep and the last page."""
    rows = [
        time_get(ctx.client, "干部名册", "干部列表首页", LIST, {}, ctx.repeat, n=ctx.cadres),
        time_get(ctx.client, "干部名册", "干部列表（筛选：女、副科、领导职务）", LIST, FILTERED, ctx.repeat),
        time_get(ctx.client, "干部名册", "按职级排序", LIST, {"sort": "rank"}, ctx.repeat, n=ctx.cadres),
    ]
    rows[0].key, rows[1].key, rows[2].key = "list", "list", "rank"
    for q in SEARCHES:
        row = time_get(ctx.client, "干部名册", f"搜索「{q}」", LIST, {"q": q}, ctx.repeat, n=ctx.cadres)
        row.key = "search"
        rows.append(row)
    first = ctx.client.get(LIST)
    links = _links(body(first))
    pages = max(1, -(-ctx.cadres // 50))
    if "next" in links:
        # Keyset: follow the next links; time the page WALK_PAGES in (its cost does not depend on depth).
        url = links["next"]
        for _ in range(min(WALK_PAGES, pages - 2)):
            nxt = _links(body(ctx.client.get(*_split(url)))).get("next")
            if not nxt:
                break
            url = nxt
        path, params = _split(url)
        deep = time_get(ctx.client, "干部名册", "深页（游标翻页）", path, params, ctx.repeat, n=ctx.cadres)
        deep.note = f"沿“下一页”链接翻到第 {WALK_PAGES + 2} 页"
        rows.append(deep)
        if "last" in links:
            path, params = _split(links["last"])
            rows.append(
                time_get(ctx.client, "干部名册", "末页（游标）", path, params, ctx.repeat, n=ctx.cadres)
            )
    else:
        page = min(DEEP_PAGE, max(1, pages // 2))
        rows.append(
            time_get(ctx.client, "干部名册", f"深页（第 {page} 页）", LIST, {"page": str(page)}, ctx.repeat)
        )
        rows.append(
            time_get(ctx.client, "干部名册", "末页", LIST, {"page": "last"}, ctx.repeat, n=ctx.cadres)
        )
    for row in rows[-2:]:
        row.key = "deep"
    return rows


def api_walk(ctx: Context) -> list[Row]:
    """Every cadre through ``GET /api/v1/cadres?limit=200``: the next links when given, else offsets."""
    headers = {"Authorization": f"Bearer {ctx.token}"}
    path, params = "/api/v1/cadres", {"limit": str(API_LIMIT)}
    seen = requests = queries = 0
    times: list[float] = []
    worst: tuple[float, str | None] = (0.0, None)
    started = time.perf_counter()
    status = ""
    mode = "offset"
    while True:
        t0 = time.perf_counter()

        def request(path: str = path, params: dict[str, str] = params) -> Any:
            return ctx.client.get(path, params, headers=headers)

        response, captured_queries = captured(request)
        elapsed = (time.perf_counter() - t0) * 1000
        times.append(elapsed)
        requests += 1
        queries += len(captured_queries)
        status = str(response.status_code)
        if elapsed > worst[0]:
            worst = (elapsed, slowest_select(captured_queries))
        if response.status_code != 200:
            break
        data = json.loads(response.content)
        items = data.get("items", data if isinstance(data, list) else [])
        seen += len(items)
        following = data.get("next") if isinstance(data, dict) else None
        if following:
            mode = "next"
            if following.startswith(("/", "http")):
                path, params = _split(following)
            else:
                params = {"limit": str(API_LIMIT), "cursor": following}
        elif mode == "offset" and items and len(items) == API_LIMIT:
            params = {"limit": str(API_LIMIT), "offset": str(seen)}
        else:
            break
    total_ms = (time.perf_counter() - started) * 1000
    raw = raw_median(worst[1], 3) if worst[1] else None
    return [
        Row(
            "API",
            f"API 取全部干部（limit {API_LIMIT}，{requests} 次请求）",
            n=seen,
            median_ms=total_ms,
            p95_ms=percentile(times, 0.95),
            queries=queries,
            raw_ms=raw,
            status=status,
            note=("沿 next 链接" if mode == "next" else "按 offset 翻页")
            + f"；单次请求中位数 {statistics.median(times):.0f} ms；比值按最慢一次请求的最慢查询",
            runs=1,
            key="api",
        )
    ]


def dashboard(ctx: Context) -> list[Row]:
    """The dashboard: structure figures and the to-do groups."""
    row = time_get(ctx.client, "首页", "首页（结构与待办）", "/", {}, ctx.repeat, n=ctx.cadres)
    row.key = "dashboard"
    return [row]


def _copy_ms(repeat: int) -> tuple[float | None, int]:
    """The raw export: ``COPY`` of the cadre table to memory (PostgreSQL), else a full fetch; ms, bytes."""
    from django.db import connection

    from ganbu.registry.models import Cadre

    table = connection.ops.quote_name(Cadre._meta.db_table)
    sizes = []

    def copy() -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                raw = cursor.cursor
                size = 0
                with raw.copy(f"COPY (SELECT * FROM {table}) TO STDOUT WITH (FORMAT csv)") as stream:
                    for chunk in stream:
                        size += len(chunk)
                sizes.append(size)
            else:
                cursor.execute(f"SELECT * FROM {table}")
                sizes.append(sum(len(repr(r)) for r in cursor.fetchall()))

    try:
        from ganbu.bench.measure import timings

        return statistics.median(timings(copy, max(1, min(repeat, 3)))), sizes[-1] if sizes else 0
    except Exception:
        return None, 0


def roster_export(ctx: Context) -> list[Row]:
    """The whole registry as the roster export (.xlsx and .csv when offered): time, size, peak memory."""
    rows = []
    raw, copy_bytes = _copy_ms(ctx.repeat)
    for fmt in ("xlsx", "csv"):

        def get(fmt: str = fmt) -> tuple[Any, bytes]:
            response = ctx.client.get(LIST, {"export": fmt})
            return response, body(response)

        started = time.perf_counter()
        (response, data), queries = captured(get)
        seconds = time.perf_counter() - started
        refused = response.status_code != 200 or not data or data.lstrip().startswith(b"<!")
        if refused and fmt == "csv":
            continue  # no CSV export (yet): only the .xlsx is reported
        runs = [seconds * 1000]
        for _ in range(max(0, min(ctx.repeat, 3) - 1)):
            t0 = time.perf_counter()
            get()
            runs.append((time.perf_counter() - t0) * 1000)
        _, peak = peak_mb(get)
        rows.append(
            Row(
                "导出",
                f"花名册导出全部（.{fmt}）",
                n=ctx.cadres,
                median_ms=statistics.median(runs),
                p95_ms=max(runs),
                queries=len(queries),
                raw_ms=raw,
                peak_mb=peak,
                status=str(response.status_code),
                note=f"文件 {len(data) / 1e6:.1f} MB；原始 SQL 为整表 COPY（{copy_bytes / 1e6:.1f} MB）",
                runs=len(runs),
                key="export",
            )
        )
    return rows


class _Sink:
    """A file-like object that counts the bytes written to it and keeps none of them."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        return len(data)


def _copy_of(sql: str, params: tuple[Any, ...], repeat: int) -> float | None:
    """Milliseconds of ``COPY (sql) TO STDOUT`` read whole (PostgreSQL), else of the query fetched."""
    from django.db import connection

    def run() -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                ops: Any = connection.ops  # compose_sql: the PostgreSQL backend's mogrify
                text = ops.compose_sql(sql, params)
                with cursor.cursor.copy(f"COPY ({text}) TO STDOUT WITH (FORMAT csv)") as stream:
                    for _ in stream:
                        pass
            else:
                cursor.execute(sql, params)
                cursor.fetchall()

    try:
        from ganbu.bench.measure import timings

        return statistics.median(timings(run, max(1, min(repeat, 3))))
    except Exception:
        return None


def roster_export_service(ctx: Context) -> list[Row]:
    """The roster export service itself (``roster_columns.write_export``) into a counting sink.

    Every cadre in the default columns, .xlsx and .csv: time, queries, bytes and Python's peak
    memory, against ``COPY`` of the export's own query (``roster_copy_sql``) read whole.
    """
    try:
        from ganbu.registry import roster_columns as rc
    except ImportError:
        return []
    if not hasattr(rc, "write_export"):
        return []
    from django.utils import timezone

    from ganbu.registry.models import Cadre

    cadres = Cadre.objects.order_by("pk")
    columns = [rc.BY_KEY[k] for k in rc.DEFAULT_KEYS]
    on = timezone.localdate()
    raw = None
    if hasattr(rc, "roster_copy_sql"):
        sql, params = rc.roster_copy_sql(cadres, columns, on=on)
        raw = _copy_of(sql, params, ctx.repeat)
    rows = []
    for fmt in ("xlsx", "csv"):
        sink = _Sink()

        def export(fmt: str = fmt, sink: _Sink = sink) -> int:
            sink.size = 0
            return int(rc.write_export(cast(Any, sink), cadres, columns, on=on, fmt=fmt))

        written, queries = captured(export)
        runs = _timed_runs(export, max(1, min(ctx.repeat, 3)))
        _, peak = peak_mb(export)
        rows.append(
            Row(
                "导出",
                f"花名册导出服务（.{fmt}，写入计数流）",
                n=written,
                median_ms=statistics.median(runs),
                p95_ms=max(runs),
                queries=len(queries),
                raw_ms=raw,
                peak_mb=peak,
                status="200",
                note=f"文件 {sink.size / 1e6:.1f} MB；原始 SQL 为同一查询的 COPY",
                runs=len(runs),
                key="export",
            )
        )
    return rows


def _timed_runs(fn: Any, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def cli_startup(ctx: Context) -> list[Row]:
    """``ganbu policy list`` as a subprocess on the benchmark's database: the command line's start-up."""
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DATABASE_URL": ctx.database_url}
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    command = [sys.executable, "-c", "from ganbu.cli import main; main()", "policy", "list"]
    times = []
    status = ""
    for _ in range(max(3, min(ctx.repeat, 5))):
        t0 = time.perf_counter()
        done = subprocess.run(command, cwd=root, env=env, capture_output=True, check=False)
        times.append((time.perf_counter() - t0) * 1000)
        status = f"退出码 {done.returncode}"
    bare = []
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=False)
        bare.append((time.perf_counter() - t0) * 1000)
    return [
        Row(
            "命令行",
            "ganbu policy list（启动到退出）",
            median_ms=statistics.median(times),
            p95_ms=percentile(times, 0.95),
            raw_ms=statistics.median(bare),
            status=status,
            note="比值的分母为空 Python 进程的启动时间",
            runs=len(times),
            key="cli",
        )
    ]


def voting(ctx: Context) -> list[tuple[str, str]]:
    """The ballot close and count at 10,000 sheets × 20 items (``ganbu.bench_voting``), if present."""
    try:
        from ganbu import bench_voting
    except ImportError:
        return [("投票计票", "ganbu.bench_voting 尚不存在，未测")]
    return list(bench_voting.measure(ctx.out))


def all_operations(ctx: Context) -> tuple[list[Row], list[tuple[str, str]]]:
    """Every operation of the table except the campaign and the demo load (measured by ``run``)."""
    rows: list[Row] = []
    for step in (cadre_list, dashboard, api_walk, roster_export, roster_export_service, cli_startup):
        started = time.perf_counter()
        try:
            rows += step(ctx)
        except Exception as exc:
            rows.append(Row("错误", step.__name__, status="失败", note=f"{type(exc).__name__}: {exc}"[:200]))
        ctx.out.write(f"  {step.__name__}: {time.perf_counter() - started:.1f} 秒\n")
        ctx.out.flush()
    return rows, []


__all__ = ["Context", "all_operations", "raw_median", "voting"]
