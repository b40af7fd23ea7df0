"""The benchmark's run: a throw-away database, the county at each size, every measurement, the report.

Sets Django up itself (``config.settings.test`` unless DJANGO_SETTINGS_MODULE says otherwise) and
creates a throw-away database: a temporary SQLite file, or ``test_<name>`` beside the database of
``--database`` (or ``DATABASE_URL``) on PostgreSQL, dropped at the end, so real data is never
touched. For each size the demo county is loaded (its time is a row of the report), then measured
as the organization-department officer (``zzb``), then the database is emptied for the next size.
"""

from __future__ import annotations

import argparse
import inspect
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ganbu.bench.measure import Row

#: Cadres per unit of the demo's ``--scale`` (scale 1.0 is about 3,000 cadres).
CADRES_PER_SCALE = 3000


def load_here(cadres: int, seed: int) -> dict[str, Any]:
    """Load the demo county at about ``cadres`` cadres into this process's database, timed.

    Run in a child process by ``_load`` (``python -c``), which reads the JSON it prints.
    """
    from ganbu.core.errors import ServiceError
    from ganbu.demo import services as demo
    from ganbu.registry.models import Cadre

    scale = cadres / CADRES_PER_SCALE
    kwargs: dict[str, Any] = {"actor": None, "seed": seed}
    parameters = inspect.signature(demo.demo_load).parameters
    if "cadres" in parameters:  # the demo sized by head count, when it offers it
        kwargs["cadres"] = cadres
    else:
        highest = getattr(demo, "MAX_SCALE", None)
        if highest is not None and scale > highest:
            return {
                "error": f"示例县最多生成规模 {highest}（约 {highest * CADRES_PER_SCALE:,.0f} 名干部），"
                f"跳过 {cadres:,} 名干部的测量。"
            }
        kwargs["scale"] = scale
    started = time.perf_counter()
    note = ""
    try:
        demo.demo_load(**kwargs)
    except ServiceError as exc:
        if not Cadre.objects.exists():
            return {"error": f"示例县载入失败（{cadres:,} 名干部）：{'；'.join(exc.messages)}"}
        note = "业务流程未能全部生成：" + "；".join(exc.messages)[:120]
    return {"seconds": time.perf_counter() - started, "total": Cadre.objects.count(), "note": note}


_CHILD = """
import json, os, sys
import django
django.setup()
from ganbu.bench.run import load_here
print("GANBU-BENCH " + json.dumps(load_here(int(sys.argv[1]), int(sys.argv[2]))))
"""


def _load(cadres: int, seed: int, database_url: str, out: Any) -> tuple[Row, int] | None:
    """The demo county at about ``cadres`` cadres, timed; None (and why, on ``out``) if it cannot.

    Loaded by a child process, as an installation loads it (``ganbu demo``): the measuring process,
    like a server's, never holds the generator's millions of short-lived objects and their
    fragmented heap (pages measured after an in-process load of 10,000 cadres were slower than in
    a fresh process, by up to a third in one comparison on this machine).
    """
    from django.db import connection

    connection.close()  # the child writes; this process reconnects to read
    root = str(Path(__file__).resolve().parents[2])
    path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)
    env = dict(os.environ, DATABASE_URL=database_url, PYTHONPATH=path)
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(cadres), str(seed)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("GANBU-BENCH ")]
    if done.returncode != 0 or not lines:
        out.write(f"示例县载入失败（{cadres:,} 名干部）：{done.stderr.strip()[-500:]}\n")
        return None
    result = json.loads(lines[-1].removeprefix("GANBU-BENCH "))
    if "error" in result:
        out.write(result["error"] + "\n")
        return None
    seconds, total, note = result["seconds"], result["total"], result["note"]
    out.write(f"载入示例县：{total:,} 名干部，{seconds:.1f} 秒\n")
    out.flush()
    row = Row(
        "示例数据",
        "生成示例县（登记与全部业务流程）",
        n=total,
        median_ms=seconds * 1000,
        runs=1,
        note=note or f"{total / seconds:,.0f} 名/秒",
        key="demo",
    )
    return row, total


def _measure_size(
    cadres: int, args: argparse.Namespace, database_url: str, out: Any, first: bool
) -> tuple[list[Row], list[tuple[str, str]], int]:
    """Load one size, measure everything on it, empty the database; the rows and the text figures."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.test import Client

    from ganbu.accounts.models import User
    from ganbu.accounts.services import api_token_create
    from ganbu.bench import campaign, operations, pages

    loaded = _load(cadres, args.seed, database_url, out)
    if loaded is None:
        return [], [], cadres
    demo_row, total = loaded
    rows: list[Row] = [demo_row]
    texts: list[tuple[str, str]] = []
    try:
        officer = User.objects.get(username="zzb")
        token = api_token_create(actor=None, user=officer, name="性能基准")[1]
        # A page that fails answers 500 in the report instead of stopping the run.
        client = Client(raise_request_exception=False)
        client.force_login(officer)
        ctx = operations.Context(client, officer, token, total, args.repeat, out, database_url)
        found, _ = operations.all_operations(ctx)
        rows += found
        campaign_id = None
        try:
            started = time.perf_counter()
            found, campaign_id = campaign.measure(client, total, args.repeat, out)
            rows += found
            out.write(f"  campaign: {time.perf_counter() - started:.1f} 秒\n")
        except Exception as exc:
            rows.append(Row("错误", "选拔", status="失败", note=f"{type(exc).__name__}: {exc}"[:200]))
        if not args.no_pages:
            started = time.perf_counter()
            try:
                rows += pages.measure(client, args.repeat, campaign_id=campaign_id, out=out)
            except Exception as exc:
                rows.append(Row("错误", "页面", status="失败", note=f"{type(exc).__name__}: {exc}"[:200]))
            out.write(f"  pages: {time.perf_counter() - started:.1f} 秒\n")
        if not args.no_interop:
            from ganbu import bench_interop

            try:
                texts += bench_interop.measure(client, out)
            except Exception as exc:
                texts.append(("数据交换", f"失败：{type(exc).__name__}: {exc}"[:200]))
        if first and not args.no_voting:
            try:
                texts += operations.voting(ctx)
            except Exception as exc:
                texts.append(("投票计票", f"失败：{type(exc).__name__}: {exc}"[:200]))
    finally:
        call_command("flush", interactive=False, verbosity=0)
        ContentType.objects.clear_cache()
    return rows, texts, total


def _database_url(connection: Any, given: str) -> str:
    """The throw-away database as a URL, for the command-line subprocess."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    parts = urlsplit(given)
    return urlunsplit((parts.scheme, parts.netloc, "/" + str(name), parts.query, parts.fragment))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the table, write the markdown report; returns the exit status."""
    parser = argparse.ArgumentParser(description="干部工作管理系统性能基准（不做断言，只报告）。")
    parser.add_argument("--cadres", default="10000", help="干部数，逗号分隔，如 10000,100000,500000")
    parser.add_argument("--database", default="", help="PostgreSQL 地址（在它旁边建临时库，结束后删除）")
    parser.add_argument("--repeat", type=int, default=7, help="每项计时次数（取中位数与 p95）")
    parser.add_argument("--output", default="", help="把结果写成 markdown（如 docs/benchmarks.md）")
    parser.add_argument("--note", default="", help="写进 markdown 报告的说明（这次测量的条件）")
    parser.add_argument("--seed", type=int, default=2002)
    parser.add_argument("--no-pages", action="store_true", help="不逐页测量全部列表页与详情页")
    parser.add_argument("--no-interop", action="store_true", help="不测 .lrmx 导入导出")
    parser.add_argument("--no-voting", action="store_true", help="不测投票计票（10,000 张选票）")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "").replace(",", "")) for s in args.cadres.split(",") if s.strip()]
    if args.database:
        os.environ["DATABASE_URL"] = args.database

    root = Path(__file__).resolve().parents[2]
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    # 404s of routes not built yet and whitenoise's missing-directory notice would drown the table.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message="No directory at")
    from django.conf import settings
    from django.core import mail
    from django.db import connection

    from ganbu.bench import report

    # What the test client needs, without ``setup_test_environment``: its instrumented template
    # rendering (a signal per template rendered, with a copy of its context, for the tests'
    # ``response.context``) is work a server does not do, on every page measured.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    tmp = tempfile.mkdtemp(prefix="ganbu-bench-")
    if connection.vendor == "sqlite":
        # A file, not the test settings' in-memory database: closer to a real installation, and
        # with the installation's connection options (WAL, synchronous=NORMAL).

        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(Path(tmp) / "bench.sqlite3")
        connection.settings_dict["OPTIONS"] = dict(settings.SQLITE_OPTIONS)
    original = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    results: list[tuple[int, Row]] = []
    texts: list[tuple[int, str, str]] = []
    try:
        url = _database_url(connection, os.environ.get("DATABASE_URL", ""))
        print(f"数据库：{connection.vendor}（{connection.settings_dict['NAME']}），每项计时 {args.repeat} 次")
        for n, size in enumerate(sizes):
            print(f"\n== {size:,} 名干部 ==", flush=True)
            rows, found, total = _measure_size(size, args, url, sys.stdout, first=n == 0)
            results += [(total, r) for r in rows]
            texts += [(total, what, figure) for what, figure in found]
        print()
        print(report.text_table(results))
        for total, what, figure in texts:
            print(f"{total:,}  {what}  {figure}")
        if args.output:
            command = "python -m ganbu.bench " + " ".join(argv if argv is not None else sys.argv[1:])
            Path(args.output).write_text(
                report.markdown(results, texts, repeat=args.repeat, command=command.strip(), note=args.note),
                encoding="utf-8",
            )
            print(f"\n已写入 {args.output}")
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0
