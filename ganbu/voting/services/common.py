"""Shared by the ballot services: messages, codes, permission and status checks, policy settings."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any, ParamSpec, TypeVar

from django.utils import timezone

from ganbu.accounts.models import User
from ganbu.core.access import Cap, can_edit_unit, has_cap, units_for
from ganbu.core.audit import audit_record
from ganbu.core.errors import ServiceError
from ganbu.policy.selectors import policy_value
from ganbu.registry.models import Unit
from ganbu.rules.types import Reason

from ..choices import TRANSITIONS, BallotStatus
from ..models import (
    Ballot,
)

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
