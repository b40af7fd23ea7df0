"""Plain helpers for exit tests (used by the exits, web and API tests alike): posts, leaders
appointed through the registry service, decisions, a snapshot of everything an exit may write, and a
counted evaluation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import count
from typing import Any

from ganbu.core.models import AuditEvent
from ganbu.exits.models import ExitRecord, IncompetenceCase, Proceeding
from ganbu.exits.services import Decision
from ganbu.registry import services as registry
from ganbu.registry.choices import DocumentItemKind, PostKind, Rank
from ganbu.registry.models import AppointmentDocument, Cadre, DocumentItem, RankRecord, Tenure
from ganbu.registry.services import ItemInput
from ganbu.registry.tests.factories import CadreFactory, PostFactory
from ganbu.voting import services as voting

APPOINTED = dt.date(2015, 3, 1)
_numbers = count(1)


@dataclass
class Posts:
    """Posts of 县财政局 (head, deputy, a non-leadership post) and of the forestry station."""

    head: Any
    deputy: Any
    clerk: Any
    station_head: Any


def make_posts(tree: Any) -> Posts:
    """The four posts of :class:`Posts`."""
    return Posts(
        head=PostFactory(unit=tree.finance, title="局长", kind=PostKind.HEAD, rank=Rank.SECTION),
        deputy=PostFactory(unit=tree.finance, title="副局长"),
        clerk=PostFactory(
            unit=tree.finance,
            title="四级调研员",
            kind=PostKind.NON_LEADERSHIP,
            rank=Rank.DEPUTY_SECTION,
            is_leadership=False,
            counts_toward_quota=False,
        ),
        station_head=PostFactory(
            unit=tree.station, title="站长", kind=PostKind.MIDDLE_HEAD, rank=Rank.MIDDLE_HEAD
        ),
    )


def appoint(officer: Any, cadre: Any, post: Any, *, rank: str | None = None, on: dt.date = APPOINTED) -> None:
    """Appoint ``cadre`` to ``post`` with its rank (the post's unless given), as a document would."""
    registry.document_issue(
        actor=officer,
        number=f"示委〔2015〕{next(_numbers)}号",
        title="任职通知",
        issued_on=on,
        issuing_body="中共示例县委",
        items=[
            ItemInput(kind=DocumentItemKind.APPOINT, cadre=cadre, post=post, effective_on=on),
            ItemInput(kind=DocumentItemKind.RANK, cadre=cadre, rank=rank or post.rank, effective_on=on),
        ],
    )
    cadre.refresh_from_db()


def leader(officer: Any, post: Any, birth: dt.date, gender: str = "M", **fields: Any) -> Cadre:
    """A cadre of ``post``'s unit appointed to it in 2015."""
    cadre = CadreFactory(unit=post.unit, birth_date=birth, gender=gender, **fields)
    appoint(officer, cadre, post)
    return cadre


def decision(number: str, on: dt.date, *, effective: dt.date | None = None, **extra: Any) -> Decision:
    """A decision taken and in force on ``on`` (unless ``effective``) with document ``number``."""
    return Decision(
        decided_on=on,
        effective_on=effective or on,
        reason=extra.pop("reason", "按规定办理"),
        document_number=number,
        **extra,
    )


def written() -> dict[str, Any]:
    """Everything an exit service may write, as comparable plain data."""
    return {
        "exits": list(ExitRecord.objects.order_by("id").values()),
        "proceedings": list(Proceeding.objects.order_by("id").values()),
        "cases": list(IncompetenceCase.objects.order_by("id").values()),
        "documents": AppointmentDocument.objects.count(),
        "items": DocumentItem.objects.count(),
        "tenures": list(Tenure.objects.order_by("id").values()),
        "ranks": list(RankRecord.objects.order_by("id").values()),
        "cadres": list(Cadre.objects.order_by("id").values()),
        "audit": list(AuditEvent.objects.order_by("seq").values_list("seq", "hash")),
    }


def run_evaluation(officer: Any, ballot: Any, item: Any, grades: list[str]) -> Any:
    """Cast ``grades`` on an evaluation item, close and count: the item's ``BallotResult``."""
    codes = voting.credentials_issue(actor=officer, ballot=ballot, category="一般干部", count=len(grades))
    shares = voting.ballot_open(actor=officer, ballot=ballot)
    for code, grade in zip(codes, grades, strict=True):
        voting.ballot_cast_with_credential(code=code, ballot=ballot, content={item.pk: {"grade": grade}})
    voting.ballot_close(actor=officer, ballot=ballot)
    [result] = voting.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    return result
