"""Close, count and publish; the count opens the sealed sheets with the 监票人's key shares."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from django.db import transaction

from ganbu.accounts.models import User
from ganbu.core.errors import ServiceError
from ganbu.rules.tally import (
    CommitteeChoice,
    EvaluationSheet,
    Grade,
    RecommendationSheet,
)

from .. import sealing
from ..choices import BallotKind, BallotStatus, Channel
from ..models import (
    Ballot,
    BallotItem,
    BallotResult,
    PaperCount,
    SealedSheet,
    Sheet,
)
from .casting import _item_content
from .common import (
    MSG_KEY_MISMATCH,
    MSG_PAPER_MISSING,
    MSG_SEALED_COUNT,
    MSG_SEALED_DAMAGED,
    MSG_SHARE_CHECK,
    MSG_SHARE_DUPLICATE,
    MSG_SHARE_FORMAT,
    MSG_SHARES_NEEDED,
    _fail,
    _locked,
    _require_manage,
    _require_status,
    _transition,
)
from .purge import _purge_record, dead_versions_vacuum
from .results import (
    _apply_meeting_checks,
    _committee_result,
    _evaluation_result,
    _paper_result,
    _recommendation_result,
)

# ---------------------------------------------------------------- close, paper counts, tally, publish


@transaction.atomic(durable=True)
def ballot_close(*, actor: User, ballot: Ballot) -> Ballot:
    """Close the ballot. Casts that committed before keep counting; none is accepted after.

    The row lock waits for casts holding it; casts that come later see ``closed`` and fail. The
    sealed sheets stay sealed until the count, where the 监票人 enter their key shares.
    """
    ballot = _locked(ballot)
    _require_manage(actor, ballot.unit)
    _require_status(ballot, BallotStatus.OPEN, "结束投票")
    _transition(
        actor=actor,
        ballot=ballot,
        to=BallotStatus.CLOSED,
        after={
            "credentials_issued": ballot.credentials.count(),
            "credentials_used": ballot.credentials.filter(used=True).count(),
            "participations": ballot.participations.count(),
            "sheets": ballot.sealed_sheets.count() + ballot.sheets.count(),
        },
    )
    return ballot


def _key_from_shares(ballot: Ballot, key_shares: Sequence[str]) -> Any:
    """The ballot's private key rebuilt in memory from the 监票人's shares, or an error naming the share.

    Blank entries are skipped (the count page has a box per 监票人; some may stay empty).
    """
    parsed: list[tuple[int, bytes]] = []
    for pos, text in enumerate(key_shares, start=1):
        if not text.strip():
            continue
        try:
            index, value = sealing.parse_share(ballot.pk, text)
        except sealing.ShareError as exc:
            message = MSG_SHARE_CHECK if exc.reason == "check" else MSG_SHARE_FORMAT
            raise _fail(message.format(pos=pos), "key_shares") from None
        if any(index == seen for seen, _ in parsed):
            raise _fail(MSG_SHARE_DUPLICATE.format(pos=pos, index=index), "key_shares")
        parsed.append((index, value))
    if len(parsed) < ballot.key_threshold:
        raise _fail(MSG_SHARES_NEEDED.format(k=ballot.key_threshold, n=len(parsed)), "key_shares")
    try:
        return sealing.recover_private_key(ballot.pk, ballot.public_key, parsed)
    except (sealing.KeyMismatch, sealing.ShareError):
        raise _fail(MSG_KEY_MISMATCH, "key_shares") from None


def _opened_sheets(ballot: Ballot, items: list[BallotItem], key_shares: Sequence[str]) -> list[Sheet]:
    """Every sealed sheet of the ballot opened in memory, as unsaved ``Sheet`` rows in random order.

    Refuses to count (nothing written) when the shares do not rebuild the key, when the number of
    sealed sheets differs from the used codes or the members' participations, or when any sealed
    sheet does not open to a valid answer for this ballot — a sheet slipped in or damaged in the
    database must not be counted silently.
    """
    key = _key_from_shares(ballot, key_shares)
    sealed = list(SealedSheet.objects.filter(ballot=ballot).values_list("sealed", flat=True))
    if ballot.kind == BallotKind.COMMITTEE:
        expected, what = ballot.participations.count(), "成员表决记录数"
    else:
        expected, what = ballot.credentials.filter(used=True).count(), "已使用的投票码数"
    if len(sealed) != expected:
        raise _fail(MSG_SEALED_COUNT.format(sheets=len(sealed), what=what, expected=expected))
    by_id = {str(item.pk): item for item in items}
    sheets: list[Sheet] = []
    damaged = 0
    for blob in sealed:
        try:
            payload = sealing.unseal(key, bytes(blob))
            answers, category, receipt = payload["items"], payload["category"], payload["receipt"]
            if not isinstance(answers, dict) or not isinstance(category, str) or not isinstance(receipt, str):
                raise sealing.SealError("malformed payload")
            wanted = 1 if ballot.kind == BallotKind.COMMITTEE else len(by_id)
            if len(answers) != wanted or not set(answers) <= set(by_id):
                raise sealing.SealError("payload answers other items")
            sheets += [
                Sheet(
                    ballot=ballot,
                    item=by_id[item_id],
                    category=category,
                    content=_item_content(ballot, answer),
                    receipt=receipt,
                )
                for item_id, answer in answers.items()
            ]
        except (sealing.SealError, KeyError, ServiceError):
            damaged += 1
    if damaged:
        raise _fail(MSG_SEALED_DAMAGED.format(n=damaged))
    secrets.SystemRandom().shuffle(sheets)
    return sheets


def ballot_tally(*, actor: User, ballot: Ballot, key_shares: Sequence[str] = ()) -> list[BallotResult]:
    """Count every item with ``ganbu.rules.tally`` and store the results with the rules applied.

    An electronic ballot's sealed sheets are opened with the 监票人's ``key_shares`` (at least the
    ballot's ``key_threshold`` of them), in memory; the opened sheets are written in random order
    by the count's own transaction and the sealed ones deleted. After that transaction commits,
    the voting tables are vacuumed and the result verified (``dead_versions_vacuum``), so no dead
    row version is left to tie a participation or a used code to a sheet. VACUUM cannot run in a
    transaction, which is why this service is not itself one durable transaction: the count is,
    and the vacuum's outcome is recorded in a second one.
    """
    results = _ballot_count(actor=actor, ballot=ballot, key_shares=key_shares)
    if ballot.channel == Channel.ELECTRONIC:
        outcome = dead_versions_vacuum()
        if outcome is not None:
            _purge_record(actor=actor, ballot=ballot, outcome=outcome)
    return results


@transaction.atomic(durable=True)
def _ballot_count(*, actor: User, ballot: Ballot, key_shares: Sequence[str]) -> list[BallotResult]:
    """The count itself, in one durable transaction (see ``ballot_tally``)."""
    ballot = _locked(ballot)
    _require_manage(actor, ballot.unit)
    _require_status(ballot, BallotStatus.CLOSED, "计票")
    items = list(ballot.items.all())
    data: dict[int, dict[str, Any]] = {}
    counted = 0
    if ballot.channel == Channel.PAPER:
        papers = {p.item_id: p for p in PaperCount.objects.filter(ballot=ballot, confirmed_by__isnull=False)}
        missing = sum(1 for i in items if i.pk not in papers)
        if missing:
            raise _fail(MSG_PAPER_MISSING.format(n=missing))
        paper_sheets: dict[int, list[RecommendationSheet]] = {i.pk: [] for i in items}
        if ballot.kind == BallotKind.RECOMMENDATION:
            for sheet in Sheet.objects.filter(ballot=ballot).only("item_id", "category", "content"):
                paper_sheets[sheet.item_id].append(
                    RecommendationSheet(choices=tuple(sheet.content["choices"]), category=sheet.category)
                )
        for item in items:
            data[item.pk] = _paper_result(ballot, item, papers[item.pk], paper_sheets[item.pk])
    else:
        per_item: dict[int, list[Sheet]] = {i.pk: [] for i in items}
        if ballot.public_key:
            opened = _opened_sheets(ballot, items, key_shares)
            Sheet.objects.bulk_create(opened)
            SealedSheet.objects.filter(ballot=ballot).delete()
        else:
            # Opened before sealing existed (docs/decisions/0010): its sheets were stored in clear.
            opened = list(Sheet.objects.filter(ballot=ballot).only("item_id", "category", "content"))
        for sheet in opened:
            per_item[sheet.item_id].append(sheet)
        counted = len(opened)
        for item in items:
            sheets = per_item[item.pk]
            if ballot.kind == BallotKind.COMMITTEE:
                choices = [CommitteeChoice(s.content["choice"]) for s in sheets]
                data[item.pk] = _committee_result(ballot, item, choices)
            elif ballot.kind == BallotKind.EVALUATION:
                ev = [EvaluationSheet(grade=Grade(s.content["grade"]), category=s.category) for s in sheets]
                data[item.pk] = _evaluation_result(ballot, ev)
            else:
                rec = [
                    RecommendationSheet(choices=tuple(s.content["choices"]), category=s.category)
                    for s in sheets
                ]
                data[item.pk] = _recommendation_result(ballot, item, rec)
    if ballot.kind != BallotKind.COMMITTEE:
        _apply_meeting_checks(ballot, items, data)
    results = BallotResult.objects.bulk_create(
        [BallotResult(ballot=ballot, item=item, data=data[item.pk]) for item in items]
    )
    summary: dict[str, Any] = {"items": len(items)}
    if ballot.channel == Channel.ELECTRONIC:
        summary["sheets"] = counted
    if ballot.kind == BallotKind.COMMITTEE:
        summary["passed"] = sum(1 for d in data.values() if d.get("passed"))
    _transition(actor=actor, ballot=ballot, to=BallotStatus.TALLIED, after=summary)
    return results


@transaction.atomic(durable=True)
def ballot_publish(*, actor: User, ballot: Ballot) -> Ballot:
    """Publish the results and the receipt list, so every voter can check their sheet was counted."""
    ballot = _locked(ballot)
    _require_manage(actor, ballot.unit)
    _require_status(ballot, BallotStatus.TALLIED, "公布")
    _transition(actor=actor, ballot=ballot, to=BallotStatus.PUBLISHED)
    return ballot
