"""The ballot count at scale: 10,000 sealed sheets × 20 items, closed and counted (issue 13).

    python -m ganbu.bench_voting [--sheets 10000] [--items 20] [--runs 3]

Sets Django up itself (``config.settings.test`` unless DJANGO_SETTINGS_MODULE says otherwise) and
creates a throw-away database as :mod:`ganbu.bench` does (``test_<name>`` beside the database of
``DATABASE_URL`` on PostgreSQL, a temporary SQLite file otherwise). :mod:`ganbu.bench` also calls
``measure`` on its own throw-away database.

For each run a fresh electronic ballot is built — opened through the services (its key and the
监票人's shares), its codes issued through the services, then ``sheets`` casts sealed to its key by
the real sealing module (``ganbu.voting.sealing``) and inserted directly with their codes marked
used, because 10,000 casts through ``ballot_cast_with_credential`` would time the casting, not
the count. Then ``ballot_close`` and ``ballot_tally`` (the count, its writes and the VACUUM of the
voting tables) are timed, their SQL queries counted. Reported per kind: the median of ``runs``
runs of the evaluation ballot (民主测评, three voter categories) and one run of a recommendation
ballot (民主推荐, five reference names per post, two choices, write-ins, blanks).

Beside them, in the same process: the count's own CPU time (the rest is the database's work —
writing the rows, their indexes and deferred foreign-key checks at the commit — and waiting for
a core); the count split into its parts (opening the sealed sheets, writing the opened ones —
one row per cast — the commit of its transaction, and what follows the commit: the VACUUM and
its record); the time to open the sealed sheets alone (SealedBox decryption and JSON, the part
of the count no schema can remove), the VACUUM alone, and the raw SQL ``GROUP BY`` of the same
counts over the written sheets, for the ratio. A benchmark reports; it never asserts.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SHEETS = 10_000
ITEMS = 20
CATEGORIES = ("领导班子成员", "中层干部", "一般干部")
GRADES = ("excellent", "competent", "competent", "competent", "basic", "incompetent")


def _officer_and_unit() -> tuple[Any, Any]:
    """The demo's officer (``zzb``) and root unit when loaded, else a county and an officer made here."""
    from ganbu.accounts.models import User
    from ganbu.registry.choices import UnitKind
    from ganbu.registry.models import Unit

    officer = User.objects.filter(username="zzb").first()
    unit = Unit.objects.filter(parent__isnull=True).order_by("pk").first()
    if officer is not None and unit is not None:
        return officer, unit
    unit = Unit.objects.create(name="基准县", kind=UnitKind.COUNTY)
    unit.path = unit.compute_path()
    unit.save(update_fields=["path"])
    officer = User.objects.create_user(username="bench-voting", password=None, role="org_officer")
    return officer, unit


def _cadres(unit: Any, n: int) -> list[Any]:
    """``n`` cadres to be evaluated (the demo's when loaded, else made here)."""
    import datetime as dt

    from ganbu.registry.models import Cadre

    cadres = list(Cadre.objects.order_by("pk")[:n])
    for k in range(len(cadres), n):
        cadres.append(
            Cadre.objects.create(
                name=f"测评{k}", gender="M", birth_date=dt.date(1975, 1, 1), native_place="基准县", unit=unit
            )
        )
    return cadres


def _answer(kind: str, item: Any, rng: random.Random) -> dict[str, Any]:
    """One item's answer: a grade, or up to two names (now and then a write-in; blank sheets too).

    An electronic sheet naming too many is refused at the cast, so none is sealed here.
    """
    if kind == "evaluation":
        return {"grade": rng.choice(GRADES)}
    names = rng.sample(list(item.reference), rng.choice((0, 1, 2, 2, 2)))
    roll = rng.random()
    if roll < 0.05:
        names = [*names[:1], f"另推{rng.randrange(30)}"]  # a write-in (另行推荐)
    return {"choices": names}


def build(officer: Any, unit: Any, *, kind: str, sheets: int, items: int, seed: int) -> tuple[Any, list[str]]:
    """A closed-ready ballot of ``sheets`` sealed casts × ``items`` items; returns it and its key shares."""
    from django.db import transaction

    from ganbu.voting import sealing
    from ganbu.voting import services as voting
    from ganbu.voting.models import Credential, SealedSheet

    rng = random.Random(seed)
    ballot = voting.ballot_create(
        actor=officer,
        kind=kind,
        title=f"性能基准：{sheets} 张 × {items} 项",
        unit=unit,
        max_choices=2,
        min_category_size=3,
    )
    if kind == "evaluation":
        for cadre in _cadres(unit, items):
            voting.ballot_item_add(actor=officer, ballot=ballot, cadre=cadre)
    else:
        for k in range(items):
            reference = [f"参考{k}-{n}" for n in range(5)]
            voting.ballot_item_add(actor=officer, ballot=ballot, label=f"职位{k}", reference=reference)
    shares = voting.ballot_open(actor=officer, ballot=ballot)
    ballot.refresh_from_db()
    per_category = -(-sheets // len(CATEGORIES))
    for category in CATEGORIES:
        left = per_category
        while left:
            batch = min(left, voting.MAX_CREDENTIALS_PER_ISSUE)
            voting.credentials_issue(actor=officer, ballot=ballot, category=category, count=batch)
            left -= batch
    item_rows = list(ballot.items.all())
    size = voting._sealed_size(ballot, len(item_rows))
    sealed = []
    for n in range(sheets):
        payload = {
            "category": CATEGORIES[n % len(CATEGORIES)],
            "receipt": voting.new_receipt(),
            "items": {str(item.pk): _answer(kind, item, rng) for item in item_rows},
        }
        sealed.append(SealedSheet(ballot=ballot, sealed=sealing.seal(ballot.public_key, payload, size=size)))
    with transaction.atomic():
        SealedSheet.objects.bulk_create(sealed, batch_size=2000)
        for k, category in enumerate(CATEGORIES):
            used = len(range(k, sheets, len(CATEGORIES)))
            issued = Credential.objects.filter(ballot=ballot, category=category)
            ids = list(issued.values_list("pk", flat=True)[:used])
            Credential.objects.filter(pk__in=ids).update(used=True)
    return ballot, shares


CPU_MS: list[float] = []
"""This process's CPU time of each call timed by ``_timed`` (the database's work not included)."""


def _timed(fn: Any) -> tuple[float, int, Any]:
    """(milliseconds, SQL queries, value) of one call; its CPU milliseconds are appended to ``CPU_MS``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started, cpu = time.perf_counter(), time.process_time()
        value = fn()
        elapsed = (time.perf_counter() - started) * 1000
        CPU_MS.append((time.process_time() - cpu) * 1000)
    return elapsed, len(queries), value


def _open_alone(ballot: Any, shares: list[str]) -> float:
    """Milliseconds to open every sealed sheet of ``ballot`` in memory (decryption and JSON only)."""
    from ganbu.voting import sealing
    from ganbu.voting.models import SealedSheet

    parsed = [sealing.parse_share(ballot.pk, s) for s in shares[: ballot.key_threshold]]
    key = sealing.recover_private_key(ballot.pk, ballot.public_key, parsed)
    blobs = [bytes(b) for b in SealedSheet.objects.filter(ballot=ballot).values_list("sealed", flat=True)]
    started, cpu = time.perf_counter(), time.process_time()
    for blob in blobs:
        sealing.unseal(key, blob)
    CPU_MS.append((time.process_time() - cpu) * 1000)
    return (time.perf_counter() - started) * 1000


def _group_by(ballot: Any) -> tuple[float, int]:
    """Milliseconds of the raw SQL GROUP BY of the same counts over the written sheets, and its rows.

    A sheet is one cast, its content keyed by item: the answers are spread per item by the
    database's own JSON functions (``jsonb_each``, ``json_each`` on SQLite) before grouping.
    """
    from django.db import connection

    if connection.vendor == "sqlite":
        answers, answer = "json_each(content) AS e", "e.value"
    else:
        answers = "jsonb_each(content) AS e"
        answer = "e.value ->> 'grade'" if ballot.kind == "evaluation" else "e.value::text"
    sql = (
        f"SELECT e.key, category, {answer}, count(*) FROM voting_sheet, {answers} "
        f"WHERE ballot_id = %s GROUP BY e.key, category, {answer}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [ballot.pk])  # warm-up
        cursor.fetchall()
        started = time.perf_counter()
        cursor.execute(sql, [ballot.pk])
        rows = cursor.fetchall()
    return (time.perf_counter() - started) * 1000, len(rows)


SPLIT: dict[str, float] = {}
"""Milliseconds of the last count's parts, filled by the wrappers ``_split`` puts around them."""


@contextlib.contextmanager
def _split() -> Iterator[None]:
    """Time the count's parts: opening, writing the rows, the rest of its body, and its commit.

    The services are wrapped, not changed: ``_opened_sheets`` and ``_sheets_write`` timed as they
    run, and the count's durable transaction rebuilt around its timed body, so the commit (with its
    deferred foreign-key checks) is the transaction's time less its body's.
    """
    from django.db import transaction

    from ganbu.voting.services import counting

    saved = counting._opened_sheets, counting._sheets_write, counting._ballot_count
    body = counting._ballot_count.__wrapped__  # type: ignore[attr-defined]

    def timing(name: str, fn: Any) -> Any:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                SPLIT[name] = (time.perf_counter() - started) * 1000

        return timed

    atomic = transaction.atomic(durable=True)(timing("body", body))
    counting._opened_sheets = timing("open", counting._opened_sheets)
    counting._sheets_write = timing("write", counting._sheets_write)
    counting._ballot_count = timing("transaction", atomic)
    try:
        yield
    finally:
        counting._opened_sheets, counting._sheets_write, counting._ballot_count = saved


def _one_run(officer: Any, unit: Any, *, kind: str, sheets: int, items: int, seed: int) -> dict[str, Any]:
    """Build, close and count one ballot; its figures; the ballot is deleted afterwards."""
    from ganbu.voting import services as voting

    ballot, shares = build(officer, unit, kind=kind, sheets=sheets, items=items, seed=seed)
    opened_ms = _open_alone(ballot, shares)
    opened_cpu_ms = CPU_MS[-1]
    close_ms, close_q, _ = _timed(lambda: voting.ballot_close(actor=officer, ballot=ballot))
    SPLIT.clear()
    with _split():
        count_ms, count_q, _ = _timed(
            lambda: voting.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
        )
    count_cpu_ms = CPU_MS[-1]
    split = dict(SPLIT)
    vacuum_ms, _, outcome = _timed(voting.dead_versions_vacuum)
    group_ms, group_rows = _group_by(ballot)
    ballot.delete()
    voting.dead_versions_vacuum()  # the next run starts without this one's dead rows to clean
    return {
        "close_ms": close_ms,
        "close_q": close_q,
        "count_ms": count_ms,
        "count_q": count_q,
        "count_cpu_ms": count_cpu_ms,
        "split_open_ms": split["open"],
        "split_write_ms": split["write"],
        "split_commit_ms": split["transaction"] - split["body"],
        "split_after_ms": count_ms - split["transaction"],
        "open_ms": opened_ms,
        "open_cpu_ms": opened_cpu_ms,
        "vacuum_ms": vacuum_ms if outcome is not None else None,
        "group_ms": group_ms,
        "group_rows": group_rows,
    }


def measure(out: Any, *, sheets: int = SHEETS, items: int = ITEMS, runs: int = 3) -> list[tuple[str, str]]:
    """Time close and count of big sealed ballots; rows of (what, figure) for the report.

    The evaluation ballot is built and counted ``runs`` times (median reported, each on a fresh
    ballot: a count cannot be repeated), the recommendation ballot once.
    """
    from django.db import connection

    officer, unit = _officer_and_unit()
    rows: list[tuple[str, str]] = []
    for kind, label, n_runs in (("evaluation", "民主测评", runs), ("recommendation", "民主推荐", 1)):
        figures = []
        for run in range(n_runs):
            started = time.perf_counter()
            figures.append(_one_run(officer, unit, kind=kind, sheets=sheets, items=items, seed=2002 + run))
            out.write(f"{label} 第 {run + 1} 次（含建票）用时 {time.perf_counter() - started:.1f} 秒\n")

        def med(key: str, figures: list[dict[str, Any]] = figures) -> float:
            return float(statistics.median(f[key] for f in figures))

        runs_text = f"中位数/{n_runs} 次" if n_runs > 1 else "1 次"
        what = f"{label} {sheets} 张 × {items} 项（{connection.vendor}，{runs_text}）"
        count_ms = med("count_ms")
        rows += [
            (f"{what} 结束投票", f"{med('close_ms'):.0f} ms，{figures[0]['close_q']} 次查询"),
            (f"{what} 计票（含写入与清理）", f"{count_ms:.0f} ms，{figures[0]['count_q']} 次查询"),
            (
                f"{what} 其中本进程 CPU（其余为数据库与等待）",
                f"{med('count_cpu_ms'):.0f} ms",
            ),
            (
                f"{what} 其中解密开票",
                f"{med('open_ms'):.0f} ms（占 {100 * med('open_ms') / count_ms:.0f}%；"
                f"CPU {med('open_cpu_ms'):.0f} ms）",
            ),
        ]
        rows.append(
            (
                f"{what} 计票分解：开票 / 写入 / 提交 / 提交后（清理）",
                f"{med('split_open_ms'):.0f} / {med('split_write_ms'):.0f} / "
                f"{med('split_commit_ms'):.0f} / {med('split_after_ms'):.0f} ms",
            )
        )
        if figures[0]["vacuum_ms"] is not None:
            rows.append((f"{what} 其中 VACUUM（单独再测）", f"{med('vacuum_ms'):.0f} ms"))
        rows.append(
            (
                f"{what} 同口径 SQL GROUP BY",
                f"{med('group_ms'):.1f} ms（{figures[0]['group_rows']} 组；"
                f"计票为其 {count_ms / med('group_ms'):.0f} 倍）",
            )
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    """Run the ballot benchmark on a throw-away database and print its rows."""
    parser = argparse.ArgumentParser(description="大规模电子投票结束与计票的性能基准（只报告，不断言）。")
    parser.add_argument("--sheets", type=int, default=SHEETS)
    parser.add_argument("--items", type=int, default=ITEMS)
    parser.add_argument("--runs", type=int, default=3, help="民主测评重复次数（取中位数）")
    args = parser.parse_args(argv)
    root = Path(__file__).resolve().parent.parent
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.db import connection

    from ganbu.bench import _width

    tmp = tempfile.mkdtemp(prefix="ganbu-bench-voting-")
    if connection.vendor == "sqlite":
        from django.conf import settings

        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(Path(tmp) / "bench.sqlite3")
        connection.settings_dict["OPTIONS"] = dict(settings.SQLITE_OPTIONS)
    original = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        print(f"数据库：{connection.vendor}（{connection.settings_dict['NAME']}）")
        rows = measure(sys.stdout, sheets=args.sheets, items=args.items, runs=args.runs)
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)
        shutil.rmtree(tmp, ignore_errors=True)
    width = max(_width(what) for what, _ in rows)
    for what, figure in rows:
        print(f"  {what}{' ' * (width - _width(what))}  {figure}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
