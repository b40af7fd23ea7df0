"""Setting a ballot up: draft, items, roster, attendance, recusals, opening (its key), credentials."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from ganbu.accounts.models import User
from ganbu.core.audit import audit_record
from ganbu.policy.selectors import policy_value
from ganbu.registry.models import Cadre, FamilyMember, Post, Unit
from ganbu.rules.avoidance import Key, Relative, recusal_needed

from .. import sealing
from ..choices import COMMITTEE_CATEGORY, BallotKind, BallotStatus, Channel, ItemAction
from ..models import (
    Ballot,
    BallotItem,
    Credential,
    Participation,
    Recusal,
    SealedSheet,
    Voter,
)
from .common import (
    DEFAULT_KEY_HOLDERS,
    DEFAULT_KEY_THRESHOLD,
    MAX_CREDENTIALS_PER_ISSUE,
    MSG_ITEM_OTHER_BALLOT,
    MSG_KEY_SETTINGS,
    MSG_NOT_MEMBER,
    MSG_STATUS,
    MSG_WRONG_CHANNEL,
    MSG_WRONG_KIND,
    P,
    R,
    _fail,
    _locked,
    _parse_share,
    _parse_threshold,
    _parse_weights,
    _require_manage,
    _require_status,
    _transition,
    hash_code,
    new_credential_code,
)

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
