"""The count from aggregated sheets (issue 13): the same bytes as before, in a fixed number of queries.

The count no longer builds a ``Sheet`` per cast and item nor a dataclass per sheet: it opens the
sealed casts into plain tuples, tallies from per-item counts and writes the rows in one statement.
Each test here counts a ballot both ways — ``reference_count`` is the count as it was — and
compares ``BallotResult.data`` as JSON text, key order included: several items, voter categories
(one below the minimum size, suppressed), weights, write-ins, blank and spoilt papers, recusals,
a meeting check, and a ballot opened before sealing (plaintext sheets).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ganbu.registry.tests.factories import CadreFactory
from ganbu.voting import sealing, selectors, services
from ganbu.voting.choices import BallotKind, BallotStatus, Channel
from ganbu.voting.models import Ballot, BallotItem, BallotResult, Credential, SealedSheet, Sheet
from ganbu.voting.tests.reference_count import reference_data, reference_paper_data

GRADES = ["excellent", "competent", "basic", "incompetent"]


def _plain(ballot: Ballot, shares: list[str]) -> list[tuple[int, str, dict[str, Any]]]:
    """The sealed casts opened in the test, as (item id, category, content) — the old count's input."""
    parsed = [sealing.parse_share(ballot.pk, s) for s in shares[: ballot.key_threshold]]
    key = sealing.recover_private_key(ballot.pk, ballot.public_key, parsed)
    out = []
    for blob in SealedSheet.objects.filter(ballot=ballot).values_list("sealed", flat=True):
        payload = sealing.unseal(key, bytes(blob))
        for item_id, answer in payload["items"].items():
            out.append((int(item_id), payload["category"], answer))
    return out


def _as_text(data: dict[int, dict[str, Any]]) -> dict[int, str]:
    return {pk: json.dumps(d, ensure_ascii=False) for pk, d in data.items()}


def _counted(results: list[BallotResult]) -> dict[int, str]:
    """The new count's results as JSON text: as returned, and as stored (the database's own order aside)."""
    stored = {r.item_id: r.data for r in BallotResult.objects.filter(pk__in=[r.pk for r in results])}
    assert stored == {r.item_id: r.data for r in results}
    return _as_text({r.item_id: r.data for r in results})


def _evaluation(officer, tree, n_items: int, *, weights: bool = True) -> tuple[Ballot, list[BallotItem]]:
    ballot = services.ballot_create(
        actor=officer,
        kind=BallotKind.EVALUATION,
        title="年度民主测评",
        unit=tree.finance,
        min_category_size=3,
        category_weights={"领导班子成员": "3", "中层干部": "2", "一般干部": "1/2"} if weights else None,
        approval_floor="2/3",
    )
    items = [
        services.ballot_item_add(actor=officer, ballot=ballot, cadre=CadreFactory(unit=tree.finance))
        for _ in range(n_items)
    ]
    return ballot, items


def _cast_evaluation(officer, ballot, items, per_category: dict[str, int]) -> list[str]:
    codes = [
        (category, code)
        for category, n in per_category.items()
        for code in services.credentials_issue(actor=officer, ballot=ballot, category=category, count=n)
    ]
    shares = services.ballot_open(actor=officer, ballot=ballot)
    for k, (_, code) in enumerate(codes):
        content = {
            item.pk: {"grade": GRADES[(k * 7 + j * 3) % 4 if k % 5 else 3]} for j, item in enumerate(items)
        }
        services.ballot_cast_with_credential(code=code, ballot=ballot, content=content)
    services.ballot_close(actor=officer, ballot=ballot)
    return shares


def test_evaluation_results_are_byte_identical_to_the_old_count(officer, tree) -> None:
    ballot, items = _evaluation(officer, tree, 3)
    shares = _cast_evaluation(officer, ballot, items, {"领导班子成员": 4, "中层干部": 7, "一般干部": 2})
    ballot.refresh_from_db()
    expected = _as_text(reference_data(ballot, items, _plain(ballot, shares)))
    results = services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    assert _counted(results) == expected
    assert json.loads(expected[items[0].pk])["by_category"]["一般干部"] == {"suppressed": True}
    assert Sheet.objects.filter(ballot=ballot).count() == 13  # one row per cast, answering the 3 items
    assert not SealedSheet.objects.filter(ballot=ballot).exists()


def test_recommendation_with_write_ins_blanks_and_a_meeting_is_byte_identical(officer, tree, post) -> None:
    ballot = services.ballot_create(
        actor=officer,
        kind=BallotKind.RECOMMENDATION,
        title="会议推荐",
        unit=tree.finance,
        max_choices=2,
        min_category_size=2,
        expected_voters=12,
    )
    items = [
        services.ballot_item_add(actor=officer, ballot=ballot, post=post, reference=["甲", "乙", "丙"]),
        services.ballot_item_add(actor=officer, ballot=ballot, label="第二职位", reference=["丁", "戊"]),
    ]
    codes = services.credentials_issue(actor=officer, ballot=ballot, category="中层干部", count=6)
    codes += services.credentials_issue(actor=officer, ballot=ballot, category="一般干部", count=3)
    codes += services.credentials_issue(actor=officer, ballot=ballot, category="退休干部", count=1)
    shares = services.ballot_open(actor=officer, ballot=ballot)
    services.ballot_attendance_record(actor=officer, ballot=ballot, expected=12, present=10)
    first = (["甲", "乙"], ["甲"], [], ["另推某", "乙"], ["甲"], [" 丙 "], ["乙", "甲"], ["甲"], ["王五"], [])
    second = (["丁"], ["戊"], ["丁", "戊"], [], ["丁"], ["己"], ["丁"], ["戊", "丁"], ["丁"], ["丁"])
    for code, a, b in zip(codes, first, second, strict=True):
        content = {items[0].pk: {"choices": a}, items[1].pk: {"choices": b}}
        services.ballot_cast_with_credential(code=code, ballot=ballot, content=content)
    services.ballot_close(actor=officer, ballot=ballot)
    ballot.refresh_from_db()
    expected = _as_text(reference_data(ballot, items, _plain(ballot, shares)))
    results = services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    assert _counted(results) == expected
    data = json.loads(expected[items[0].pk])
    assert data["write_ins"] == ["另推某", "王五"]
    assert data["meeting"]["cast"] == 10


def test_committee_with_recusals_is_byte_identical(officer, make_committee) -> None:
    ballot, items, voters = make_committee(members=9, attended=8, items=2, recusals={0: [1], 3: [0, 1]})
    shares = services.ballot_open(actor=officer, ballot=ballot)
    for n, voter in enumerate(voters[:8]):
        for j, item in enumerate(items):
            if voter.recused_items.filter(pk=item.pk).exists():
                continue
            choice = ["agree", "agree", "disagree", "defer"][(n + j) % 4]
            services.committee_cast(actor=voter.user, ballot=ballot, item=item, choice=choice)
    services.ballot_close(actor=officer, ballot=ballot)
    ballot.refresh_from_db()
    expected = _as_text(reference_data(ballot, items, _plain(ballot, shares)))
    results = services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    assert _counted(results) == expected


def test_paper_recommendation_with_spoilt_papers_is_byte_identical(officer, make_user, tree, post) -> None:
    ballot = services.ballot_create(
        actor=officer,
        kind=BallotKind.RECOMMENDATION,
        title="纸质会议推荐",
        unit=tree.finance,
        channel=Channel.PAPER,
        max_choices=1,
        min_category_size=2,
    )
    item = services.ballot_item_add(actor=officer, ballot=ballot, post=post, reference=["甲", "乙", "丙"])
    services.ballot_open(actor=officer, ballot=ballot)
    services.ballot_close(actor=officer, ballot=ballot)
    papers = (["甲"], ["甲", "乙"], [], ["乙"], ["丁某"], ["甲"], ["乙", "丙"])
    for n, choices in enumerate(papers):
        category = "中层干部" if n % 3 else "一般干部"
        services.paper_sheet_enter(
            actor=officer, ballot=ballot, category=category, content={item.pk: {"choices": choices}}
        )
    services.paper_counts_enter(actor=officer, ballot=ballot, item=item, counts={}, issued=8, returned=7)
    services.paper_counts_confirm(actor=make_user("org_officer"), ballot=ballot, item=item)
    ballot.refresh_from_db()
    expected = _as_text(reference_paper_data(ballot, [item]))
    results = services.ballot_tally(actor=officer, ballot=ballot)
    assert _counted(results) == expected
    assert json.loads(expected[item.pk])["invalid_sheets"] == 2


@pytest.mark.parametrize("kind", [BallotKind.EVALUATION, BallotKind.COMMITTEE])
def test_paper_counts_are_byte_identical(officer, make_user, make_committee, tree, kind) -> None:
    if kind == BallotKind.COMMITTEE:
        ballot, items, _ = make_committee(
            members=9, attended=9, items=2, channel=Channel.PAPER, recusals={2: [0]}
        )
        counts = [{"agree": 6, "disagree": 1, "defer": 1}, {"agree": 4, "disagree": 5}]
    else:
        ballot = services.ballot_create(
            actor=officer, kind=kind, title="纸质测评", unit=tree.finance, channel=Channel.PAPER
        )
        items = [
            services.ballot_item_add(actor=officer, ballot=ballot, cadre=CadreFactory(unit=tree.finance))
            for _ in range(2)
        ]
        counts = [{"excellent": 3, "competent": 4, "incompetent": 3}, {}]
    services.ballot_open(actor=officer, ballot=ballot)
    services.ballot_close(actor=officer, ballot=ballot)
    witness = make_user("org_officer")
    for item, c in zip(items, counts, strict=True):
        services.paper_counts_enter(
            actor=officer, ballot=ballot, item=item, counts=c, issued=10, returned=sum(c.values())
        )
        services.paper_counts_confirm(actor=witness, ballot=ballot, item=item)
    ballot.refresh_from_db()
    expected = _as_text(reference_paper_data(ballot, items))
    assert _counted(services.ballot_tally(actor=officer, ballot=ballot)) == expected


def test_a_ballot_opened_before_sealing_is_counted_from_its_plaintext_sheets_identically(
    officer, tree
) -> None:
    ballot, items = _evaluation(officer, tree, 2, weights=False)
    codes = services.credentials_issue(actor=officer, ballot=ballot, category="中层干部", count=5)
    services.ballot_open(actor=officer, ballot=ballot)
    services.ballot_close(actor=officer, ballot=ballot)
    # As a ballot of docs/decisions/0010 left it: no key, its sheets stored in clear at the cast.
    Ballot.objects.filter(pk=ballot.pk).update(public_key="")
    Credential.objects.filter(ballot=ballot).update(used=True)
    plain = [
        (item.pk, "中层干部" if k < 4 else "一般干部", {"grade": GRADES[(k + j) % 4]})
        for k in range(len(codes))
        for j, item in enumerate(items)
    ]
    casts: dict[int, Sheet] = {}
    for n, (i, c, content) in enumerate(plain):
        cast = casts.setdefault(
            n // len(items), Sheet(ballot=ballot, category=c, content={}, receipt=f"R{n}")
        )
        cast.content[str(i)] = content
    Sheet.objects.bulk_create(casts.values())
    ballot.refresh_from_db()
    expected = _as_text(reference_data(ballot, items, plain))
    assert _counted(services.ballot_tally(actor=officer, ballot=ballot)) == expected


def _count_queries(officer, tree, *, sheets: int, items: int) -> int:
    ballot, made = _evaluation(officer, tree, items)
    shares = _cast_evaluation(
        officer, ballot, made, {"中层干部": sheets - sheets // 2, "一般干部": sheets // 2}
    )
    with CaptureQueriesContext(connection) as queries:
        services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    assert Ballot.objects.get(pk=ballot.pk).status == BallotStatus.TALLIED
    assert Sheet.objects.filter(ballot=ballot).count() == sheets
    assert all(len(c) == items for c in Sheet.objects.filter(ballot=ballot).values_list("content", flat=True))
    return len(queries)


def test_the_count_takes_the_same_queries_whatever_the_number_of_sheets_and_items(officer, tree) -> None:
    small = _count_queries(officer, tree, sheets=3, items=1)
    large = _count_queries(officer, tree, sheets=24, items=6)
    assert small == large
    assert large <= 20


def test_a_paper_of_two_posts_is_one_sheet_and_counts_identically(officer, make_user, tree, post) -> None:
    """Each paper entered is one row answering both posts; the entry counts and the result are unchanged."""
    ballot = services.ballot_create(
        actor=officer,
        kind=BallotKind.RECOMMENDATION,
        title="纸质推荐两个职位",
        unit=tree.finance,
        channel=Channel.PAPER,
        max_choices=1,
        min_category_size=1,
    )
    items = [
        services.ballot_item_add(actor=officer, ballot=ballot, post=post, reference=["甲", "乙"]),
        services.ballot_item_add(actor=officer, ballot=ballot, label="第二职位", reference=["丙", "丁"]),
    ]
    services.ballot_open(actor=officer, ballot=ballot)
    services.ballot_close(actor=officer, ballot=ballot)
    papers = ((["甲"], ["丙"]), (["乙"], []), (["甲", "乙"], ["丁"]))
    for a, b in papers:
        entered = services.paper_sheet_enter(
            actor=officer,
            ballot=ballot,
            category="中层干部",
            content={items[1].pk: {"choices": b}, items[0].pk: {"choices": a}},
        )
    assert entered == 3
    contents = list(Sheet.objects.filter(ballot=ballot).values_list("content", flat=True))
    assert len(contents) == 3 and all(list(c) == [str(items[0].pk), str(items[1].pk)] for c in contents)
    assert selectors.paper_sheets_entered(ballot=ballot) == {items[0].pk: 3, items[1].pk: 3}
    witness = make_user("org_officer")
    for item in items:
        services.paper_counts_enter(actor=officer, ballot=ballot, item=item, counts={}, issued=3, returned=3)
        services.paper_counts_confirm(actor=witness, ballot=ballot, item=item)
    ballot.refresh_from_db()
    expected = _as_text(reference_paper_data(ballot, items))
    assert _counted(services.ballot_tally(actor=officer, ballot=ballot)) == expected
    assert json.loads(expected[items[0].pk])["invalid_sheets"] == 1


def test_written_in_names_with_backslashes_tabs_and_quotes_are_stored_as_cast(officer, tree, post) -> None:
    """The count's COPY (PostgreSQL) escapes what its text format needs: the sheets read back as cast."""
    ballot = services.ballot_create(
        actor=officer, kind=BallotKind.RECOMMENDATION, title="推荐", unit=tree.finance, max_choices=2
    )
    item = services.ballot_item_add(actor=officer, ballot=ballot, post=post, reference=["甲", "乙"])
    [code] = services.credentials_issue(actor=officer, ballot=ballot, category="中层\\干部\t一", count=1)
    shares = services.ballot_open(actor=officer, ballot=ballot)
    odd = 'A\\B\t"C\\n\nD'
    services.ballot_cast_with_credential(
        code=code, ballot=ballot, content={item.pk: {"choices": ["甲", odd]}}
    )
    services.ballot_close(actor=officer, ballot=ballot)
    services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    [(category, content)] = Sheet.objects.filter(ballot=ballot).values_list("category", "content")
    assert category == "中层\\干部\t一"
    assert content == {str(item.pk): {"choices": ["甲", odd]}}
