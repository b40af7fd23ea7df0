"""The data-exchange part of ``make bench``: 任免审批表 files in and out, and the whole roster as .xlsx.

Run by :mod:`ganbu.bench` at each scale, after the pages are timed, on the same throw-away database:

- **.lrmx import, 1,000 new files.** The first 1,000 cadres of the demo county as the system exports
  them (``records_for_cadres`` → ``write_lrmx``, each with a 4:5 JPEG photo of about 30 KB, as a real
  file has), given new ID numbers and a birth date one year earlier so that they are new people, not
  matches; then ``lrmx_import_batch`` as the import page's worker runs it: read, match, preview and
  write, one transaction per file. Reported: files per second (target ≥ 200), and the outcomes.
- **.lrmx re-import, the same 1,000 files again**: now each matches its cadre by ID number and is
  compared field by field (nothing to write): the department's second upload of its files.
- **Peak memory** of a third import of 1,000 new files under ``tracemalloc`` (Python's own allocations,
  the peak during the import; tracing slows the run, so it is timed apart from the rate).
- **Export of 1,000 files** (records and ``write_lrmx``): files per second.
- **The roster export of the whole registry** (``/cadres/?export=xlsx``, every cadre, the default
  columns, streamed): seconds, rows, size of the file, queries, and its peak memory under tracemalloc.

A benchmark reports; it never asserts.
"""

from __future__ import annotations

import io
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar

FILES = 1000
T = TypeVar("T")


def _photo() -> bytes:
    """A 4:5 portrait JPEG of about 30 KB (noise compresses badly, like a real face does)."""
    import random

    from PIL import Image

    rng = random.Random(7)
    image = Image.new("RGB", (180, 225))
    image.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(180 * 225)])
    out = io.BytesIO()
    image.save(out, "JPEG", quality=60)
    return out.getvalue()


def _new_person(record: Any, n: int, years_back: int) -> Any:
    """``record`` as someone else: a new, valid ID number and a birth date ``years_back`` years earlier."""
    from ganbu.rules.idcard import check_char

    year = int(record.birth[:4]) - years_back if record.birth[:4].isdigit() else 1980
    month = int(record.birth[4:6]) if record.birth[4:6].isdigit() else 1
    day = 1 + n % 28
    # The 17th digit is odd for a man, even for a woman (GB 11643), as the import checks.
    sequence = (n % 500) * 2 + (1 if record.gender == "男" else 0)
    first17 = f"999999{year:04d}{month:02d}{day:02d}{sequence:03d}"
    id_number = first17 + check_char(first17)
    return record.with_changes(id_number=id_number, birth=f"{year:04d}{month:02d}")


def _timed(fn: Callable[[], T]) -> tuple[T, float]:
    """``fn()`` and the seconds it took."""
    started = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - started


def _peak(fn: Callable[[], T]) -> tuple[T, float]:
    """``fn()`` and the peak of Python's allocations while it ran, in MB."""
    tracemalloc.start()
    try:
        value = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return value, peak / 1e6


def _outcomes(outcomes: list[Any]) -> str:
    """The import outcomes counted, in the report's words."""
    counts = Counter(o.outcome for o in outcomes)
    return "，".join(f"{k} {v}" for k, v in sorted(counts.items()))


def measure(client: Any, out: Any) -> list[tuple[str, str]]:
    """Run the data-exchange measurements on the loaded demo; rows of (what, figure) for the report."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    from ganbu.accounts.models import User
    from ganbu.interop import selectors, services
    from ganbu.interop.lrmx import write_lrmx
    from ganbu.registry.models import Cadre, Unit

    officer = User.objects.get(username="zzb")
    cadres = Cadre.objects.order_by("pk")[:FILES]
    photo = _photo()
    rows: list[tuple[str, str]] = []

    def export() -> list[tuple[str, bytes]]:
        records = selectors.records_for_cadres(user=officer, cadres=cadres)
        return [(f"{n:04d}.lrmx", write_lrmx(r)) for n, r in enumerate(records)]

    exported, seconds = _timed(export)
    rows.append(
        (f"导出 {len(exported)} 份 .lrmx", f"{len(exported) / seconds:.0f} 份/秒（{seconds:.2f} 秒）")
    )

    records = selectors.records_for_cadres(user=officer, cadres=cadres)
    unit = Unit.objects.order_by("pk").first()
    assert unit is not None, "示例县没有单位"

    def files(years_back: int) -> list[tuple[str, bytes]]:
        return [
            (f"新{n:04d}.lrmx", write_lrmx(_new_person(r, n, years_back).with_changes(photo=photo)))
            for n, r in enumerate(records)
        ]

    first = files(1)
    size = sum(len(d) for _, d in first) / len(first) / 1024
    with override_settings(MEDIA_ROOT=str(settings.MEDIA_ROOT)):
        outcomes, seconds = _timed(
            lambda: services.lrmx_import_batch(actor=officer, files=first, unit_id=unit.pk, source="性能基准")
        )
        rows.append(
            (
                f"导入 {len(first)} 份新 .lrmx（每份约 {size:.0f} KB，含照片）",
                f"{len(first) / seconds:.0f} 份/秒（{seconds:.2f} 秒；{_outcomes(outcomes)}）",
            )
        )
        outcomes, seconds = _timed(
            lambda: services.lrmx_import_batch(actor=officer, files=first, unit_id=unit.pk, source="性能基准")
        )
        rows.append(
            (
                f"再次导入同样 {len(first)} 份（按身份证号匹配，逐项比对）",
                f"{len(first) / seconds:.0f} 份/秒（{seconds:.2f} 秒；{_outcomes(outcomes)}）",
            )
        )
        third = files(2)
        outcomes, peak = _peak(
            lambda: services.lrmx_import_batch(actor=officer, files=third, unit_id=unit.pk, source="性能基准")
        )
        rows.append(
            (
                f"导入 {len(third)} 份新 .lrmx 的内存峰值",
                f"{peak:.1f} MB（tracemalloc；{_outcomes(outcomes)}）",
            )
        )

    total = Cadre.objects.count()
    url = "/cadres/"
    with CaptureQueriesContext(connection) as queries:
        response, seconds = _timed(lambda: client.get(url, {"export": "xlsx"}))
        data = b"".join(response.streaming_content) if response.streaming else response.content
    rows.append(
        (
            f"花名册导出全部 {total} 名干部（.xlsx，流式）",
            f"{seconds:.2f} 秒，{len(data) / 1e6:.1f} MB，{len(queries)} 次查询，状态 {response.status_code}",
        )
    )

    def export_roster() -> bytes:
        response = client.get(url, {"export": "xlsx"})
        return b"".join(response.streaming_content) if response.streaming else bytes(response.content)

    _, peak = _peak(export_roster)
    rows.append((f"花名册导出全部 {total} 名干部的内存峰值", f"{peak:.1f} MB（tracemalloc）"))
    return rows
