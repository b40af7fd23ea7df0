"""Helpers shared by the organisation-page tests (no tests here): posts, documents, page parsing."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ganbu.registry import services
from ganbu.registry.choices import DocumentItemKind, PostKind, Rank
from ganbu.registry.services import ItemInput

DAY = dt.date(2024, 3, 1)


def make_post(
    actor: Any,
    unit: Any,
    title: str,
    kind: str = PostKind.DEPUTY,
    rank: str = Rank.DEPUTY_SECTION,
    **extra: Any,
) -> Any:
    """A post created through the service, as the pages create them."""
    return services.post_create(
        actor=actor,
        data={"unit": unit, "title": title, "kind": kind, "rank": rank, "is_leadership": True, **extra},
    )


def appoint(actor: Any, number: str, pairs: list[tuple[Any, Any]], on: dt.date = DAY) -> Any:
    """Issue a document appointing each (cadre, post) pair, so that tenures exist."""
    items = [ItemInput(kind=DocumentItemKind.APPOINT, cadre=c, post=p, effective_on=on) for c, p in pairs]
    return services.document_issue(
        actor=actor,
        number=number,
        title=f"关于{number}的任职通知",
        issued_on=on,
        issuing_body="中共示例县委",
        items=items,
    )


def remove(actor: Any, number: str, cadre: Any, post: Any, on: dt.date) -> Any:
    """Issue a document removing a cadre from a post."""
    items = [ItemInput(kind=DocumentItemKind.REMOVE, cadre=cadre, post=post, effective_on=on)]
    return services.document_issue(
        actor=actor,
        number=number,
        title=f"关于{number}的免职通知",
        issued_on=on,
        issuing_body="中共示例县委",
        items=items,
    )


def count_queries(client: Any, url: str) -> tuple[int, Any]:
    """How many queries one GET of ``url`` runs, and the response."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return len(ctx.captured_queries), response


def text_of(response: Any) -> str:
    """The page as text with tags removed and whitespace collapsed, for asserting on what users read."""
    html = response.content.decode()
    html = re.sub(r"<script.*?</script>|<template.*?</template>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def quota_row(response: Any, kind: str) -> dict[str, str]:
    """The quota table row of one post kind: its CSS class and the quota/filled/vacancies cell texts."""
    html = response.content.decode()
    match = re.search(rf'<tr class="([^"]*)" data-kind="{kind}">(.*?)</tr>', html, flags=re.S)
    assert match, f"no quota row for {kind}"
    cells = dict(re.findall(r'data-col="(\w+)">(.*?)</td>', match.group(2), flags=re.S))
    row = {k: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", v)).strip() for k, v in cells.items()}
    row["class"] = match.group(1).strip()
    return row
