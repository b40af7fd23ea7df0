"""Ballot secrecy as a database superuser sees it: the raw heap pages, read with ``pageinspect``.

While a ballot is open, no page of any voting table (nor of the audit trail) holds a choice or a
receipt: the casts are sealed. After the count no sealed sheet survives, not even as a dead row
version; no participation, credential or sheet row version is dead; and the opened sheets were
written by the count's own transaction, which wrote no participation or credential — so no
transaction id links a voter or a code to a choice (docs/decisions/0011-sealed-ballots.md).

PostgreSQL only, and not inside a test transaction: VACUUM, which the count runs after its own
transaction commits, cannot run in one. The test database user is the ``postgres`` superuser,
which ``pageinspect`` requires.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from ganbu.core.models import AuditEvent
from ganbu.registry.tests.factories import CadreFactory
from ganbu.voting import services
from ganbu.voting.choices import BallotKind
from ganbu.voting.models import Ballot, SealedSheet

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="pageinspect, transaction ids and VACUUM are PostgreSQL's; SQLite has no such heap",
    ),
]

LP_NORMAL = 1  # a line pointer to a stored tuple (live or dead); 0 unused, 2 redirect, 3 dead stub


def _sql(query: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(query, params or [])
        return list(cursor.fetchall())


def _relations() -> list[str]:
    """Every table, TOAST table and index of the voting app and of the audit trail."""
    rows = _sql(
        """
        SELECT c.oid::regclass::text FROM pg_class c
        WHERE (c.relname LIKE 'voting\\_%%' OR c.relname LIKE 'core\\_audit%%') AND c.relkind IN ('r', 'i')
        UNION
        SELECT t.reltoastrelid::regclass::text FROM pg_class t
        WHERE (t.relname LIKE 'voting\\_%%' OR t.relname LIKE 'core\\_audit%%') AND t.reltoastrelid <> 0
        """
    )
    return [name for (name,) in rows]


def _raw_pages(relation: str) -> bytes:
    """All pages of one relation as stored (dead versions and free space included)."""
    (blocks,) = _sql(
        "SELECT pg_relation_size(%s::regclass) / current_setting('block_size')::int", [relation]
    )[0]
    return b"".join(
        bytes(page)
        for (page,) in _sql(
            "SELECT get_raw_page(%s, n) FROM generate_series(0, %s - 1) AS n", [relation, blocks]
        )
    )


def _tuples(table: str) -> list[dict[str, Any]]:
    """``heap_page_items`` of every page of a table: line pointer, length, xmin, xmax of each tuple."""
    (blocks,) = _sql("SELECT pg_relation_size(%s::regclass) / current_setting('block_size')::int", [table])[0]
    rows = _sql(
        """
        SELECT n, i.lp, i.lp_flags, i.lp_len, i.t_xmin::text, i.t_xmax::text
        FROM generate_series(0, %s - 1) AS n, heap_page_items(get_raw_page(%s, n)) AS i
        """,
        [blocks, table],
    )
    keys = ("block", "lp", "flags", "length", "xmin", "xmax")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def _stored(table: str) -> list[dict[str, Any]]:
    """The tuples a table really stores (live or dead), leaving out unused and redirect pointers."""
    return [t for t in _tuples(table) if t["flags"] == LP_NORMAL]


def test_heap_pages_hold_no_choice_while_open_and_no_link_after_the_count(officer, make_committee, tree):
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
    committee, [item], voters = make_committee(members=3, attended=3)
    committee_shares = services.ballot_open(actor=officer, ballot=committee)
    evaluation = services.ballot_create(
        actor=officer, kind=BallotKind.EVALUATION, title="年度民主测评", unit=tree.finance
    )
    graded = services.ballot_item_add(actor=officer, ballot=evaluation, cadre=CadreFactory(unit=tree.finance))
    codes = services.credentials_issue(actor=officer, ballot=evaluation, category="一般干部", count=3)
    evaluation_shares = services.ballot_open(actor=officer, ballot=evaluation)

    receipts = [
        services.committee_cast(actor=voter.user, ballot=committee, item=item, choice=choice)
        for voter, choice in zip(voters, ["disagree", "defer", "disagree"], strict=True)
    ]
    receipts += [
        services.ballot_cast_with_credential(
            code=code, ballot=evaluation, content={graded.pk: {"grade": grade}}
        )
        for code, grade in zip(codes, ["incompetent", "excellent", "incompetent"], strict=True)
    ]

    # ---- while open: nothing readable anywhere, every sealed sheet of a ballot the same length
    secrets_ = [*receipts, "disagree", "defer", "incompetent", "excellent"]
    relations = _relations()
    assert {"voting_sealedsheet", "voting_participation", "voting_credential", "voting_sheet"} <= set(
        relations
    )
    for relation in relations:
        pages = _raw_pages(relation)
        for secret in secrets_:
            assert secret.encode() not in pages, f"{secret!r} readable in {relation} while the ballot is open"
    sealed = _stored("voting_sealedsheet")
    assert len(sealed) == 6
    lengths = {
        ballot_id: {
            len(bytes(b))
            for b in SealedSheet.objects.filter(ballot_id=ballot_id).values_list("sealed", flat=True)
        }
        for ballot_id in (committee.pk, evaluation.pk)
    }
    assert all(len(v) == 1 for v in lengths.values()), lengths

    # ---- the count: the 监票人's shares, then the vacuum the count itself runs
    for ballot, shares in ((committee, committee_shares), (evaluation, evaluation_shares)):
        services.ballot_close(actor=officer, ballot=ballot)
        services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares[:2])

    # No sealed sheet is stored any more, not even as a dead version.
    assert _stored("voting_sealedsheet") == []
    # No dead version of who voted or what was voted: every stored tuple is live and unchanged.
    who = _stored("voting_participation") + _stored("voting_credential")
    assert len(_stored("voting_participation")) == 3 and len(_stored("voting_credential")) == 3
    sheets = _stored("voting_sheet")
    assert len(sheets) == 6
    for row in who + sheets:
        assert row["xmax"] == "0", f"a dead or updated row version remains: {row}"
    # The opened sheets were written by the counts' transactions, which wrote no one's vote.
    who_xids = {row["xmin"] for row in who}
    assert {row["xmin"] for row in sheets}.isdisjoint(who_xids)
    assert len({row["xmin"] for row in sheets}) == 2  # one count transaction per ballot
    # The receipts are where they are published, and in no table of who voted.
    for relation in ("voting_participation", "voting_credential", "voting_voter", "voting_sealedsheet"):
        pages = _raw_pages(relation)
        for receipt in receipts:
            assert receipt.encode() not in pages, f"receipt readable in {relation} after the count"
    for ballot in (committee, evaluation):
        assert Ballot.objects.get(pk=ballot.pk).purged_at is not None
        purge = AuditEvent.objects.get(event_type="voting.dead_versions_purged", target_id=str(ballot.pk))
        assert purge.after == {"purged": True, "tables": 4, "tables_skipped": 0, "dead_remaining": 0}
