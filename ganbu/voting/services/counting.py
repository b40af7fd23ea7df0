"""Close, count and publish; the count opens the sealed sheets with the 监票人's key shares."""

from __future__ import annotations

import json
import secrets
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Count

from ganbu.accounts.models import User
from ganbu.core.errors import ServiceError

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
from .results import AnswerKey, CountSettings, _apply_meeting_checks, _paper_result, item_result

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


# COPY's text format: a backslash, tab, newline or carriage return in a value must be escaped.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
BACKSLASH = "\\"


@dataclass
class Opened:
    """The sealed sheets of a ballot opened in memory: aggregated for the count, and as rows to write.

    ``sheets`` holds one (category, receipt, content as JSON text) per cast, in random order — the
    content answers every item the cast answered, keyed by item id, exactly what the sealed sheet
    held; ``counts`` per item how many casts gave each (category, answer). No model instance is
    built: a ballot of 10,000 casts would otherwise make 10,000 of them and 200,000 answers.
    """

    sheets: list[tuple[str, str, str]]
    counts: dict[int, Counter[tuple[str, AnswerKey]]]


def _answer_reader(ballot: Ballot) -> Callable[[Any], tuple[str, AnswerKey]]:
    """A function from one item's answer as sealed to (its canonical content as JSON text, its count key).

    Every answer is checked by ``_item_content``, the very check of the cast, and its canonical
    content encoded as Django's ``JSONField`` would (``json.dumps``). Answers repeat — four grades,
    three choices, a few sets of names — so each distinct answer is checked and encoded once.
    """
    field = {BallotKind.EVALUATION: "grade", BallotKind.COMMITTEE: "choice"}.get(BallotKind(ballot.kind))
    seen: dict[Any, tuple[str, AnswerKey]] = {}

    def read(raw: Any) -> tuple[str, AnswerKey]:
        memo: Any = None
        if type(raw) is dict and len(raw) == 1:
            value = raw.get(field or "choices")
            if field and type(value) is str:
                memo = value
            elif not field and type(value) is list and all(type(v) is str for v in value):
                memo = tuple(value)
        if memo is not None and memo in seen:
            return seen[memo]
        content = _item_content(ballot, raw)
        key: AnswerKey = content[field] if field else tuple(content["choices"])
        out = (json.dumps(content), key)
        if memo is not None:
            seen[memo] = out
        return out

    return read


def _opened_sheets(ballot: Ballot, items: list[BallotItem], key_shares: Sequence[str]) -> Opened:
    """Every sealed sheet of the ballot opened in memory, aggregated and shuffled (see ``Opened``).

    Refuses to count (nothing written) when the shares do not rebuild the key, when the number of
    sealed sheets differs from the used codes or the members' participations, or when any sealed
    sheet does not open to a valid answer for this ballot — a sheet slipped in or damaged in the
    database must not be counted silently.

    Each cast's answers are written in the ballot's item order, whatever order the voter's client
    sent them in, so the stored text tells nothing of how the cast was made. The casts are
    shuffled with ``secrets`` (the operating system's randomness), never following the order in
    which they were stored.
    """
    key = _key_from_shares(ballot, key_shares)
    sealed = list(SealedSheet.objects.filter(ballot=ballot).values_list("sealed", flat=True))
    if ballot.kind == BallotKind.COMMITTEE:
        expected, what = ballot.participations.count(), "成员表决记录数"
    else:
        expected, what = ballot.credentials.filter(used=True).count(), "已使用的投票码数"
    if len(sealed) != expected:
        raise _fail(MSG_SEALED_COUNT.format(sheets=len(sealed), what=what, expected=expected))
    order = [(str(item.pk), item.pk) for item in items]
    known = {item_id for item_id, _ in order}
    wanted = 1 if ballot.kind == BallotKind.COMMITTEE else len(order)
    read = _answer_reader(ballot)
    sheets: list[tuple[str, str, str]] = []
    keys: list[tuple[int, str, AnswerKey]] = []
    damaged = 0
    for blob in sealed:
        try:
            payload = sealing.unseal(key, bytes(blob))
            answers, category, receipt = payload["items"], payload["category"], payload["receipt"]
            if not isinstance(answers, dict) or not isinstance(category, str) or not isinstance(receipt, str):
                raise sealing.SealError("malformed payload")
            if len(answers) != wanted or not set(answers) <= known:
                raise sealing.SealError("payload answers other items")
            opened = [
                (item_id, item_pk, *read(answers[item_id]))
                for item_id, item_pk in order
                if item_id in answers
            ]
        except (sealing.SealError, KeyError, TypeError, ServiceError):
            damaged += 1
            continue
        # The same text ``json.dumps`` makes of {item id: content}, built from the answers' texts.
        content = "{" + ", ".join(f'"{item_id}": {text}' for item_id, _, text, _ in opened) + "}"
        sheets.append((category, receipt, content))
        keys += [(item_pk, category, answer) for _, item_pk, _, answer in opened]
    if damaged:
        raise _fail(MSG_SEALED_DAMAGED.format(n=damaged))
    secrets.SystemRandom().shuffle(sheets)
    counts: dict[int, Counter[tuple[str, AnswerKey]]] = {item.pk: Counter() for item in items}
    for (item_pk, category, answer), n in Counter(keys).items():
        counts[item_pk][category, answer] = n
    return Opened(sheets=sheets, counts=counts)


def _sheets_write(ballot: Ballot, opened: Opened) -> None:
    """Write the opened casts as ``Sheet`` rows, one per cast, shuffled, by the count's transaction.

    On PostgreSQL one ``COPY … FROM STDIN`` (the rows' random keys drawn by the database's
    ``gen_random_uuid()``, the column's default since migration 0004); elsewhere one
    ``executemany`` of an INSERT with keys from ``uuid4``. Either way no model instance is built.
    """
    table = connection.ops.quote_name(Sheet._meta.db_table)
    if connection.vendor == "postgresql":
        escaped: dict[str, str] = {}

        def esc(value: str) -> str:
            if value not in escaped:
                escaped[value] = value.translate(_COPY_ESCAPES)
            return escaped[value]

        # JSON text holds no raw tab, newline or carriage return (``json.dumps`` writes them as
        # ``\t``, ``\n``, ``\r``), so its only character COPY must escape is the backslash: one
        # ``replace`` instead of a per-character ``translate`` of every content (0.5 s at 10,000).
        prefix = f"{ballot.pk}\t"
        lines = [
            f"{prefix}{esc(category)}\t{content.replace(BACKSLASH, BACKSLASH * 2)}\t{esc(receipt)}\n"
            for category, receipt, content in opened.sheets
        ]
        sql = f"COPY {table} (ballot_id, category, content, receipt) FROM STDIN"
        with connection.cursor() as cursor, cursor.copy(sql) as copy:
            for start in range(0, len(lines), 2_000):
                copy.write("".join(lines[start : start + 2_000]))
        return
    rows = [
        (uuid.uuid4().hex, ballot.pk, category, content, receipt)
        for category, receipt, content in opened.sheets
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (id, ballot_id, category, content, receipt) VALUES (%s, %s, %s, %s, %s)",
            rows,
        )


def _stored_counts(
    ballot: Ballot, items: list[BallotItem]
) -> tuple[dict[int, Counter[tuple[str, AnswerKey]]], int]:
    """The plaintext sheets of a paper or pre-sealing ballot, counted (one GROUP BY), and their number.

    Grouped on category and content, so identical sheets come back once with their number; each
    content is then split into its items, each answer read as the count key it holds. An item
    id no longer on the ballot is ignored, as the per-item count ignored it.
    """
    field = {BallotKind.EVALUATION: "grade", BallotKind.COMMITTEE: "choice"}.get(BallotKind(ballot.kind))
    counts: dict[int, Counter[tuple[str, AnswerKey]]] = {item.pk: Counter() for item in items}
    by_id = {str(item.pk): counts[item.pk] for item in items}
    grouped = (
        Sheet.objects.filter(ballot=ballot)
        .order_by()
        .values("category", "content")
        .annotate(n=Count("pk"))
        .values_list("category", "content", "n")
    )
    rows = 0
    for category, content, n in grouped:
        rows += n
        for item_id, answer in content.items():
            if item_id in by_id:
                key: AnswerKey = answer[field] if field else tuple(answer["choices"])
                by_id[item_id][category, key] += n
    return counts, rows


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
    settings = CountSettings.of(ballot)
    data: dict[int, dict[str, Any]] = {}
    counted = 0
    if ballot.channel == Channel.PAPER:
        papers = {p.item_id: p for p in PaperCount.objects.filter(ballot=ballot, confirmed_by__isnull=False)}
        missing = sum(1 for i in items if i.pk not in papers)
        if missing:
            raise _fail(MSG_PAPER_MISSING.format(n=missing))
        paper_counts: dict[int, Counter[tuple[str, AnswerKey]]] = {i.pk: Counter() for i in items}
        if ballot.kind == BallotKind.RECOMMENDATION:
            paper_counts, _ = _stored_counts(ballot, items)
        for item in items:
            data[item.pk] = _paper_result(ballot, item, papers[item.pk], paper_counts[item.pk], settings)
    else:
        if ballot.public_key:
            opened = _opened_sheets(ballot, items, key_shares)
            _sheets_write(ballot, opened)
            SealedSheet.objects.filter(ballot=ballot).delete()
            counts, counted = opened.counts, len(opened.sheets)
        else:
            # Opened before sealing existed (docs/decisions/0010): its sheets were stored in clear.
            counts, counted = _stored_counts(ballot, items)
        for item in items:
            data[item.pk] = item_result(ballot, item, counts[item.pk], settings)
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
