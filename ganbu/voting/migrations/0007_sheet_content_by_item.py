"""One ``Sheet`` row per cast: a cast's per-item rows merged into one, its content keyed by item (issue 13).

Until now a sheet held one item's answer and named the item; from now on it holds
``{item id: answer}`` for every item the cast answered (docs/decisions/0011-sealed-ballots.md, step 4).
Rows of one cast share their receipt (and category), so they are merged on that; a receipt that
would answer an item twice (two casts drawing the same receipt: 80 random bits, in theory only)
makes two rows. Paper recommendation sheets carry no receipt and nothing else ties the rows of one
paper together, so each stays a row answering its one item — the count reads either shape.

The merged rows get new random keys and are written in an order drawn by ``secrets``, never
following the old rows. Going back splits every row into one per item again.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.db import migrations

BATCH = 2000


def _ballots(Sheet: Any, db: str) -> list[int]:
    return sorted(set(Sheet.objects.using(db).order_by().values_list("ballot_id", flat=True).distinct()))


def merge_per_cast(apps: Any, schema_editor: Any) -> None:
    """Every ballot's per-item rows merged into one row per cast (per receipt and category)."""
    Sheet = apps.get_model("voting", "Sheet")
    db = schema_editor.connection.alias
    for ballot_id in _ballots(Sheet, db):
        rows = Sheet.objects.using(db).filter(ballot_id=ballot_id, item__isnull=False)
        merged: dict[tuple[str, str], list[dict[str, Any]]] = {}
        single: list[tuple[str, str, dict[str, Any]]] = []
        for item_id, category, content, receipt in rows.values_list(
            "item_id", "category", "content", "receipt"
        ):
            if not receipt:
                single.append((category, receipt, {str(item_id): content}))
                continue
            casts = merged.setdefault((category, receipt), [])
            home = next((c for c in casts if str(item_id) not in c), None)
            if home is None:
                home = {}
                casts.append(home)
            home[str(item_id)] = content
        new = single + [(category, receipt, c) for (category, receipt), cs in merged.items() for c in cs]
        if not new:
            continue
        secrets.SystemRandom().shuffle(new)
        rows.delete()
        Sheet.objects.using(db).bulk_create(
            [
                Sheet(
                    id=uuid.uuid4(),
                    ballot_id=ballot_id,
                    category=category,
                    content={k: content[k] for k in sorted(content, key=int)},
                    receipt=receipt,
                )
                for category, receipt, content in new
            ],
            batch_size=BATCH,
        )


def split_per_item(apps: Any, schema_editor: Any) -> None:
    """Back to one row per cast and item, each naming its item."""
    Sheet = apps.get_model("voting", "Sheet")
    db = schema_editor.connection.alias
    for ballot_id in _ballots(Sheet, db):
        rows = Sheet.objects.using(db).filter(ballot_id=ballot_id)
        new = [
            (int(item_id), category, answer, receipt)
            for category, content, receipt in rows.values_list("category", "content", "receipt")
            for item_id, answer in content.items()
        ]
        secrets.SystemRandom().shuffle(new)
        rows.delete()
        Sheet.objects.using(db).bulk_create(
            [
                Sheet(
                    id=uuid.uuid4(),
                    ballot_id=ballot_id,
                    item_id=item_id,
                    category=category,
                    content=answer,
                    receipt=receipt,
                )
                for item_id, category, answer, receipt in new
            ],
            batch_size=BATCH,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("voting", "0006_sheet_item_nullable"),
    ]

    operations = [migrations.RunPython(merge_per_cast, split_per_item)]
