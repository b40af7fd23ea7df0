"""Ballot services: the only code that writes ballots, rosters, credentials, sheets and results.

Staff services are keyword-only, take the acting user first, run in one durable transaction and
write an audit event holding counts and state changes only. Casting writes no audit event at
all: an event per cast would carry a time and an order, the very things ``Sheet`` leaves out.
Errors are ``ServiceError`` with Chinese messages that never repeat a code or a ballot's content.

Secrecy against the database administrator (docs/decisions/0011-sealed-ballots.md): an electronic
ballot gets a key pair when it opens; casts store only sheets sealed to its public key
(``SealedSheet``); the count rebuilds the private key from the 监票人's shares in memory, writes
the opened sheets as shuffled ``Sheet`` rows in its own transaction, deletes the sealed ones and,
on PostgreSQL, vacuums the voting tables and verifies that no dead row version is left.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ParamSpec, TypeVar

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ganbu.accounts.models import User
from ganbu.core.access import Cap, can_edit_unit, has_cap, units_for
from ganbu.core.audit import audit_record
from ganbu.core.errors import ServiceError
from ganbu.policy.keys import display_value
from ganbu.policy.selectors import policy_value
from ganbu.registry.models import Cadre, FamilyMember, Post, Unit
from ganbu.rules.avoidance import Key, Relative, recusal_needed
from ganbu.rules.tally import (
    CommitteeChoice,
    EvaluationSheet,
    Grade,
    RecommendationSheet,
    check_cast_within_present,
    check_meeting_quorum,
    check_paper_return,
    tally_committee_item,
    tally_evaluation,
    tally_recommendation,
)
from ganbu.rules.types import Reason

from . import sealing
from .choices import COMMITTEE_CATEGORY, TRANSITIONS, BallotKind, BallotStatus, Channel, ItemAction
from .models import (
    Ballot,
    BallotItem,
    BallotResult,
    Credential,
    PaperCount,
    Participation,
    Recusal,
    SealedSheet,
    Sheet,
    Voter,
)
from .recusal import RECUSAL_KEY, convention_source, recusal_convention

P = ParamSpec("P")
R = TypeVar("R")

# 32 symbols without 0/O, 1/I: 16 of them carry 80 bits and survive being read aloud or retyped.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 16
RECEIPT_LENGTH = 16
MAX_CREDENTIALS_PER_ISSUE = 5000
# Key shares: three 监票人 by default, any two of whom can open the sheets at the count — one lost
# slip does not lose the ballot, and no single holder can open it.
DEFAULT_KEY_HOLDERS = 3
DEFAULT_KEY_THRESHOLD = 2
# A written-in name (另行推荐) is at most this long, so a sealed sheet's fixed length holds any choice.
MAX_WRITE_IN = 40
RESULT_STATUSES = (BallotStatus.TALLIED, BallotStatus.PUBLISHED)

MSG_NO_MANAGE = "您无权管理该投票。"
MSG_STATUS = "投票当前状态为「{status}」，不能{action}。"
MSG_NOT_OPEN = "投票未在进行中，不接受投票。"
MSG_CREDENTIAL_INVALID = "投票码无效。"
MSG_CREDENTIAL_USED = "该投票码已经使用过，不能重复投票。"
MSG_CONTENT = "选票内容不完整或格式不正确，请重新填写。"
MSG_TOO_MANY = "每张推荐票最多推荐 {n} 人。"
MSG_NOT_MEMBER = "您不在本次表决的成员名单中。"
MSG_NOT_ATTENDED = "您未登记到会，不能表决。"
MSG_RECUSED = "您须回避该事项，不能表决。"
MSG_ALREADY_VOTED = "您已经对该事项表决过。"
MSG_WRONG_KIND = "该操作不适用于「{kind}」。"
MSG_WRONG_CHANNEL = "该操作不适用于「{channel}」方式的投票。"
MSG_ITEM_OTHER_BALLOT = "该事项不属于本次投票。"
MSG_SAME_CONFIRMER = "监票确认须由录入人以外的另一名工作人员进行。"
MSG_PAPER_MISSING = "还有 {n} 个事项的纸质计票结果未录入或未经监票确认。"
MSG_PAPER_CONFIRMED = "该事项的计票结果已经确认，不能修改。"
MSG_PAPER_NOT_ENTERED = "该事项的计票结果尚未录入。"
MSG_KEY_SETTINGS = "监票人人数应在 1 到 {max} 之间，计票所需人数应在 1 到监票人人数之间。"
MSG_NO_KEY = "本次投票开始于启用选票加密之前，不能再接受电子投票；请结束投票后计票。"
MSG_NAME_TOO_LONG = f"另行推荐的人选姓名不能超过 {MAX_WRITE_IN} 个字。"
MSG_SHARES_NEEDED = "计票须由至少 {k} 名监票人输入各自的密钥份额（现有 {n} 份）。"
MSG_SHARE_FORMAT = "第 {pos} 份密钥份额格式不正确：应为份额编号加 28 位字母数字，如「1-ABCD-EFGH-…」。"
MSG_SHARE_CHECK = "第 {pos} 份密钥份额校验不符：抄录有误，或不是本次投票的份额。请逐位核对。"
MSG_SHARE_DUPLICATE = "第 {pos} 份与前面输入的份额编号相同（第 {index} 号），每名监票人的份额只能输入一次。"
MSG_KEY_MISMATCH = "输入的密钥份额不能还原本次投票的密钥，请核对各份是否抄录正确。"
MSG_SEALED_DAMAGED = "有 {n} 张密封选票无法用本次投票的密钥打开，不能计票；请联系系统管理员核查数据库。"
MSG_SEALED_COUNT = "密封选票 {sheets} 张，与{what} {expected} 不一致，不能计票；请联系系统管理员核查数据库。"


class CredentialUsedError(ServiceError):
    """A credential was already consumed: the API answers 409 Conflict, the page says so."""


def _fail(message: str, field: str | None = None) -> ServiceError:
    """A ``ServiceError`` with ``message``, attached to ``field`` when one is named."""
    return ServiceError({field: [message]} if field else message)


# ---------------------------------------------------------------- codes


def normalize_code(code: str) -> str:
    """A code as typed (any case, dashes, spaces) in its canonical form."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def hash_code(code: str) -> str:
    """The stored form of a credential code: SHA-256 of its canonical form.

    A plain hash suffices: with 80 random bits there is nothing to guess from a dictionary.
    """
    return hashlib.sha256(normalize_code(code).encode("ascii", "ignore")).hexdigest()


def _random_code(length: int) -> str:
    """``length`` symbols drawn by ``secrets`` from the unambiguous alphabet (5 bits each)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def new_credential_code() -> str:
    """A fresh code of 80 random bits, printed in groups of four: ``ABCD-EFGH-JKLM-NPQR``."""
    raw = _random_code(CODE_LENGTH)
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def new_receipt() -> str:
    """A random receipt code (80 bits) a voter can look for in the published list."""
    return _random_code(RECEIPT_LENGTH)


# ---------------------------------------------------------------- helpers


def _require_manage(actor: User, unit: Unit) -> None:
    """Organization or unit officers manage ballots of units in their scope."""
    if not has_cap(actor, Cap.BALLOT_MANAGE) or not can_edit_unit(actor, unit):
        raise _fail(MSG_NO_MANAGE)


def _require_witness(actor: User, unit: Unit) -> None:
    """A 监票人 may be an officer or a department leader with the ballot's unit in scope."""
    if not has_cap(actor, Cap.BALLOT_WITNESS) or not units_for(actor).filter(pk=unit.pk).exists():
        raise _fail(MSG_NO_MANAGE)


def _locked(ballot: Ballot) -> Ballot:
    """The ballot row re-read under a row lock, so status checks cannot race with close."""
    return Ballot.objects.select_for_update().select_related("unit").get(pk=ballot.pk)


def _require_status(ballot: Ballot, status: str, action: str) -> None:
    """Refuse ``action`` unless the ballot is in ``status``, naming the status it is in."""
    if ballot.status != status:
        raise _fail(MSG_STATUS.format(status=BallotStatus(ballot.status).label, action=action))


# The time stamp set and the audit event written by each step of the life cycle.
_STEP: dict[BallotStatus, tuple[str, str]] = {
    BallotStatus.OPEN: ("opened_at", "voting.ballot_opened"),
    BallotStatus.CLOSED: ("closed_at", "voting.ballot_closed"),
    BallotStatus.TALLIED: ("tallied_at", "voting.ballot_tallied"),
    BallotStatus.PUBLISHED: ("published_at", "voting.ballot_published"),
}


def _transition(*, actor: User, ballot: Ballot, to: str, after: dict[str, Any] | None = None) -> None:
    """Move ``ballot`` to ``to`` if the transition table allows it, stamping the time and auditing."""
    current = ballot.status
    if to not in TRANSITIONS[current]:
        raise _fail(f"投票不能从「{BallotStatus(current).label}」变为「{BallotStatus(to).label}」。")
    now = timezone.now()
    stamp, event = _STEP[BallotStatus(to)]
    ballot.status = to
    setattr(ballot, stamp, now)
    ballot.save(update_fields=["status", stamp])
    audit_record(
        actor=actor,
        event_type=event,
        target=ballot,
        before={"status": current},
        after={"status": to, **(after or {})},
        unit_id=ballot.unit_id,
    )


def _parse_share(value: str, field: str, label: str) -> Fraction:
    """A share as an exact fraction in [0, 1]: "0.3" and "3/10" are the same, floats never used."""
    try:
        share = Fraction(value.strip())
    except (ValueError, ZeroDivisionError):
        message = f"{label}格式不正确，应为 0 到 1 之间的小数或分数（如 0.3 或 3/10）。"
        raise _fail(message, field) from None
    if not Fraction(0) <= share <= Fraction(1):
        raise _fail(f"{label}应在 0 到 1 之间。", field)
    return share


def _parse_threshold(value: str) -> Fraction:
    """The 不称职 threshold of a ballot as an exact fraction in [0, 1]."""
    return _parse_share(value, "threshold", "不称职票比例阈值")


def _held_on(ballot: Ballot) -> dt.date:
    """The day the vote was held (opened), whose county policy applies; today while in draft."""
    return timezone.localdate(ballot.opened_at) if ballot.opened_at else timezone.localdate()


def _share_setting(ballot: Ballot, own: str, key: str, field: str, label: str) -> tuple[Fraction, str, str]:
    """A ballot's own share setting, else the county policy in force when it was held.

    Returns (value, text, source).
    """
    if own.strip():
        value = _parse_share(own, field, label)
        return value, own.strip(), "本次投票设定"
    in_force = policy_value(key, _held_on(ballot))
    return in_force.value, in_force.text, in_force.source


def _parse_weights(weights: Mapping[str, Any]) -> dict[str, Fraction]:
    """Category weights as exact non-negative fractions (stored as strings)."""
    try:
        parsed = {str(k): Fraction(str(v)) for k, v in weights.items()}
    except (ValueError, ZeroDivisionError):
        raise _fail("测评人类别权重格式不正确。", "category_weights") from None
    if any(w < 0 for w in parsed.values()):
        raise _fail("测评人类别权重不能为负数。", "category_weights")
    return parsed


def _reasons_json(reasons: Sequence[Reason]) -> list[dict[str, str]]:
    """Rule reasons as plain JSON for ``BallotResult.data`` and ``PaperCount.reasons``."""
    return [{"rule": r.rule, "citation": r.citation, "message": r.message} for r in reasons]


# ---------------------------------------------------------------- set-up (draft)


def _require_atomic(name: str) -> None:
    """``*_within`` services join the caller's transaction; running them outside one is a bug."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{name} must run inside a transaction")


def _durable(fn: Callable[P, R]) -> Callable[P, R]:
    """The durable service of a ``*_within`` function: the same call in its own durable transaction."""

    @functools.wraps(fn)
    def service(*args: P.args, **kwargs: P.kwargs) -> R:
        with transaction.atomic(durable=True):
            return fn(*args, **kwargs)

    return service


def ballot_create_within(
    *,
    actor: User,
    kind: str,
    title: str,
    unit: Unit,
    channel: str = Channel.ELECTRONIC,
    max_choices: int = 1,
    threshold: str = "",
    approval_floor: str = "",
    min_category_size: int | None = None,
    category_weights: Mapping[str, Any] | None = None,
    expected_voters: int | None = None,
) -> Ballot:
    """Create a ballot in draft for ``unit`` (its scope decides who manages and who sees results).

    A blank ``threshold`` / ``approval_floor`` means the county policy in force on the day the vote
    opens; ``min_category_size`` defaults to the county's setting today. ``expected_voters`` is the
    meeting's 应到人数 (mass ballots), which turns on the quorum check at the count.
    """
    _require_atomic("ballot_create_within")
    _require_manage(actor, unit)
    if kind not in BallotKind.values:
        raise _fail("投票类型不正确。", "kind")
    if channel not in Channel.values:
        raise _fail("投票方式不正确。", "channel")
    if not title.strip():
        raise _fail("请填写投票名称。", "title")
    if max_choices < 1:
        raise _fail("每票可推荐人数至少为 1。", "max_choices")
    if threshold.strip():
        _parse_threshold(threshold)
    if approval_floor.strip():
        _parse_share(approval_floor, "approval_floor", "优秀+称职票比例下限")
    if min_category_size is None:
        min_category_size = int(policy_value("ballot.min_category_size", timezone.localdate()).value)
    if min_category_size < 1:
        raise _fail("分类结果最少票数至少为 1。", "min_category_size")
    if expected_voters is not None and (kind == BallotKind.COMMITTEE or expected_voters < 1):
        raise _fail("应到人数仅用于民主推荐和民主测评，且至少为 1。", "expected_voters")
    weights = _parse_weights(category_weights or {})
    ballot = Ballot.objects.create(
        kind=kind,
        title=title.strip(),
        unit=unit,
        channel=channel,
        created_by=actor,
        max_choices=max_choices,
        threshold=threshold.strip(),
        approval_floor=approval_floor.strip(),
        min_category_size=min_category_size,
        expected_voters=expected_voters,
        category_weights={k: str(v) for k, v in weights.items()},
    )
    audit_record(
        actor=actor,
        event_type="voting.ballot_created",
        target=ballot,
        after={"kind": kind, "channel": channel, "status": ballot.status},
        unit_id=unit.pk,
    )
    return ballot


def ballot_item_add_within(
    *,
    actor: User,
    ballot: Ballot,
    label: str = "",
    cadre: Cadre | None = None,
    post: Post | None = None,
    action: str = "",
    reference: Sequence[str] = (),
    posts: int = 1,
) -> BallotItem:
    """Add an item to a draft ballot, checked against what its kind needs."""
    _require_atomic("ballot_item_add_within")
    ballot = _locked(ballot)
    _require_manage(actor, ballot.unit)
    _require_status(ballot, BallotStatus.DRAFT, "添加事项")
    if ballot.kind == BallotKind.COMMITTEE:
        if cadre is None or action not in ItemAction.values:
            raise _fail("票决事项须选择干部和任免类别。")
        if action == ItemAction.APPOINTMENT and post is None:
            raise _fail("任职事项须选择职位。", "post")
    elif ballot.kind == BallotKind.EVALUATION:
        if cadre is None:
            raise _fail("测评事项须选择被测评干部。", "cadre")
    else:
        names = [str(r).strip() for r in reference]
        if any(not n for n in names) or len(set(names)) != len(names):
            raise _fail("参考人选不能为空或重复。", "reference")
        if posts < 1 or len(names) <= posts:
            raise _fail(
                f"会议推荐参考人选应当差额提出：参考人选 {len(names)} 人，须多于职位数 {posts} 个。",
                "reference",
            )
        reference = names
    order = ballot.items.count() + 1
    item = BallotItem.objects.create(
        ballot=ballot,
        sort_order=order,
        label=label.strip() or (str(cadre) if cadre else (str(post) if post else f"第 {order} 项")),
        cadre=cadre,
        post=post,
        action=action if ballot.kind == BallotKind.COMMITTEE else "",
        reference=list(reference) if ballot.kind == BallotKind.RECOMMENDATION else [],
        posts=posts,
    )
    audit_record(
        actor=actor,
        event_type="voting.item_added",
        target=ballot,
        after={"item_id": item.pk, "items": order},
        cadre_id=cadre.pk if cadre else None,
        unit_id=ballot.unit_id,
    )
    return item


def committee_member_add_within(
    *,
    actor: User,
    ballot: Ballot,
    user: User,
    attended: bool = False,
    recused_items: Sequence[BallotItem] = (),
) -> Voter:
    """Put a member on the roster of a draft committee vote, with attendance and recusals (DEC-06)."""
    _require_atomic("committee_member_add_within")
    ballot = _locked(ballot)
    _require_manage(actor, ballot.unit)
    _require_status(ballot, BallotStatus.DRAFT, "修改成员名单")
    if ballot.kind != BallotKind.COMMITTEE:
        raise _fail(MSG_WRONG_KIND.format(kind=BallotKind(ballot.kind).label))
    if any(i.ballot_id != ballot.pk for i in recused_items):
        raise _fail(MSG_ITEM_OTHER_BALLOT)
    if Voter.objects.filter(ballot=ballot, user=user).exists():
        raise _fail(f"{user} 已在成员名单中。")
    voter = Voter.objects.create(ballot=ballot, user=user, category=COMMITTEE_CATEGORY, attended=attended)
    voter.recused_items.set(recused_items, through_defaults={"reason": "登记成员时确定回避"})
    audit_record(
        actor=actor,
        event_type="voting.member_added",
        target=ballot,
        after={"voter_id": voter.pk, "attended": attended, "recused": len(recused_items)},
        unit_id=ballot.unit_id,
    )
    return voter


@transaction.atomic(durable=True)
def committee_attendance_set(*, actor: User, ballot: Ballot, voter: Voter, attended: bool) -> Voter:
    """Record whether a member is present (实到), before or during the vote.

    A member who has already voted cannot be marked absent: their sheets would outnumber those present.
    """
    ballot = _locked(ballot)
    _require_manage(actor, ballot.unit)
    if ballot.status not in (BallotStatus.DRAFT, BallotStatus.OPEN):
        raise _fail(MSG_STATUS.format(status=BallotStatus(ballot.status).label, action="登记到会"))
    if voter.ballot_id != ballot.pk:
        raise _fail(MSG_NOT_MEMBER)
    if not attended and Participation.objects.filter(voter=voter).exists():
        raise _fail("该成员已经表决，不能登记为未到会。")
    before = voter.attended
    voter.attended = attended
    voter.save(update_fields=["attended"])
    audit_record(
        actor=actor,
        event_type="voting.attendance_set",
        target=ballot,
        before={"voter_id": voter.pk, "attended": before},
        after={"voter_id": voter.pk, "attended": attended},
        unit_id=ballot.unit_id,
    )
    return voter


ballot_create = _durable(ballot_create_within)
ballot_item_add = _durable(ballot_item_add_within)
committee_member_add = _durable(committee_member_add_within)


@transaction.atomic(durable=True)
def committee_member_remove(*, actor: User, ballot: Ballot, voter: Voter) -> None:
    """Take a member off the roster of a draft committee vote (the roster freezes when it opens)."""
    ballot = _locked(ballot)
    _require_manage(actor, ballot.unit)
    _require_status(ballot, BallotStatus.DRAFT, "修改成员名单")
    if voter.ballot_id != ballot.pk:
        raise _fail(MSG_NOT_MEMBER)
    voter_id = voter.pk
    voter.delete()
    audit_record(
        actor=actor,
        event_type="voting.member_removed",
        target=ballot,
        before={"voter_id": voter_id},
        unit_id=ballot.unit_id,
    )


@transaction.atomic(durable=True)
def committee_recusal_set(
    *, actor: User, ballot: Ballot, voter: Voter, item: BallotItem, recused: bool, reason: str = ""
) -> None:
    """Record (or lift) a member's recusal from one item, with the reason (DEC-06).

    Allowed in draft and while the vote is open, but never once the member has voted on that item;
    a recusal found by the kinship check when the vote opened cannot be lifted here.
    """
    ballot = _locked(ballot)
    _require_manage(actor, ballot.unit)
    if ballot.status not in (BallotStatus.DRAFT, BallotStatus.OPEN):
        raise _fail(MSG_STATUS.format(status=BallotStatus(ballot.status).label, action="登记回避"))
    if voter.ballot_id != ballot.pk:
        raise _fail(MSG_NOT_MEMBER)
    if item.ballot_id != ballot.pk:
        raise _fail(MSG_ITEM_OTHER_BALLOT)
    if Participation.objects.filter(voter=voter, item=item).exists():
        raise _fail("该成员已经对该事项表决，不能再变更回避。")
    existing = Recusal.objects.filter(voter=voter, item=item).first()
    if recused:
        if not reason.strip():
            raise _fail("请填写回避理由。", "reason")
        if existing is None:
            Recusal.objects.create(voter=voter, item=item, reason=reason.strip()[:300])
        else:
            existing.reason = reason.strip()[:300]
            existing.save(update_fields=["reason"])
    elif existing is not None:
        if existing.automatic:
            raise _fail("该回避由亲属关系核查自动确定，不能取消；如亲属信息有误，请先更正干部档案。")
        existing.delete()
    audit_record(
        actor=actor,
        event_type="voting.recusal_set",
        target=ballot,
        before={"voter_id": voter.pk, "item_id": item.pk, "recused": existing is not None},
        after={"voter_id": voter.pk, "item_id": item.pk, "recused": recused},
        reason=reason.strip() if recused else "",
        unit_id=ballot.unit_id,
    )


@transaction.atomic(durable=True)
def ballot_attendance_record(*, actor: User, ballot: Ballot, expected: int, present: int) -> Ballot:
    """Record a recommendation or evaluation meeting's 应到 and 实到 counts, any time before the count.

    The count then checks the meeting quorum (REC-09) and that no more ballots came back than
    voters were present.
    """
    ballot = _locked(ballot)
    _require_manage(actor, ballot.unit)
    if ballot.kind == BallotKind.COMMITTEE:
        raise _fail("常委会票决按成员名单登记到会，不适用此项。")
    if ballot.status not in (BallotStatus.DRAFT, BallotStatus.OPEN, BallotStatus.CLOSED):
        raise _fail(MSG_STATUS.format(status=BallotStatus(ballot.status).label, action="登记到会人数"))
    if expected < 1:
        raise _fail("应到人数至少为 1。", "expected_voters")
    if not 0 <= present <= expected:
        raise _fail(f"实到人数应在 0 到应到人数 {expected} 之间。", "present_voters")
    before = {"expected": ballot.expected_voters, "present": ballot.present_voters}
    ballot.expected_voters, ballot.present_voters = expected, present
    ballot.save(update_fields=["expected_voters", "present_voters"])
    audit_record(
        actor=actor,
        event_type="voting.attendance_recorded",
        target=ballot,
        before=before,
        after={"expected": expected, "present": present},
        unit_id=ballot.unit_id,
    )
    return ballot


def _kinship_recusals(ballot: Ballot) -> int:
    """Recuse members from items about themselves or a recorded relative (DEC-06; AVD-02 classes).

    Reads the family records (家庭成员) of the members' own cadre files and of the candidates', so a
    tie recorded on either side is found. Members whose account is not linked to a cadre file
    cannot be checked this way; the ballot page says so. Returns the number of recusals written.
    """
    voters = [v for v in ballot.voters.select_related("user", "user__cadre") if v.user.cadre_id]
    items = [i for i in ballot.items.select_related("cadre") if i.cadre_id]
    if not voters or not items:
        return 0
    member_cadres = {v.user.cadre_id for v in voters}
    candidate_cadres = {i.cadre_id for i in items}
    rows = FamilyMember.objects.filter(
        cadre_id__in=member_cadres | candidate_cadres, related_cadre__isnull=False
    ).values_list("cadre_id", "related_cadre_id", "relation", "name")
    recorded: dict[int, list[tuple[int, str, str]]] = {}
    for cadre_id, related_id, relation, name in rows:
        recorded.setdefault(cadre_id, []).append((related_id, relation, name))
    existing = {(r.voter_id, r.item_id): r for r in Recusal.objects.filter(voter__ballot=ballot)}
    written = 0
    for voter in voters:
        member_cadre = voter.user.cadre
        assert member_cadre is not None
        member_relatives: dict[Key, str] = {
            related: relation for related, relation, _ in recorded.get(member_cadre.pk, [])
        }
        for item in items:
            assert item.cadre is not None
            candidate_relatives = [
                Relative(name=name, relation=relation, cadre_key=related)
                for related, relation, name in recorded.get(item.cadre.pk, [])
            ]
            verdict = recusal_needed(
                member_cadre.pk,
                member_relatives,
                item.cadre.pk,
                candidate_relatives,
                member_name=str(voter.user),
                candidate_name=item.cadre.name,
            )
            if verdict.ok:
                continue
            reason = "；".join(r.message for r in verdict.reasons)[:300]
            row = existing.get((voter.pk, item.pk))
            if row is None:
                Recusal.objects.create(voter=voter, item=item, reason=reason, automatic=True)
            else:
                row.reason, row.automatic = reason, True
                row.save(update_fields=["reason", "automatic"])
            written += 1
    return written


@transaction.atomic(durable=True)
def ballot_open(
    *,
    actor: User,
    ballot: Ballot,
    key_holders: int = DEFAULT_KEY_HOLDERS,
    key_threshold: int = DEFAULT_KEY_THRESHOLD,
) -> list[str]:
    """Open the ballot: its items and roster freeze and sheets are accepted. Returns the key shares.

    An electronic ballot gets its key pair here (``ganbu.voting.sealing``): the public key is
    stored, the private key is split into ``key_holders`` shares of which ``key_threshold`` open
    the sheets at the count. The shares are returned this once, to be printed for the 监票人, and
    are stored nowhere; the audit event records only how many there are. A paper ballot has no
    key and gets an empty list.
    """
    ballot = _locked(ballot)
    _require_manage(actor, ballot.unit)
    items = ballot.items.count()
    if items == 0:
        raise _fail("投票至少要有一个事项才能开始。")
    voters = ballot.voters.count()
    if ballot.kind == BallotKind.COMMITTEE and voters == 0:
        raise _fail("票决须先登记应到会成员。")
    if not 1 <= key_threshold <= key_holders <= sealing.MAX_HOLDERS:
        raise _fail(MSG_KEY_SETTINGS.format(max=sealing.MAX_HOLDERS), "key_holders")
    found = _kinship_recusals(ballot) if ballot.kind == BallotKind.COMMITTEE else 0
    shares: list[str] = []
    after: dict[str, Any] = {"items": items, "voters": voters, "recusals_found": found}
    if ballot.channel == Channel.ELECTRONIC:
        key = sealing.new_ballot_key(ballot.pk, holders=key_holders, threshold=key_threshold)
        ballot.public_key = key.public_key
        ballot.key_holders, ballot.key_threshold = key_holders, key_threshold
        ballot.save(update_fields=["public_key", "key_holders", "key_threshold"])
        shares = key.shares
        after |= {"key_holders": key_holders, "key_threshold": key_threshold}
    _transition(actor=actor, ballot=ballot, to=BallotStatus.OPEN, after=after)
    return shares


@transaction.atomic(durable=True)
def ballot_key_renew(
    *,
    actor: User,
    ballot: Ballot,
    key_holders: int = DEFAULT_KEY_HOLDERS,
    key_threshold: int = DEFAULT_KEY_THRESHOLD,
) -> list[str]:
    """Replace an open electronic ballot's key and return the new shares, while no one has voted yet.

    For slips lost or never printed before the first cast: the old shares become useless. Once a
    sheet is sealed to the key, it can no longer change (those sheets could not be opened).
    """
    ballot = _locked(ballot)
    _require_manage(actor, ballot.unit)
    _require_status(ballot, BallotStatus.OPEN, "重新生成监票人密钥份额")
    if ballot.channel != Channel.ELECTRONIC:
        raise _fail(MSG_WRONG_CHANNEL.format(channel=Channel(ballot.channel).label))
    if SealedSheet.objects.filter(ballot=ballot).exists() or ballot.sheets.exists():
        raise _fail("已经有人投票，密钥不能再更换；请按原密钥份额计票。")
    if not 1 <= key_threshold <= key_holders <= sealing.MAX_HOLDERS:
        raise _fail(MSG_KEY_SETTINGS.format(max=sealing.MAX_HOLDERS), "key_holders")
    key = sealing.new_ballot_key(ballot.pk, holders=key_holders, threshold=key_threshold)
    ballot.public_key = key.public_key
    ballot.key_holders, ballot.key_threshold = key_holders, key_threshold
    ballot.save(update_fields=["public_key", "key_holders", "key_threshold"])
    audit_record(
        actor=actor,
        event_type="voting.key_renewed",
        target=ballot,
        after={"key_holders": key_holders, "key_threshold": key_threshold},
        unit_id=ballot.unit_id,
    )
    return key.shares


@transaction.atomic(durable=True)
def credentials_issue(*, actor: User, ballot: Ballot, category: str, count: int) -> list[str]:
    """Issue ``count`` one-time codes for voters of ``category``; the codes are returned this once only."""
    ballot = _locked(ballot)
    _require_manage(actor, ballot.unit)
    if ballot.kind == BallotKind.COMMITTEE:
        raise _fail(MSG_WRONG_KIND.format(kind=BallotKind(ballot.kind).label))
    if ballot.channel != Channel.ELECTRONIC:
        raise _fail(MSG_WRONG_CHANNEL.format(channel=Channel(ballot.channel).label))
    if ballot.status not in (BallotStatus.DRAFT, BallotStatus.OPEN):
        raise _fail(MSG_STATUS.format(status=BallotStatus(ballot.status).label, action="发放投票码"))
    category = category.strip()
    if not category:
        raise _fail("请填写投票人类别。", "category")
    if not 1 <= count <= MAX_CREDENTIALS_PER_ISSUE:
        raise _fail(f"每次发放数量应在 1 到 {MAX_CREDENTIALS_PER_ISSUE} 之间。", "count")
    codes = [new_credential_code() for _ in range(count)]
    Credential.objects.bulk_create(
        [Credential(ballot=ballot, category=category, code_hash=hash_code(c)) for c in codes]
    )
    audit_record(
        actor=actor,
        event_type="voting.credentials_issued",
        target=ballot,
        after={"category": category, "count": count, "issued_total": ballot.credentials.count()},
        unit_id=ballot.unit_id,
    )
    return codes


# ---------------------------------------------------------------- casting


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
        entered = Sheet.objects.filter(ballot=ballot, item=item).count()
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
    """Enter one paper recommendation ballot (every post on it) as sheets; returns the papers entered so far.

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
    Sheet.objects.bulk_create(
        [
            Sheet(
                ballot=ballot,
                item=item,
                category=category,
                content=_paper_recommendation_content(ballot, answers[str(item.pk)]),
                receipt="",
            )
            for item in items
        ]
    )
    entered = Sheet.objects.filter(ballot=ballot, item=items[0]).count() if items else 0
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


def _suppress(by_category: Mapping[str, Mapping[Any, int]], minimum: int) -> dict[str, Any]:
    """Per-category counts, with categories of fewer than ``minimum`` sheets suppressed."""
    out: dict[str, Any] = {}
    for category, counts in by_category.items():
        total = sum(counts.values())
        if total < minimum:
            out[category] = {"suppressed": True}
        else:
            out[category] = {str(k): v for k, v in counts.items()}
    return out


def _committee_result(ballot: Ballot, item: BallotItem, choices: list[CommitteeChoice]) -> dict[str, Any]:
    """Tally one committee item; recused members (DEC-06) count as the county's policy says.

    By default (``committee.recused_counted_as_due`` = 0) they leave both 应到会成员 and 实到 for
    the item; when the county counts them (1) they stay among 应到会成员 and are absent for it.
    The convention and its source are stored with the result (``ganbu.voting.recusal``).
    """
    voters = list(ballot.voters.all())
    recused = set(Recusal.objects.filter(item=item, voter__ballot=ballot).values_list("voter_id", flat=True))
    rule = policy_value(RECUSAL_KEY, _held_on(ballot))
    counted = rule.value == 1
    members = len(voters) if counted else sum(1 for v in voters if v.pk not in recused)
    present = sum(1 for v in voters if v.pk not in recused and v.attended)
    if members < 1:
        raise _fail(f"事项「{item}」没有应到会成员，无法计票。")
    try:
        r = tally_committee_item(members=members, present=present, choices=choices)
    except ValueError as exc:
        raise _fail(f"事项「{item}」：{exc}") from None
    return {
        "members": r.members,
        "present": r.present,
        "recused": len(recused),
        "recused_counted": counted,
        "recusal_rule": recusal_convention(counted),
        "recusal_source": convention_source(
            rule.key.label, display_value(rule.key, rule.text), rule.effective_from, rule.note
        ),
        "agree": r.agree,
        "disagree": r.disagree,
        "defer": r.defer,
        "not_voted": r.not_voted,
        "quorum_met": r.quorum_met,
        "passed": r.passed,
        "reasons": _reasons_json(r.reasons),
    }


def _evaluation_result(ballot: Ballot, sheets: list[EvaluationSheet]) -> dict[str, Any]:
    """Tally one evaluation item with the thresholds in force and the weights; shares as exact fractions."""
    weights = _parse_weights(ballot.category_weights) or None
    threshold, threshold_text, threshold_source = _share_setting(
        ballot, ballot.threshold, "evaluation.incompetent_threshold", "threshold", "不称职票比例阈值"
    )
    floor, floor_text, floor_source = _share_setting(
        ballot,
        ballot.approval_floor,
        "evaluation.approval_threshold",
        "approval_floor",
        "优秀+称职票比例下限",
    )
    try:
        r = tally_evaluation(sheets=sheets, threshold=threshold, weights=weights, approval_floor=floor)
    except ValueError as exc:
        raise _fail(str(exc)) from None
    return {
        "total": r.total,
        "counts": {str(g): n for g, n in r.counts.items()},
        "shares": {str(g): str(s) for g, s in r.shares.items()},
        "by_category": _suppress(r.by_category, ballot.min_category_size),
        "incompetent_share": str(r.incompetent_share),
        "incompetent_flag": r.incompetent_flag,
        "approval_share": str(r.approval_share),
        "approval_flag": r.approval_flag,
        "threshold": threshold_text,
        "threshold_source": threshold_source,
        "approval_floor": floor_text,
        "approval_floor_source": floor_source,
        "reasons": _reasons_json(r.reasons),
    }


def _recommendation_result(
    ballot: Ballot, item: BallotItem, sheets: list[RecommendationSheet]
) -> dict[str, Any]:
    """Tally one recommendation item (one post) against its reference list."""
    try:
        r = tally_recommendation(
            sheets=sheets, reference=list(item.reference), posts=item.posts, max_choices=ballot.max_choices
        )
    except ValueError as exc:
        raise _fail(f"事项「{item}」：{exc}") from None
    return {
        "total_sheets": r.total_sheets,
        "valid_sheets": r.valid_sheets,
        "invalid_sheets": r.invalid_sheets,
        "votes": dict(r.votes),
        "by_category": _suppress({c: dict(v) for c, v in r.by_category.items()}, ballot.min_category_size),
        "ranking": [list(kv) for kv in r.ranking],
        "write_ins": sorted(r.write_ins),
        "reasons": _reasons_json(r.reasons),
    }


def _paper_result(
    ballot: Ballot, item: BallotItem, paper: PaperCount, sheets: list[RecommendationSheet]
) -> dict[str, Any]:
    """The result of one item counted on paper: void, or the same tally as electronic sheets."""
    base: dict[str, Any] = {"channel": Channel.PAPER, "issued": paper.issued, "returned": paper.returned}
    if paper.void:
        return {**base, "void": True, "passed": False, "reasons": paper.reasons}
    if ballot.kind == BallotKind.RECOMMENDATION:
        return {**base, "void": False, **_recommendation_result(ballot, item, sheets)}
    if ballot.kind == BallotKind.COMMITTEE:
        choices = [CommitteeChoice(k) for k, n in paper.counts.items() for _ in range(n)]
        return {**base, "void": False, **_committee_result(ballot, item, choices)}
    grades = [EvaluationSheet(grade=Grade(k)) for k, n in paper.counts.items() for _ in range(n)]
    return {**base, "void": False, **_evaluation_result(ballot, grades)}


def _apply_meeting_checks(ballot: Ballot, items: list[BallotItem], data: dict[int, dict[str, Any]]) -> None:
    """Void a mass ballot's items when the meeting lacked its quorum or more ballots came back than voters.

    Only when 应到人数 was recorded (REC-09 applies to meetings); then 实到人数 must be recorded too.
    Ballots counted: used codes (electronic) or each item's returned papers (paper).
    """
    if ballot.expected_voters is None:
        return
    if ballot.present_voters is None:
        raise _fail("已登记应到人数，请先登记实到人数再计票。")
    expected, present = ballot.expected_voters, ballot.present_voters
    quorum = policy_value("recommendation.meeting_quorum", _held_on(ballot))
    quorum_verdict = check_meeting_quorum(expected=expected, present=present, quorum=quorum.value)
    used = ballot.credentials.filter(used=True).count() if ballot.channel == Channel.ELECTRONIC else None
    for item in items:
        result = data[item.pk]
        cast = used if used is not None else int(result.get("returned", 0))
        cast_verdict = check_cast_within_present(present=present, cast=cast)
        reasons = [*quorum_verdict.reasons, *cast_verdict.reasons]
        result["meeting"] = {
            "expected": expected,
            "present": present,
            "cast": cast,
            "quorum": quorum.text,
            "quorum_source": quorum.source,
            "quorum_met": quorum_verdict.ok,
        }
        if reasons:
            result["void"] = True
            result["reasons"] = [*_reasons_json(reasons), *result.get("reasons", [])]


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


@dataclass(frozen=True)
class PurgeOutcome:
    """What vacuuming the voting tables achieved: tables vacuumed, tables skipped, dead versions left."""

    tables: int
    skipped: tuple[str, ...]
    remaining: int

    @property
    def ok(self) -> bool:
        """Every table vacuumed and no dead row version left behind."""
        return not self.skipped and self.remaining == 0


# The tables whose dead row versions could tie a voter to a sheet: the sealed sheets (deleted at
# the count), the participation and credential rows written with them, and the opened sheets.
PURGED_TABLES = (SealedSheet, Participation, Credential, Sheet)
_VACUUMED = re.compile(r'finished vacuuming "(?:[^"]*\.)?([^".]+)"')
_NOT_REMOVABLE = re.compile(r"(\d+) are dead but not yet removable")


def dead_versions_vacuum(*, attempts: int = 3) -> PurgeOutcome | None:
    """VACUUM the voting tables on PostgreSQL and verify from its report that no dead version is left.

    Why: a deleted or updated row stays in the table file as a dead version, with the id of the
    transaction that wrote it, until VACUUM removes it. ``VACUUM (VERBOSE)`` says per table how many
    dead versions it had to leave (an older snapshot still open elsewhere); those are retried
    briefly. A table the database user may not vacuum (not its owner) is reported as skipped.
    ``None`` on SQLite, and inside a transaction, where VACUUM cannot run (the test suite's).
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    connection.ensure_connection()
    tables = [model._meta.db_table for model in PURGED_TABLES]
    outcome = PurgeOutcome(tables=len(tables), skipped=tuple(tables), remaining=0)
    raw = connection.connection
    assert raw is not None
    heard: list[str] = []

    def hear(diagnostic: Any) -> None:
        heard.append(str(diagnostic.message_primary or ""))

    for attempt in range(attempts):
        heard.clear()
        raw.add_notice_handler(hear)
        try:
            with connection.cursor() as cursor:
                for table in tables:
                    cursor.execute(f"VACUUM (VERBOSE, INDEX_CLEANUP ON) {connection.ops.quote_name(table)}")
        finally:
            raw.remove_notice_handler(hear)
        vacuumed = {m.group(1) for text in heard for m in _VACUUMED.finditer(text)}
        remaining = sum(int(m.group(1)) for text in heard for m in _NOT_REMOVABLE.finditer(text))
        outcome = PurgeOutcome(
            tables=len(tables), skipped=tuple(t for t in tables if t not in vacuumed), remaining=remaining
        )
        if outcome.ok or outcome.skipped:
            break
        time.sleep(0.2 * (attempt + 1))
    return outcome


def _purge_record(*, actor: User | None, ballot: Ballot, outcome: PurgeOutcome) -> None:
    """Stamp the ballot purged when the vacuum verified clean, and audit the outcome (counts only)."""
    with transaction.atomic(durable=True):
        ballot = _locked(ballot)
        if outcome.ok:
            ballot.purged_at = timezone.now()
            ballot.save(update_fields=["purged_at"])
        audit_record(
            actor=actor,
            event_type="voting.dead_versions_purged",
            target=ballot,
            after={
                "purged": outcome.ok,
                "tables": outcome.tables,
                "tables_skipped": len(outcome.skipped),
                "dead_remaining": outcome.remaining,
            },
            unit_id=ballot.unit_id,
        )


def ballot_purge(*, actor: User, ballot: Ballot) -> PurgeOutcome | None:
    """Vacuum the voting tables again after a count whose purge was not verified; ``None`` off PostgreSQL.

    Not one durable transaction like other services: VACUUM cannot run inside a transaction, so
    the vacuum runs first and its outcome is then recorded (and audited) in a transaction of its own.
    """
    ballot = Ballot.objects.select_related("unit").get(pk=ballot.pk)
    _require_manage(actor, ballot.unit)
    if ballot.status not in RESULT_STATUSES or ballot.channel != Channel.ELECTRONIC:
        raise _fail(MSG_STATUS.format(status=BallotStatus(ballot.status).label, action="清除旧版本"))
    outcome = dead_versions_vacuum()
    if outcome is not None:
        _purge_record(actor=actor, ballot=ballot, outcome=outcome)
    return outcome


def dead_versions_purge_pending(*, actor: User | None) -> PurgeOutcome | None:
    """Vacuum the voting tables and record the outcome on every counted ballot not yet verified clean.

    For ``manage.py voting_purge``, run by the database owner when the application's account may
    not vacuum (``actor`` None: recorded as 「系统」). ``None`` off PostgreSQL.
    """
    outcome = dead_versions_vacuum()
    if outcome is None:
        return None
    pending = Ballot.objects.filter(status__in=RESULT_STATUSES, purged_at__isnull=True).exclude(public_key="")
    for ballot in pending:
        _purge_record(actor=actor, ballot=ballot, outcome=outcome)
    return outcome


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
