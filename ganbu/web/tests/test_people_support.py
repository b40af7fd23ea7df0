"""Helpers shared by the people-page tests (no tests here): ID numbers, records, page parsing."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ganbu.core.models import AuditEvent
from ganbu.registry import services
from ganbu.registry.choices import DocumentItemKind, PostKind, Rank
from ganbu.registry.models import (
    Assessment,
    Cadre,
    CorrectionRequest,
    FamilyMember,
    ReserveMembership,
    ResumeEntry,
    RewardSanction,
)
from ganbu.registry.services import ItemInput
from ganbu.rules.idcard import check_char

DAY = dt.date(2020, 3, 1)


def id_number(birth: dt.date, gender: str = "M", region: str = "320102") -> str:
    """A valid 18-character ID number for a birth date and gender (17th digit odd = male)."""
    for seq in range(1, 1000):
        if (seq % 2 == 1) == (gender == "M"):
            first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
            return first17 + check_char(first17)
    raise AssertionError("unreachable")


def wrong_check(number: str) -> str:
    """The same number with a wrong check character."""
    wrong = "1" if number[-1] != "1" else "2"
    return number[:-1] + wrong


def make_cadre(actor: Any, unit: Any, name: str, **fields: Any) -> Cadre:
    """A cadre registered through the service, as the pages register them."""
    data: dict[str, Any] = {
        "name": name,
        "gender": "M",
        "birth_date": dt.date(1980, 5, 17),
        "native_place": "示例县",
    }
    data.update(fields)
    return services.cadre_create(actor=actor, data={**data, "unit": unit})


def appoint(
    actor: Any, cadre: Cadre, unit: Any, title: str = "副局长", number: str = "示委〔2020〕1号"
) -> Any:
    """Create a post in ``unit`` and appoint ``cadre`` to it by a document dated ``DAY``."""
    post = services.post_create(
        actor=actor,
        data={
            "unit": unit,
            "title": title,
            "kind": PostKind.DEPUTY,
            "rank": Rank.DEPUTY_SECTION,
            "is_leadership": True,
        },
    )
    items = [
        ItemInput(kind=DocumentItemKind.APPOINT, cadre=cadre, post=post, effective_on=DAY),
        ItemInput(kind=DocumentItemKind.RANK, cadre=cadre, rank=Rank.DEPUTY_SECTION, effective_on=DAY),
    ]
    services.document_issue(
        actor=actor, number=number, title="任职通知", issued_on=DAY, issuing_body="中共示例县委", items=items
    )
    return post


def written() -> dict[str, Any]:
    """Counts of every table the people pages may write, plus the audit chain head."""
    return {
        "cadres": list(Cadre.objects.order_by("id").values()),
        "family": FamilyMember.objects.count(),
        "resume": ResumeEntry.objects.count(),
        "assessments": Assessment.objects.count(),
        "rewards": RewardSanction.objects.count(),
        "reserve": ReserveMembership.objects.count(),
        "corrections": CorrectionRequest.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


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


def listed_ids(response: Any) -> list[int]:
    """The cadre ids in the list table, in page order."""
    return [int(pk) for pk in re.findall(r'<tr data-cadre="(\d+)">', response.content.decode())]


def field_errors(response: Any, field: str) -> list[str]:
    """The error messages rendered under one form field."""
    form = response.context["form"]
    return list(form.errors.get(field, []))
