"""Test helpers: tenures as the registry keeps them, each from a document item."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from ganbu.registry.models import AppointmentDocument, DocumentItem, Tenure

_numbers = itertools.count(1)


def tenure(cadre: Any, post: Any, start: dt.date, end: dt.date | None = None) -> Tenure:
    """A tenure of ``post`` over [start, end) with its appointment item (and removal item if ended)."""
    document = AppointmentDocument.objects.create(
        number=f"测任〔{start.year}〕{next(_numbers)}号", title="任职", issued_on=start
    )
    item = DocumentItem.objects.create(
        document=document, kind="appoint", cadre=cadre, post=post, effective_on=start
    )
    end_item = None
    if end is not None:
        end_item = DocumentItem.objects.create(
            document=document, kind="remove", cadre=cadre, post=post, effective_on=end, sort_order=1
        )
    return Tenure.objects.create(
        cadre=cadre, post=post, start_date=start, end_date=end, start_item=item, end_item=end_item
    )
