"""The benchmark's own parts that can be checked without timing anything (``ganbu.bench``)."""

from __future__ import annotations

import pytest

from ganbu.bench import _width, main
from ganbu.bench.measure import Row, percentile, raw_median, slowest_select
from ganbu.bench.operations import _links
from ganbu.bench.report import BEFORE, markdown, text_table


def test_entry_points_stay_importable():
    """``python -m ganbu.bench`` and ``ganbu.bench_voting`` (which aligns with ``_width``) still work."""
    assert callable(main)
    assert _width("干部ab") == 6


def test_percentile_is_nearest_rank():
    assert percentile(list(map(float, range(1, 21))), 0.95) == 19.0
    assert percentile([5.0], 0.95) == 5.0


def test_ratio_is_page_over_raw():
    assert Row("s", "l", median_ms=30.0, raw_ms=10.0).ratio == 3.0
    assert Row("s", "l", median_ms=30.0).ratio is None


def test_keyset_links_are_found_by_their_words():
    """The deep page follows the list's own next and last links when they carry a cursor."""
    html = (
        '<a class="page-link" href="/cadres/?cursor=abc&amp;q=wang">下一页</a>'
        '<a href="/cadres/?cursor=zzz"><i></i>末页</a><a href="/cadres/?page=2">2</a>'
    )
    assert _links(html.encode()) == {"next": "/cadres/?cursor=abc&q=wang", "last": "/cadres/?cursor=zzz"}
    assert _links(b'<a href="/cadres/?page=2">\xe4\xb8\x8b\xe4\xb8\x80\xe9\xa1\xb5</a>') == {}


@pytest.mark.django_db
def test_slowest_query_is_replayed_raw():
    """Reads are replayed through a plain cursor; writes and broken SQL are never the raw figure."""
    queries = [
        {"sql": "UPDATE x SET y = 1", "time": "9.000"},
        {"sql": "SELECT 1", "time": "0.000"},
        {"sql": "SELECT no_such_column FROM nowhere", "time": "0.000"},
    ]
    assert slowest_select(queries) == "SELECT 1"
    assert raw_median("SELECT no_such_column FROM nowhere", 1) is None
    assert slowest_select([{"sql": "DELETE FROM x", "time": "1"}]) is None


@pytest.mark.django_db
def test_markdown_describes_the_machine_and_sets_each_row_beside_the_issue():
    rows = [
        (
            10_000,
            Row("干部名册", "干部列表首页", n=10_000, median_ms=42.0, queries=6, raw_ms=7.0, key="list"),
        ),
        (10_000, Row("首页", "首页（结构与待办）", median_ms=80.0, queries=20, key="dashboard")),
    ]
    text = markdown(
        rows, [(10_000, "民主测评 10000 张 × 20 项 计票（含写入与清理）", "150 ms")], repeat=5, command="x"
    )
    for heading in ("## 机器", "CPU", "内存", "数据库", "Python / Django", "代码版本"):
        assert heading in text
    assert "60–96 ms" in text  # the issue's figure before
    assert "10,000：干部列表首页 42.0 ms，6 次，6.0×" in text
    assert "10,000：民主测评 10000 张 × 20 项 计票（含写入与清理） 150 ms" in text
    assert text.count("\n| ") >= len(BEFORE) + len(rows)
    assert "干部列表首页" in text_table(rows)


@pytest.mark.django_db(transaction=True)
def test_page_sweep_opens_each_page_as_an_account_that_may_and_skips_post_only_routes():
    """The audit log is timed as the auditor, not reported as the officer's 404; no POST-only route."""
    import io

    from django.core.management import call_command
    from django.test import Client

    from ganbu.accounts.models import User
    from ganbu.bench import pages

    call_command("demo", "--scale", "0.1", stdout=io.StringIO())
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username="zzb"))
    rows = {row.label: row for row in pages.measure(client, 1, campaign_id=None, out=io.StringIO())}
    audit = rows["/audit/"]
    assert (audit.status, audit.note) == ("200", "web:audit-list（以 shenji 身份）")
    assert rows["/cadres/"].note == "web:cadre-list"
    assert "/audit/verify/" not in rows  # POST only
    assert not [row.label for row in rows.values() if row.status == "405"]
