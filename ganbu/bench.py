"""Performance benchmark: the busiest pages at 3,000 and 6,000 cadres (``make bench``).

    python -m ganbu.bench [--scales 1,2] [--repeat 20] [--seed 2002]

Sets Django up itself (``config.settings.test`` unless DJANGO_SETTINGS_MODULE says otherwise) and
creates a throw-away database: a temporary SQLite file, or ``test_<name>`` beside the database of
``DATABASE_URL`` on PostgreSQL, so real data is never touched. For each scale it loads the demo
county, logs in as the organization-department officer (``zzb``) with Django's test client and
times repeated requests with ``time.perf_counter``: the cadre list (first page, a filtered page,
a search), a cadre's page, the unit tree, ``GET /api/v1/cadres``, the dashboard with its to-do
groups, the selection records and the heaviest record page, the ballots, the public notice page
and ``GET /api/v1/selection/records``; then a county-wide campaign of 781 applicants (the seed's
competition across 59 units): its bulk entry and Excel import once, its applications, review, scores,
stages, ranking and statistics pages; then the data exchange (``ganbu.bench_interop``): the .lrmx
import rate and peak memory for 1,000 files, and the roster export of the whole registry. It prints
median and p95 in milliseconds and the number of SQL queries per request. A benchmark reports; it
never asserts.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Target:
    """One page to time: a label, a URL name (or a path) with arguments, and query parameters."""

    label: str
    url_name: str
    params: dict[str, str]
    needs_cadre: bool = False
    needs_record: bool = False


TARGETS = (
    Target("干部列表（首页）", "web:cadre-list", {}),
    Target(
        "干部列表（筛选）", "web:cadre-list", {"gender": "F", "rank": "deputy_section", "leadership": "1"}
    ),
    Target("干部列表（搜索）", "web:cadre-list", {"q": "wang"}),
    Target("干部详情", "web:cadre-detail", {}, needs_cadre=True),
    Target("单位树", "web:unit-list", {}),
    Target("API 干部列表", "/api/v1/cadres", {}),
    Target("首页（待办）", "web:dashboard", {}),
    Target("选拔任用纪实列表", "web:selection-list", {"step": ""}),
    Target("纪实详情", "web:selection-detail", {}, needs_record=True),
    Target("投票列表", "web:ballot-list", {}),
    Target("公示公告（公众）", "/public/", {}),
    Target("API 纪实列表", "/api/v1/selection/records", {}),
)


@dataclass(frozen=True)
class Result:
    """Timings of one target at one scale."""

    scale: float
    cadres: int
    label: str
    status: str
    median_ms: float | None
    p95_ms: float | None
    queries: int | None


def _percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (p95 of 20 samples is the 19th smallest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _url(target: Target, cadre_id: int | None, record_id: int | None = None) -> str | None:
    """The target's path, or None when the route does not exist (yet)."""
    from django.urls import NoReverseMatch, reverse

    if target.url_name.startswith("/"):
        return target.url_name
    if target.needs_record:
        return reverse(target.url_name, kwargs={"pk": record_id}) if record_id else None
    if not target.needs_cadre:
        try:
            return reverse(target.url_name)
        except NoReverseMatch:
            return None
    for kwargs in ({"pk": cadre_id}, {"cadre_id": cadre_id}):
        try:
            return reverse(target.url_name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return None


EXCHANGE: list[tuple[float, int, list[tuple[str, str]]]] = []
"""The data-exchange figures of each scale (``ganbu.bench_interop``): (scale, cadres, rows)."""


def _measure(scale: float, seed: int, repeat: int, out: Any) -> list[Result]:
    """Load the demo at ``scale``, time every target, then empty the database again."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db.models import Count
    from django.test import Client

    from ganbu.accounts.models import User
    from ganbu.demo.services import demo_load
    from ganbu.registry.models import Cadre
    from ganbu.selection.models import SelectionRecord

    started = time.perf_counter()
    summary = demo_load(actor=None, scale=scale, seed=seed)
    out.write(f"规模 {scale}：载入 {summary.cadres} 名干部用时 {time.perf_counter() - started:.1f} 秒\n")
    # The cadre with the longest career: the heaviest cadre page.
    cadre = Cadre.objects.annotate(n=Count("tenures")).order_by("-n", "id").first()
    # The selection record with the most steps behind it: the heaviest record page.
    record = SelectionRecord.objects.annotate(n=Count("events")).order_by("-n", "id").first()
    client = Client()
    client.force_login(User.objects.get(username="zzb"))
    results = []
    for target in TARGETS:
        url = _url(target, cadre.pk if cadre else None, record.pk if record else None)
        if url is None:
            results.append(Result(scale, summary.cadres, target.label, "无此路由", None, None, None))
            continue
        results.append(_time(client, url, target.params, repeat, scale, summary.cadres, target.label))
    results += _campaign_at_scale(client, scale, summary.cadres, repeat, out)
    from ganbu import bench_interop

    EXCHANGE.append((scale, summary.cadres, bench_interop.measure(client, out)))
    call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()
    return results


def _time(
    client: Any, url: str, params: dict[str, str], repeat: int, scale: float, cadres: int, label: str
) -> Result:
    """Time ``repeat`` GETs of one page after a warm-up, counting the queries of one of them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url, params)  # warm-up: templates, caches, connection
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    count = len(queries)  # now: the capture is a window on the connection's log, which moves on
    timings = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        response = client.get(url, params)
        timings.append((time.perf_counter() - t0) * 1000)
    return Result(
        scale,
        cadres,
        label,
        str(response.status_code),
        statistics.median(timings),
        _percentile(timings, 0.95),
        count,
    )


# The seed's county-wide competition: 781 applicants in 59 units (section 一(一)).
CAMPAIGN_APPLICANTS = 781
CAMPAIGN_POSTS = 60


def _campaign_at_scale(client: Any, scale: float, cadres: int, repeat: int, out: Any) -> list[Result]:
    """A county-wide campaign of 781 demo cadres through the services, then its pages timed.

    Entered in bulk, reviewed, the written exam imported from the page's own Excel template (timed:
    reading, checking and writing 781 rows), the interview scored, ranked. The pages timed are the
    ones whose size would grow with the applicants if they were not paginated or aggregated in the
    database: the applications list, the review list, a stage's scores, the stages, the ranking and
    the statistics.
    """
    import datetime as dt
    import io

    from django.urls import reverse
    from django.utils import timezone
    from openpyxl import load_workbook

    from ganbu.accounts.models import User
    from ganbu.campaigns import excel, services
    from ganbu.campaigns.choices import CampaignKind
    from ganbu.core.errors import ServiceError
    from ganbu.registry.choices import CadreStatus
    from ganbu.registry.models import Cadre, Post, Unit

    officer = User.objects.get(username="zzb")
    today = timezone.localdate()
    plan = {
        "kind": "open_selection",
        "stages": [
            {"key": "written", "label": "笔试", "kind": "written_exam", "weight": "1/2", "scored": True},
            {"key": "interview", "label": "面试", "kind": "interview", "weight": "1/2", "scored": True},
            {"key": "inspection", "label": "组织考察", "kind": "inspection"},
        ],
    }
    root = Unit.objects.filter(parent__isnull=True).order_by("pk").first()
    assert root is not None, "示例县没有根单位"
    campaign = services.campaign_create(
        actor=officer,
        kind=CampaignKind.OPEN_SELECTION,
        title="性能基准：全县公开选拔",
        unit=root,
        announcement="性能基准用。",
        registration_start=today - dt.timedelta(days=30),
        registration_end=today - dt.timedelta(days=10),
        cutoff=today - dt.timedelta(days=10),
        eligibility={},
        stages=plan,
    )
    posts = []
    for post in Post.objects.select_related("unit").order_by("pk"):
        try:
            posts.append(services.campaign_post_add(actor=officer, campaign=campaign, post=post))
        except ServiceError:
            continue  # over the unit's quota: the next post
        if len(posts) == CAMPAIGN_POSTS:
            break
    services.campaign_open(actor=officer, campaign=campaign)
    people = Cadre.objects.filter(status=CadreStatus.SERVING).exclude(id_number="").order_by("pk")
    rows = [(c, posts[n % len(posts)], None) for n, c in enumerate(people[:CAMPAIGN_APPLICANTS])]
    started = time.perf_counter()
    services.applications_enter_bulk(actor=officer, campaign=campaign, rows=rows)
    entered = time.perf_counter() - started
    services.campaign_close_registration(actor=officer, campaign=campaign)
    for application in campaign.applications.all():
        try:
            services.application_review(actor=officer, application=application, passed=True)
        except ServiceError:  # a finding (age, rating …): refused, as the officer would
            services.application_review(
                actor=officer, application=application, passed=False, note="不符合条件"
            )
    services.campaign_start_scoring(actor=officer, campaign=campaign)
    campaign.refresh_from_db()  # the services moved it on through their own locked copies
    book = load_workbook(io.BytesIO(excel.score_template(campaign, "written")))
    sheet = book.worksheets[0]
    for n, line in enumerate(sheet.iter_rows(min_row=2), start=1):
        if line[0].value:
            line[3].value = 60 + n % 40
    buffer = io.BytesIO()
    book.save(buffer)
    started = time.perf_counter()
    job = excel.import_scores(actor=officer, campaign=campaign, stage="written", data=buffer.getvalue())
    imported = time.perf_counter() - started
    out.write(
        f"规模 {scale}：{CAMPAIGN_APPLICANTS} 人批量报名 {entered:.1f} 秒；"
        f"笔试成绩 Excel 导入 {job.imported} 条 {imported:.1f} 秒（{job.get_status_display()}）\n"
    )
    services.stage_advance(actor=officer, campaign=campaign, stage="written")
    interviewees = campaign.applications.filter(stage_reached="interview")
    services.stage_scores_import(
        actor=officer,
        campaign=campaign,
        stage="interview",
        rows=[
            services.ScoreRow(line=n, who=a.ticket, score=str(50 + n % 50))
            for n, a in enumerate(interviewees, start=2)
        ],
        source="性能基准",
    )
    services.stage_advance(actor=officer, campaign=campaign, stage="interview")
    services.campaign_rank(actor=officer, campaign=campaign)
    pages: tuple[tuple[str, str, dict[str, str]], ...] = (
        ("选拔报名列表（781 人）", "web:campaign-applications", {}),
        ("资格审查列表", "web:campaign-review", {}),
        ("笔试成绩页", "web:campaign-scores", {"stage": "written"}),
        ("考试环节页", "web:campaign-stages", {}),
        ("综合排名页", "web:campaign-ranking", {}),
        ("选拔统计页", "web:campaign-statistics", {}),
    )
    return [
        _time(client, reverse(name, args=[campaign.pk]), params, repeat, scale, cadres, label)
        for label, name, params in pages
    ]


def _width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(results: list[Result]) -> str:
    """The results as an aligned text table (CJK-aware)."""
    head = ("规模", "干部数", "页面", "状态", "中位数 ms", "p95 ms", "SQL 查询")
    rows = [head] + [
        (
            f"{r.scale:g}",
            str(r.cadres),
            r.label,
            r.status,
            "—" if r.median_ms is None else f"{r.median_ms:.1f}",
            "—" if r.p95_ms is None else f"{r.p95_ms:.1f}",
            "—" if r.queries is None else str(r.queries),
        )
        for r in results
    ]
    widths = [max(_width(row[i]) for row in rows) + 2 for i in range(len(head))]
    lines = [
        "".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "-" * (sum(widths) - 2))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table; returns the process exit status."""
    parser = argparse.ArgumentParser(description="干部工作管理系统性能基准（不做断言，只报告）。")
    parser.add_argument("--scales", default="1,2", help="示例县规模，逗号分隔（1 约 3000 名干部）")
    parser.add_argument("--repeat", type=int, default=20, help="每个页面计时请求次数")
    parser.add_argument("--seed", type=int, default=2002)
    args = parser.parse_args(argv)
    scales = [float(s) for s in args.scales.split(",") if s.strip()]

    root = Path(__file__).resolve().parent.parent
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    # 404s of routes not built yet and whitenoise's missing-directory notice would drown the table.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message="No directory at")
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()  # allows the test client's host and keeps e-mail in memory
    tmp = tempfile.mkdtemp(prefix="ganbu-bench-")
    if connection.vendor == "sqlite":
        # A file, not the test settings' in-memory database: closer to a real installation.
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(Path(tmp) / "bench.sqlite3")
        # And the installation's connection options (WAL, synchronous=NORMAL), which the test
        # settings drop for their in-memory database: a commit then costs what it costs in use.
        from django.conf import settings

        connection.settings_dict["OPTIONS"] = dict(settings.SQLITE_OPTIONS)
    original = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    results: list[Result] = []
    try:
        print(f"数据库：{connection.vendor}（{connection.settings_dict['NAME']}），每页计时 {args.repeat} 次")
        for scale in scales:
            results += _measure(scale, args.seed, args.repeat, sys.stdout)
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)
        shutil.rmtree(tmp, ignore_errors=True)
    print()
    print(_table(results))
    for scale, cadres, rows in EXCHANGE:
        print(f"\n数据交换（规模 {scale}，{cadres} 名干部）")
        width = max(_width(what) for what, _ in rows)
        for what, figure in rows:
            print(f"  {what}{' ' * (width - _width(what))}  {figure}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
