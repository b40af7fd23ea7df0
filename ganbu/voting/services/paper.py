"""Paper ballots: counts entered by the 计票人 and confirmed by a 监票人, recommendation papers one by one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from ganbu.accounts.models import User
from ganbu.core.audit import audit_record
from ganbu.rules.tally import (
    CommitteeChoice,
    Grade,
    check_paper_return,
)

from ..choices import BallotKind, BallotStatus, Channel
from ..models import (
    Ballot,
    BallotItem,
    PaperCount,
    Sheet,
)
from .common import (
    MSG_CONTENT,
    MSG_ITEM_OTHER_BALLOT,
    MSG_PAPER_CONFIRMED,
    MSG_PAPER_NOT_ENTERED,
    MSG_SAME_CONFIRMER,
    MSG_WRONG_CHANNEL,
    _fail,
    _locked,
    _reasons_json,
    _require_manage,
    _require_status,
    _require_witness,
)


def _paper_keys(ballot: Ballot, item: BallotItem) -> set[str]:
    """The positions a paper count may name for this ballot kind."""
    if ballot.kind == BallotKind.COMMITTEE:
        return set(CommitteeChoice._value2member_map_)
    if ballot.kind == BallotKind.EVALUATION:
        return set(Grade._value2member_map_)
    return set(item.reference)


@transaction.atomic(durable=True)
def paper_counts_enter(
    *,
    actor: User,
    ballot: Ballot,
    item: BallotItem,
    counts: Mapping[str, int],
    issued: int,
    returned: int,
) -> PaperCount:
    """Enter (or re-enter before confirmation) one item's counts from paper ballots (计票).

    ``counts`` maps each position (同意/不同意/缓议 or a grade) to a number of papers; papers
    returned but not counted are blank or spoilt. Recommendation papers are entered one by one
    as sheets (``paper_sheet_enter``), because a count per name loses how many papers were valid;
    for them ``counts`` is empty and the sheets entered for the item must number ``returned``.
    """
    ballot = _locked(ballot)
    _require_manage(actor, ballot.unit)
    if ballot.channel != Channel.PAPER:
        raise _fail(MSG_WRONG_CHANNEL.format(channel=Channel(ballot.channel).label))
    _require_status(ballot, BallotStatus.CLOSED, "录入计票结果")
    if item.ballot_id != ballot.pk:
        raise _fail(MSG_ITEM_OTHER_BALLOT)
    if issued < 0 or returned < 0:
        raise _fail("发出票数和收回票数不能为负数。")
    if ballot.kind == BallotKind.RECOMMENDATION:
        if counts:
            raise _fail("民主推荐的纸质推荐票须逐张录入，不能只录入合计数。", "counts")
        entered = Sheet.objects.filter(ballot=ballot, content__has_key=str(item.pk)).count()
        if entered != returned:
            raise _fail(
                f"该事项已逐张录入推荐票 {entered} 张，与收回票数 {returned} 张不符；"
                "空白票和废票也须逐张录入。",
                "returned",
            )
    keys = _paper_keys(ballot, item)
    if not set(counts) <= keys or any(not isinstance(n, int) or n < 0 for n in counts.values()):
        raise _fail("计票结果格式不正确。", "counts")
    clean = {k: int(counts.get(k, 0)) for k in sorted(keys)}
    if sum(clean.values()) > returned:
        raise _fail(f"计票合计 {sum(clean.values())} 张，多于收回票数 {returned} 张。", "counts")
    existing = PaperCount.objects.filter(ballot=ballot, item=item).first()
    if existing is not None and existing.confirmed_by_id is not None:
        raise _fail(MSG_PAPER_CONFIRMED)
    if existing is None:
        paper = PaperCount.objects.create(
            ballot=ballot, item=item, counts=clean, issued=issued, returned=returned, entered_by=actor
        )
    else:
        paper = existing
        paper.counts, paper.issued, paper.returned, paper.entered_by = clean, issued, returned, actor
        paper.save(update_fields=["counts", "issued", "returned", "entered_by"])
    audit_record(
        actor=actor,
        event_type="voting.paper_entered",
        target=ballot,
        after={"item_id": item.pk, "issued": issued, "returned": returned, "counted": sum(clean.values())},
        unit_id=ballot.unit_id,
    )
    return paper


def _paper_recommendation_content(ballot: Ballot, raw: Any) -> dict[str, Any]:
    """One paper's choices for one post, as written: too many names is kept, the count spoils it."""
    if not isinstance(raw, Mapping):
        raise _fail(MSG_CONTENT)
    choices = raw.get("choices")
    if not isinstance(choices, list | tuple) or not all(isinstance(c, str) for c in choices):
        raise _fail(MSG_CONTENT)
    cleaned = [c.strip() for c in choices if c.strip()]
    if len(set(cleaned)) != len(cleaned):
        raise _fail("同一张推荐票上同一人只能写一次；重复书写的请按原票录入一次。")
    return {"choices": cleaned}


@transaction.atomic(durable=True)
def paper_sheet_enter(*, actor: User, ballot: Ballot, category: str, content: Mapping[Any, Any]) -> int:
    """Enter one paper recommendation ballot (every post on it) as one sheet; returns the papers entered.

    The 计票人 enters each returned paper as written, blank and spoilt ones included (the count
    voids a paper naming more people than allowed). Paper sheets carry no receipt. Nothing can be
    entered once any item's count has been confirmed by the 监票人.
    """
    ballot = _locked(ballot)
    _require_manage(actor, ballot.unit)
    if ballot.channel != Channel.PAPER or ballot.kind != BallotKind.RECOMMENDATION:
        raise _fail("只有纸质民主推荐需要逐张录入推荐票。")
    _require_status(ballot, BallotStatus.CLOSED, "录入推荐票")
    category = category.strip()
    if not category:
        raise _fail("请填写投票人类别。", "category")
    if PaperCount.objects.filter(ballot=ballot, confirmed_by__isnull=False).exists():
        raise _fail(MSG_PAPER_CONFIRMED)
    items = list(ballot.items.all())
    answers = {str(k): v for k, v in content.items()}
    if set(answers) != {str(i.pk) for i in items}:
        raise _fail(MSG_CONTENT)
    Sheet.objects.create(
        ballot=ballot,
        category=category,
        content={str(i.pk): _paper_recommendation_content(ballot, answers[str(i.pk)]) for i in items},
        receipt="",
    )
    entered = Sheet.objects.filter(ballot=ballot, content__has_key=str(items[0].pk)).count() if items else 0
    audit_record(
        actor=actor,
        event_type="voting.paper_sheet_entered",
        target=ballot,
        after={"papers_entered": entered},
        unit_id=ballot.unit_id,
    )
    return entered


@transaction.atomic(durable=True)
def paper_sheets_clear(*, actor: User, ballot: Ballot) -> int:
    """Discard every paper recommendation sheet entered, to enter the papers again (before confirmation)."""
    ballot = _locked(ballot)
    _require_manage(actor, ballot.unit)
    if ballot.channel != Channel.PAPER or ballot.kind != BallotKind.RECOMMENDATION:
        raise _fail("只有纸质民主推荐需要逐张录入推荐票。")
    _require_status(ballot, BallotStatus.CLOSED, "重新录入推荐票")
    if PaperCount.objects.filter(ballot=ballot, confirmed_by__isnull=False).exists():
        raise _fail(MSG_PAPER_CONFIRMED)
    removed, _ = Sheet.objects.filter(ballot=ballot).delete()
    PaperCount.objects.filter(ballot=ballot).delete()
    audit_record(
        actor=actor,
        event_type="voting.paper_sheets_cleared",
        target=ballot,
        after={"sheets_removed": removed},
        unit_id=ballot.unit_id,
    )
    return removed


@transaction.atomic(durable=True)
def paper_counts_confirm(*, actor: User, ballot: Ballot, item: BallotItem) -> PaperCount:
    """A second staff member (监票) confirms entered counts; more papers returned than issued voids them."""
    ballot = _locked(ballot)
    _require_witness(actor, ballot.unit)
    _require_status(ballot, BallotStatus.CLOSED, "确认计票结果")
    paper = PaperCount.objects.filter(ballot=ballot, item=item).first()
    if paper is None:
        raise _fail(MSG_PAPER_NOT_ENTERED)
    if paper.confirmed_by_id is not None:
        raise _fail(MSG_PAPER_CONFIRMED)
    if paper.entered_by_id == actor.pk:
        raise _fail(MSG_SAME_CONFIRMER)
    verdict = check_paper_return(issued=paper.issued, returned=paper.returned)
    paper.confirmed_by = actor
    paper.void = not verdict.ok
    paper.reasons = _reasons_json(verdict.reasons)
    paper.save(update_fields=["confirmed_by", "void", "reasons"])
    audit_record(
        actor=actor,
        event_type="voting.paper_confirmed",
        target=ballot,
        after={"item_id": item.pk, "void": paper.void},
        unit_id=ballot.unit_id,
    )
    return paper
