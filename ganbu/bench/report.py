"""The benchmark's report: an aligned table for the terminal and ``docs/benchmarks.md``.

The markdown names the machine (CPU model and cores from ``/proc/cpuinfo``, memory, the database
and its version, Python and Django, the date and the git commit) and sets each row of issue 13's
table beside its figure before the work (``BEFORE``, measured at 100,020 cadres) and its target.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
import unicodedata
from pathlib import Path

from ganbu.bench.measure import Row

#: Issue 13's table at 100,020 cadres (PostgreSQL 15, 2 cores): the figure before, and the target.
BEFORE: dict[str, tuple[str, str, str]] = {
    "tally": ("投票计票 10,000 张 × 20 项", "5,765 ms，50 次查询（GROUP BY 90 ms）", "≤ 200 ms"),
    "close": ("结束投票（重写选票）", "23.5 s", "≤ 2 s"),
    "deep": ("干部列表深页（第 2000 页／末页）", "345–490 ms（OFFSET + COUNT；keyset 10–14 ms）", "≤ 100 ms"),
    "api": ("API 取全部干部，limit 200", "118 s，501 次请求（COPY 0.71 s）", "≤ 5 s"),
    "search": ("姓名／拼音搜索（王、wang、zw）", "120–180 ms（LIKE 47–76 ms）", "≤ 50 ms"),
    "rank": ("按职级排序", "183 ms", "≤ 50 ms"),
    "list": ("干部列表首页、筛选", "60–96 ms，6 次查询（原始 SQL 4–36 ms）", "≤ 2× 原始 SQL"),
    "campaign_stats": ("选拔统计，1,000 人报名", "344–555 ms", "≤ 100 ms"),
    "campaign_apps": ("选拔报名列表，1,000 人", "174–257 ms", "≤ 100 ms"),
    "dashboard": ("首页（结构与待办）", "171–264 ms（500k 时 775 ms）", "≤ 100 ms"),
    "export": ("花名册导出 500k 行", "无此功能（COPY 4–5 s，73 MB）", "≤ 2× COPY，< 200 MB"),
    "cli": ("ganbu policy list 启动", "5 s", "≤ 1 s"),
    "demo": ("示例数据生成", "规模 20 以上不能生成", "100k ≤ 3 min，500k ≤ 15 min"),
}

HEAD = (
    "干部数",
    "分组",
    "操作",
    "N",
    "中位数 ms",
    "p95 ms",
    "SQL",
    "原始 SQL ms",
    "倍数",
    "内存 MB",
    "状态",
    "说明",
)


def _width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _num(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}" if value < 10_000 else f"{value:,.0f}"


def cells(size: int, row: Row) -> tuple[str, ...]:
    """A row as the report's cells."""
    return (
        f"{size:,}",
        row.section,
        row.label,
        "—" if row.n is None else f"{row.n:,}",
        _num(row.median_ms),
        _num(row.p95_ms),
        "—" if row.queries is None else str(row.queries),
        _num(row.raw_ms, 2),
        "—" if row.ratio is None else f"{row.ratio:.1f}×",
        _num(row.peak_mb),
        row.status,
        row.note,
    )


def text_table(results: list[tuple[int, Row]]) -> str:
    """The results as an aligned text table (CJK-aware)."""
    rows = [HEAD, *(cells(size, r) for size, r in results)]
    widths = [max(_width(row[i]) for row in rows) + 2 for i in range(len(HEAD))]
    lines = [
        "".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "-" * min(sum(widths), 200))
    return "\n".join(lines)


def _md(row: tuple[str, ...]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in row) + " |"


def _cpu() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or platform.machine()
    models = [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("model name")]
    return f"{models[0] if models else platform.machine()}，{os.cpu_count()} 个逻辑核"


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
    except OSError:
        pass
    return "未知"


def _commit() -> str:
    try:
        done = subprocess.run(
            ["git", "log", "-1", "--format=%h %s"],
            cwd=Path(__file__).resolve().parents[2],
            capture_output=True,
            text=True,
            check=False,
        )
        return done.stdout.strip()[:120] or "未知"
    except OSError:
        return "未知"


def machine() -> list[tuple[str, str]]:
    """The machine, the software and the version measured."""
    import django
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
    else:
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version}"
    return [
        ("日期", dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("CPU", _cpu()),
        ("内存", _memory()),
        ("数据库", database),
        ("Python / Django", f"{platform.python_version()} / {django.get_version()}"),
        ("代码版本", _commit()),
    ]


def markdown(
    results: list[tuple[int, Row]],
    texts: list[tuple[int, str, str]],
    *,
    repeat: int,
    command: str,
    note: str = "",
) -> str:
    """``docs/benchmarks.md``: the machine, the issue's rows before and now, then every figure."""
    lines = [
        "# 性能基准（make bench）",
        "",
        "由 `ganbu.bench` 生成，勿手改；重新生成：",
        "",
        f"    {command}",
        "",
        f"每项为预热后 {repeat} 次请求的中位数与 p95（毫秒，`time.perf_counter`，与页面同一进程内），"
        "SQL 为一次请求的查询数；“原始 SQL”为该页最慢的一条查询用游标直接执行并取回全部行的中位数，"
        "“倍数”= 页面中位数 ÷ 原始 SQL。内存为 tracemalloc 记录的 Python 分配峰值。"
        "基准只报告，不做断言；机器为多人共用的 2 核，数字有噪声。",
        "",
        *([note, ""] if note else []),
        "## 机器",
        "",
        *(f"- {k}：{v}" for k, v in machine()),
        "",
        "## 议题 13 的各项：之前与现在",
        "",
        "“之前”取自议题 13（100,020 名干部，PostgreSQL 15，2 核）。",
        "",
        _md(("项目", "之前（100k）", "目标", "现在（干部数：中位数 ms，SQL）")),
        _md(("---",) * 4),
    ]
    for key, (what, before, target) in BEFORE.items():
        now = [
            f"{size:,}：{r.label} {_num(r.median_ms)} ms"
            + ("" if r.queries is None else f"，{r.queries} 次")
            + ("" if r.ratio is None else f"，{r.ratio:.1f}×")
            for size, r in results
            if r.key == key
        ]
        now += [f"{size:,}：{label} {figure}" for size, label, figure in texts if _text_key(label) == key]
        lines.append(_md((what, before, target, "<br>".join(now) or "未测")))
    lines += ["", "## 全部数字", "", _md(HEAD), _md(("---",) * len(HEAD))]
    lines += [_md(cells(size, r)) for size, r in results]
    if texts:
        lines += ["", "## 其他（数据交换、投票计票）", "", _md(("干部数", "项目", "结果")), _md(("---",) * 3)]
        lines += [_md((f"{size:,}", label, figure)) for size, label, figure in texts]
    return "\n".join(lines) + "\n"


def _text_key(label: str) -> str:
    """The issue row a text figure of ``bench_voting`` answers."""
    if "计票" in label and "民主测评" in label and "其中" not in label:
        return "tally"
    if "结束投票" in label and "民主测评" in label:
        return "close"
    return ""
