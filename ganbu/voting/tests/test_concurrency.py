"""Exactness under load on PostgreSQL: concurrent casts all count, a replayed credential wins once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from ganbu.core.errors import ServiceError
from ganbu.voting import services
from ganbu.voting.models import Credential, SealedSheet
from ganbu.voting.services import CredentialUsedError

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs real row locks and concurrent connections: SQLite in-memory test DB is one connection",
    ),
]


def _run_threads(target, args_list):
    """Start one thread per argument tuple behind a barrier, so they really race; collect outcomes."""
    barrier = threading.Barrier(len(args_list))
    outcomes: list[object] = [None] * len(args_list)

    def worker(index, args):
        try:
            barrier.wait()
            outcomes[index] = target(*args)
        except Exception as exc:
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, a)) for i, a in enumerate(args_list)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_fifty_concurrent_casts_are_all_counted(officer, make_evaluation) -> None:
    ballot, item = make_evaluation()
    codes = services.credentials_issue(actor=officer, ballot=ballot, category="一般干部", count=50)
    shares = services.ballot_open(actor=officer, ballot=ballot)
    grades = ["excellent", "competent", "basic", "incompetent", "competent"] * 10

    def cast(code, grade):
        return services.ballot_cast_with_credential(
            code=code, ballot=ballot, content={item.pk: {"grade": grade}}
        )

    outcomes = _run_threads(cast, list(zip(codes, grades, strict=True)))
    assert [o for o in outcomes if not isinstance(o, str)] == []
    assert len(set(outcomes)) == 50
    assert SealedSheet.objects.filter(ballot=ballot).count() == 50
    assert Credential.objects.filter(ballot=ballot, used=True).count() == 50
    services.ballot_close(actor=officer, ballot=ballot)
    services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    data = ballot.results.get().data
    assert data["counts"] == {"excellent": 10, "competent": 20, "basic": 10, "incompetent": 10}


def test_same_credential_from_five_threads_succeeds_once(officer, make_evaluation) -> None:
    ballot, item = make_evaluation()
    [code] = services.credentials_issue(actor=officer, ballot=ballot, category="一般干部", count=1)
    services.ballot_open(actor=officer, ballot=ballot)

    def cast():
        return services.ballot_cast_with_credential(
            code=code, ballot=ballot, content={item.pk: {"grade": "basic"}}
        )

    outcomes = _run_threads(cast, [()] * 5)
    assert sum(isinstance(o, str) for o in outcomes) == 1
    assert sum(isinstance(o, CredentialUsedError) for o in outcomes) == 4
    assert SealedSheet.objects.filter(ballot=ballot).count() == 1


def test_close_racing_with_casts_loses_nothing_accepted(officer, make_evaluation) -> None:
    ballot, item = make_evaluation()
    codes = services.credentials_issue(actor=officer, ballot=ballot, category="一般干部", count=30)
    services.ballot_open(actor=officer, ballot=ballot)

    def act(code):
        if code is None:
            return services.ballot_close(actor=officer, ballot=ballot)
        return services.ballot_cast_with_credential(
            code=code, ballot=ballot, content={item.pk: {"grade": "basic"}}
        )

    outcomes = _run_threads(act, [(c,) for c in codes] + [(None,)])
    accepted = [o for o in outcomes if isinstance(o, str)]
    refused = [o for o in outcomes if isinstance(o, ServiceError)]
    assert len(accepted) + len(refused) == 30
    assert all("未在进行中" in str(e) for e in refused)
    assert SealedSheet.objects.filter(ballot=ballot).count() == len(accepted)
    assert Credential.objects.filter(ballot=ballot, used=True).count() == len(accepted)
