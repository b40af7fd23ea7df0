"""Casting: a mass ballot with a one-time code, a committee member's vote; each sealed to the ballot's key."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction

from ganbu.accounts.models import User
from ganbu.rules.tally import (
    CommitteeChoice,
    Grade,
)

from .. import sealing
from ..choices import BallotKind, BallotStatus, Channel
from ..models import (
    Ballot,
    BallotItem,
    Credential,
    Participation,
    SealedSheet,
    Voter,
)
from .common import (
    MAX_WRITE_IN,
    MSG_ALREADY_VOTED,
    MSG_CONTENT,
    MSG_CREDENTIAL_INVALID,
    MSG_CREDENTIAL_USED,
    MSG_ITEM_OTHER_BALLOT,
    MSG_NAME_TOO_LONG,
    MSG_NO_KEY,
    MSG_NOT_ATTENDED,
    MSG_NOT_MEMBER,
    MSG_NOT_OPEN,
    MSG_RECUSED,
    MSG_TOO_MANY,
    MSG_WRONG_CHANNEL,
    MSG_WRONG_KIND,
    RECEIPT_LENGTH,
    CredentialUsedError,
    _fail,
    _locked,
    hash_code,
    new_receipt,
)


def _item_content(ballot: Ballot, raw: Any) -> dict[str, Any]:
    """The canonical content of one item's sheet, or ``ServiceError`` (without echoing the input)."""
    if not isinstance(raw, Mapping):
        raise _fail(MSG_CONTENT)
    if ballot.kind == BallotKind.EVALUATION:
        grade = raw.get("grade")
        if grade not in Grade._value2member_map_:
            raise _fail(MSG_CONTENT)
        return {"grade": str(grade)}
    if ballot.kind == BallotKind.RECOMMENDATION:
        choices = raw.get("choices")
        if not isinstance(choices, list | tuple) or not all(isinstance(c, str) for c in choices):
            raise _fail(MSG_CONTENT)
        cleaned = [c.strip() for c in choices]
        if any(not c for c in cleaned) or len(set(cleaned)) != len(cleaned):
            raise _fail(MSG_CONTENT)
        if len(cleaned) > ballot.max_choices:
            raise _fail(MSG_TOO_MANY.format(n=ballot.max_choices))
        if any(len(c) > MAX_WRITE_IN for c in cleaned):
            raise _fail(MSG_NAME_TOO_LONG)
        return {"choices": cleaned}
    choice = raw.get("choice")
    if choice not in CommitteeChoice._value2member_map_:
        raise _fail(MSG_CONTENT)
    return {"choice": str(choice)}


def _json_bytes(value: str) -> int:
    """How many bytes ``value`` takes as a JSON string in a sealed sheet (UTF-8, escapes included)."""
    return len(json.dumps(value, ensure_ascii=False).encode())


def _sealed_size(ballot: Ballot, items: int) -> int:
    """The fixed plaintext length of every sealed sheet of ``ballot`` (``items`` answered per sheet).

    Large enough for the longest possible answer, so every sheet of a ballot is padded to the same
    length and the ciphertext's length says nothing about the choice (or about a write-in).
    Depends only on what is frozen when the vote opens: kind, items, reference lists, max_choices.
    """
    per_item = 48  # "<item id>":{"choice":"disagree"} and the like, with room to spare
    if ballot.kind == BallotKind.RECOMMENDATION:
        longest = max(
            (_json_bytes(name) for item in ballot.items.all() for name in item.reference), default=0
        )
        per_name = max(longest, _json_bytes("\x00" * MAX_WRITE_IN)) + 1
        per_item += ballot.max_choices * per_name
    # Category (≤ 50 characters, escaped at worst 6 bytes each), receipt and the JSON around them.
    return 400 + RECEIPT_LENGTH + items * per_item


def _seal(
    ballot: Ballot, *, category: str, receipt: str, answers: Mapping[int, dict[str, Any]]
) -> SealedSheet:
    """Write one cast as a sealed sheet of the ballot's fixed length (``ganbu.voting.sealing``)."""
    if not ballot.public_key:
        raise _fail(MSG_NO_KEY)
    per_sheet = ballot.items.count() if ballot.kind != BallotKind.COMMITTEE else 1
    payload = {
        "category": category,
        "receipt": receipt,
        "items": {str(item_id): answer for item_id, answer in answers.items()},
    }
    try:
        sealed = sealing.seal(ballot.public_key, payload, size=_sealed_size(ballot, per_sheet))
    except sealing.SealError:
        raise _fail(MSG_CONTENT) from None
    return SealedSheet.objects.create(ballot=ballot, sealed=sealed)


@transaction.atomic(durable=True)
def ballot_cast_with_credential(*, code: str, ballot: Ballot, content: Mapping[Any, Any]) -> str:
    """Cast a mass ballot with a one-time code; returns the receipt. Writes no audit event.

    ``content`` maps each item id to that item's answer (``{"grade": ...}`` or ``{"choices": [...]}``);
    every item must be answered. The ballot row is locked so a concurrent close either waits for
    this cast or makes it fail; the credential is consumed by a conditional UPDATE that must
    change exactly one row, so a replayed code fails with ``CredentialUsedError`` however many
    requests race. The cast is written as one sealed sheet (content, receipt and category
    encrypted to the ballot's key): it carries no trace of the code, and the transaction id it
    shares with the credential's update links that code only to ciphertext.
    """
    ballot = _locked(ballot)
    if ballot.kind == BallotKind.COMMITTEE or ballot.channel != Channel.ELECTRONIC:
        raise _fail(MSG_CREDENTIAL_INVALID)
    if ballot.status != BallotStatus.OPEN:
        raise _fail(MSG_NOT_OPEN)
    items = list(ballot.items.all())
    answers = {str(k): v for k, v in content.items()}
    if set(answers) != {str(i.pk) for i in items}:
        raise _fail(MSG_CONTENT)
    sheets_content = [(item, _item_content(ballot, answers[str(item.pk)])) for item in items]

    code_hash = hash_code(code)
    credential = Credential.objects.filter(ballot=ballot, code_hash=code_hash).values("category").first()
    if credential is None:
        raise _fail(MSG_CREDENTIAL_INVALID)
    consumed = Credential.objects.filter(ballot=ballot, code_hash=code_hash, used=False).update(used=True)
    if consumed != 1:
        raise CredentialUsedError(MSG_CREDENTIAL_USED, code="credential_used")

    receipt = new_receipt()
    _seal(
        ballot,
        category=credential["category"],
        receipt=receipt,
        answers={item.pk: answer for item, answer in sheets_content},
    )
    return receipt


@transaction.atomic(durable=True)
def committee_cast(*, actor: User, ballot: Ballot, item: BallotItem, choice: str) -> str:
    """A member's 同意 / 不同意 / 缓议 on one item; returns the receipt. Writes no audit event.

    The member must be on the frozen roster, present and not recused from the item (DEC-06),
    and may vote once per item: ``Participation`` records that they voted, a ``SealedSheet`` what,
    encrypted to the ballot's key, with nothing joining the two but a transaction id that leads
    to ciphertext.
    """
    ballot = _locked(ballot)
    if ballot.kind != BallotKind.COMMITTEE:
        raise _fail(MSG_WRONG_KIND.format(kind=BallotKind(ballot.kind).label))
    if ballot.channel != Channel.ELECTRONIC:
        raise _fail(MSG_WRONG_CHANNEL.format(channel=Channel(ballot.channel).label))
    if ballot.status != BallotStatus.OPEN:
        raise _fail(MSG_NOT_OPEN)
    if item.ballot_id != ballot.pk:
        raise _fail(MSG_ITEM_OTHER_BALLOT)
    voter = Voter.objects.filter(ballot=ballot, user=actor).first()
    if voter is None:
        raise _fail(MSG_NOT_MEMBER)
    if not voter.attended:
        raise _fail(MSG_NOT_ATTENDED)
    if voter.recused_items.filter(pk=item.pk).exists():
        raise _fail(MSG_RECUSED)
    answer = _item_content(ballot, {"choice": choice})
    if not ballot.public_key:
        raise _fail(MSG_NO_KEY)
    try:
        with transaction.atomic():
            Participation.objects.create(ballot=ballot, voter=voter, item=item)
    except IntegrityError:
        raise _fail(MSG_ALREADY_VOTED) from None
    receipt = new_receipt()
    _seal(ballot, category=voter.category, receipt=receipt, answers={item.pk: answer})
    return receipt
