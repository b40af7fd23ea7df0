"""Migration 0007 merges the per-item sheets of a cast into one row keyed by item (issue 13), both databases.

From the state before (voting 0006: a sheet names its item), rows are written with the historical
model as the old count and the old paper entry left them: two casts of two items each sharing
their receipt, a paper ballot's rows without receipt, and a receipt drawn twice answering the
same item. After the migrations every cast is one row; the paper rows and the doubled receipt
stay apart, and the count reads them as before. Migrating back splits them again.
"""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ganbu.registry.tests.factories import CadreFactory
from ganbu.voting import services
from ganbu.voting.choices import BallotKind
from ganbu.voting.models import Sheet
from ganbu.voting.services.counting import _stored_counts

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("voting", "0006_sheet_item_nullable")]


def _migrate(targets):
    """Migrate to ``targets``; the historical models before the merge."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(BEFORE[0]).apps


def test_per_item_sheets_of_a_cast_become_one_row_and_back(officer, tree) -> None:
    ballot = services.ballot_create(
        actor=officer, kind=BallotKind.EVALUATION, title="测评", unit=tree.finance
    )
    one, two = (
        services.ballot_item_add(actor=officer, ballot=ballot, cadre=CadreFactory(unit=tree.finance))
        for _ in range(2)
    )
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = _migrate(BEFORE)
    OldSheet = old.get_model("voting", "Sheet")
    rows = [
        (one, "中层干部", "competent", "RA"),
        (two, "中层干部", "basic", "RA"),
        (one, "一般干部", "excellent", "RB"),
        (two, "一般干部", "competent", "RB"),
        (one, "一般干部", "competent", ""),
        (two, "一般干部", "competent", ""),
        (one, "中层干部", "incompetent", "RC"),
        (one, "中层干部", "basic", "RC"),
    ]
    OldSheet.objects.bulk_create(
        [
            OldSheet(ballot_id=ballot.pk, item_id=item.pk, category=c, content={"grade": g}, receipt=r)
            for item, c, g, r in rows
        ]
    )
    _migrate(leaves)

    a, b = str(one.pk), str(two.pk)
    stored = Counter(
        (receipt, category, tuple((k, v["grade"]) for k, v in content.items()))
        for receipt, category, content in Sheet.objects.values_list("receipt", "category", "content")
    )
    assert stored == Counter(
        {
            ("RA", "中层干部", ((a, "competent"), (b, "basic"))): 1,
            ("RB", "一般干部", ((a, "excellent"), (b, "competent"))): 1,
            ("", "一般干部", ((a, "competent"),)): 1,
            ("", "一般干部", ((b, "competent"),)): 1,
            ("RC", "中层干部", ((a, "incompetent"),)): 1,
            ("RC", "中层干部", ((a, "basic"),)): 1,
        }
    )
    counts, sheets = _stored_counts(ballot, [one, two])
    assert sheets == 6
    assert counts[one.pk] == Counter(
        {
            ("中层干部", "competent"): 1,
            ("一般干部", "excellent"): 1,
            ("一般干部", "competent"): 1,
            ("中层干部", "incompetent"): 1,
            ("中层干部", "basic"): 1,
        }
    )
    assert counts[two.pk] == Counter({("中层干部", "basic"): 1, ("一般干部", "competent"): 2})

    _migrate(BEFORE)
    back = old.get_model("voting", "Sheet").objects.values_list("item_id", "category", "content", "receipt")
    assert Counter((i, c, content["grade"], r) for i, c, content, r in back) == Counter(
        (item.pk, c, g, r) for item, c, g, r in rows
    )
    _migrate(leaves)
    assert Sheet.objects.count() == 6
