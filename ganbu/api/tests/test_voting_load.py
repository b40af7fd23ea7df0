"""Exactness under load over real HTTP on PostgreSQL: 200 concurrent voters, replays, a racing close.

The live server is threaded and every request gets its own database connection, so the ballot
row lock and the conditional credential UPDATE are exercised exactly as in production. The
worker pool stays at 50 so the server never needs more connections than PostgreSQL's default
``max_connections`` (100) leaves for the test run.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test.testcases import LiveServerThread

from ganbu.registry.tests.factories import CadreFactory
from ganbu.voting import services
from ganbu.voting.models import Credential

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent connections and row locks: SQLite's in-memory test DB is one connection",
    ),
]

WORKERS = 50

# Django's test server listens with a backlog of 10: forty voters released at the same instant
# overflow it and the kernel resets connections, which would test the socket, not the ballot.
# Set at import, i.e. during collection, before the session-wide live server is started.
LiveServerThread.server_class.request_queue_size = 128


def _cast(url: str, code: str, item_id: int, grade: str = "competent") -> tuple[int, dict]:
    """POST one cast over HTTP with no login; returns the status and the JSON body."""
    body = json.dumps({"code": code, "content": {str(item_id): {"grade": grade}}}).encode()
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _open_evaluation(officer, tree, count: int):
    """An open evaluation ballot with one item, ``count`` codes and the 监票人's key shares."""
    ballot = services.ballot_create(actor=officer, kind="evaluation", title="压力测试测评", unit=tree.finance)
    item = services.ballot_item_add(actor=officer, ballot=ballot, cadre=CadreFactory(unit=tree.finance))
    shares = services.ballot_open(actor=officer, ballot=ballot)
    codes = services.credentials_issue(actor=officer, ballot=ballot, category="全体职工", count=count)
    return ballot, item, codes, shares


def _counted(officer, ballot, shares) -> int:
    """Close (if still open), tally and return the number of sheets counted for the only item."""
    ballot.refresh_from_db()
    if ballot.status == "open":
        services.ballot_close(actor=officer, ballot=ballot)
    (result,) = services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    total: int = result.data["total"]
    return total


def test_200_concurrent_http_casts_are_all_counted_and_replays_are_409(live_server, officer, tree) -> None:
    ballot, item, codes, shares = _open_evaluation(officer, tree, 200)
    url = f"{live_server.url}/api/v1/voting/ballots/{ballot.pk}/cast"
    grades = ["excellent", "competent", "basic", "incompetent"]

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        outcomes = list(pool.map(lambda i: _cast(url, codes[i], item.pk, grades[i % 4]), range(200)))
    statuses = [s for s, _ in outcomes]
    assert statuses == [200] * 200, {s: statuses.count(s) for s in set(statuses)}
    receipts = {body["receipt"] for _, body in outcomes}
    assert len(receipts) == 200

    with ThreadPoolExecutor(max_workers=10) as pool:
        replays = list(pool.map(lambda code: _cast(url, code, item.pk), codes[:10]))
    assert [s for s, _ in replays] == [409] * 10
    assert all(body["detail"] == "该投票码已经使用过，不能重复投票。" for _, body in replays)

    assert Credential.objects.filter(ballot=ballot, used=True).count() == 200
    ballot.refresh_from_db()
    services.ballot_close(actor=officer, ballot=ballot)
    (result,) = services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    assert result.data["total"] == 200
    assert result.data["counts"] == dict.fromkeys(grades, 50)


def test_close_racing_with_casts_loses_nothing_accepted_and_accepts_nothing_after(
    live_server, officer, tree
) -> None:
    """60 casts race with a close issued once 20 of them are answered; 40 more start after the close.

    The late ones wait for the close to return, so "after close" is a fact, not a timing guess.
    """
    ballot, item, codes, shares = _open_evaluation(officer, tree, 100)
    url = f"{live_server.url}/api/v1/voting/ballots/{ballot.pk}/cast"
    answered = threading.Semaphore(0)
    closed = threading.Event()

    def racing(i: int) -> tuple[int, dict]:
        try:
            return _cast(url, codes[i], item.pk)
        finally:
            answered.release()

    def late(i: int) -> tuple[int, dict]:
        closed.wait()
        return _cast(url, codes[i], item.pk)

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        early_futures = [pool.submit(racing, i) for i in range(60)]
        late_futures = [pool.submit(late, i) for i in range(60, 100)]
        for _ in range(20):
            answered.acquire()
        ballot.refresh_from_db()
        services.ballot_close(actor=officer, ballot=ballot)
        closed.set()
        early = [f.result() for f in early_futures]
        after = [f.result() for f in late_futures]

    accepted = [body for status, body in early if status == 200]
    refused = [status for status, _ in early if status != 200]
    assert len(accepted) >= 20
    # Casts that lost the race to the close were refused as "not open", never half-accepted.
    assert set(refused) <= {422}
    assert [s for s, _ in after] == [422] * 40
    assert all(body["detail"] == "投票未在进行中，不接受投票。" for _, body in after)
    assert Credential.objects.filter(ballot=ballot, used=True).count() == len(accepted)
    assert _counted(officer, ballot, shares) == len(accepted)
