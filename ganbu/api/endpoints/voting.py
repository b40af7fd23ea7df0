"""Voting (投票): set up, run, count and publish ballots; cast with a one-time code or as a member.

Every operation calls ``ganbu.voting.services`` or ``ganbu.voting.selectors``. Staff operations
need a token or session like the rest of the API; casting with a code needs no login, because the
code is the credential, and the published receipt list is public by design. A replayed code is a
409 (``CredentialUsedError``); an unknown code, bad content, or a ballot that is not open is the
service's refusal, 422.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.params import functions as param
from ninja.responses import Status

from ganbu.accounts.models import User
from ganbu.core.access import Cap, has_cap
from ganbu.core.downloads import document_response
from ganbu.core.errors import ServiceError
from ganbu.registry import selectors as registry_selectors
from ganbu.voting import selectors, services
from ganbu.voting.models import Ballot, BallotItem
from ganbu.voting.result_sheet import result_sheet

from ..common import READ_ERRORS, WRITE_ERRORS, actor, referenced
from ..schemas import MAX_ID, ErrorOut
from ..schemas_voting import (
    AttendanceIn,
    BallotIn,
    BallotOut,
    CastIn,
    CommitteeCastIn,
    CredentialsIn,
    CredentialsOut,
    ItemIn,
    ItemOut,
    ItemResultOut,
    KeyIn,
    MeetingAttendanceIn,
    MemberIn,
    MemberOut,
    OpenOut,
    PaperCountIn,
    PaperCountOut,
    PaperSheetIn,
    PaperSheetsOut,
    ProgressOut,
    PurgeOut,
    ReceiptOut,
    ReceiptsOut,
    RecusalIn,
    ResultsOut,
    RosterMemberOut,
    TallyIn,
)

router = Router(tags=["投票"])

BallotId = param.Path(..., ge=1, le=MAX_ID, description="投票 id")
VoterId = param.Path(..., ge=1, le=MAX_ID, description="成员 id（名单中的记录 id）")
ItemId = param.Path(..., ge=1, le=MAX_ID, description="事项 id")
CAST_ERRORS: dict[int, Any] = {404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
MSG_UNIT = "单位不存在或不在您的管理范围内。"
MSG_CADRE = "干部不存在或不在您的管理范围内。"
MSG_POST = "职位不存在或不在您的管理范围内。"
MSG_USER = "用户不存在或已停用。"
MSG_ITEM = "该事项不属于本次投票。"
MSG_BALLOT_NOT_FOUND = "投票不存在。"


def _ballot(user: User, ballot_id: int) -> Ballot:
    """A ballot the user may see (``selectors.ballots_for``); missing and out of scope are both 404."""
    ballot = selectors.ballots_for(user).select_related("unit").filter(pk=ballot_id).first()
    if ballot is None:
        raise Http404(MSG_BALLOT_NOT_FOUND)
    return ballot


def _public_ballot(ballot_id: int) -> Ballot:
    """Any ballot by id, for casting with a code: the code, not a login, says who may cast."""
    return selectors.ballot_get_public(ballot_id=ballot_id)


def _items(ballot: Ballot, field: str, ids: list[int]) -> list[BallotItem]:
    """Items of ``ballot`` named in the body; an id of another ballot is a 422 on ``field``."""
    items = selectors.ballot_items_in(ballot=ballot, ids=ids)
    if len(items) != len(set(ids)):
        raise ServiceError({field: [MSG_ITEM]})
    return items


def _user(user_id: int) -> User:
    """An active user named as a committee member; otherwise a 422 on ``user_id``."""
    user = selectors.member_candidate_get(user_id=user_id)
    if user is None:
        raise ServiceError({"user_id": [MSG_USER]})
    return user


# ---------------------------------------------------------------- set-up


@router.post(
    "/voting/ballots",
    response={201: BallotOut, **WRITE_ERRORS},
    summary="新建投票（草稿）",
    operation_id="ballot_create",
)
def ballot_create(request: HttpRequest, payload: BallotIn) -> Any:
    """Create a draft ballot for a unit in the caller's scope (``services.ballot_create``)."""
    user = actor(request)
    unit = referenced(
        "unit_id", MSG_UNIT, lambda: registry_selectors.unit_get_for_user(user=user, unit_id=payload.unit_id)
    )
    ballot = services.ballot_create(
        actor=user,
        kind=payload.kind,
        title=payload.title,
        unit=unit,
        channel=payload.channel,
        max_choices=payload.max_choices,
        threshold=payload.threshold,
        approval_floor=payload.approval_floor,
        min_category_size=payload.min_category_size,
        category_weights=payload.category_weights,
        expected_voters=payload.expected_voters,
    )
    return Status(201, ballot)


@router.get(
    "/voting/ballots/{ballot_id}",
    response={200: BallotOut, **READ_ERRORS},
    summary="投票详情",
    operation_id="ballot_get",
)
def ballot_get(request: HttpRequest, ballot_id: int = BallotId) -> Any:
    """A ballot the caller may see, with its status (no content, no counts)."""
    return _ballot(actor(request), ballot_id)


@router.post(
    "/voting/ballots/{ballot_id}/items",
    response={201: ItemOut, **WRITE_ERRORS},
    summary="添加投票事项",
    operation_id="ballot_item_add",
)
def ballot_item_add(request: HttpRequest, payload: ItemIn, ballot_id: int = BallotId) -> Any:
    """Add an item to a draft ballot (``services.ballot_item_add``)."""
    user = actor(request)
    ballot = _ballot(user, ballot_id)
    cadre_id, post_id = payload.cadre_id, payload.post_id
    cadre = (
        referenced(
            "cadre_id", MSG_CADRE, lambda: registry_selectors.cadre_get_for_user(user=user, cadre_id=cadre_id)
        )
        if cadre_id is not None
        else None
    )
    post = (
        referenced(
            "post_id", MSG_POST, lambda: registry_selectors.post_get_for_user(user=user, post_id=post_id)
        )
        if post_id is not None
        else None
    )
    item = services.ballot_item_add(
        actor=user,
        ballot=ballot,
        label=payload.label,
        cadre=cadre,
        post=post,
        action=payload.action,
        reference=payload.reference,
        posts=payload.posts,
    )
    return Status(201, item)


@router.post(
    "/voting/ballots/{ballot_id}/members",
    response={201: MemberOut, **WRITE_ERRORS},
    summary="添加票决成员",
    operation_id="committee_member_add",
)
def committee_member_add(request: HttpRequest, payload: MemberIn, ballot_id: int = BallotId) -> Any:
    """Put a member on a draft committee vote's roster (``services.committee_member_add``)."""
    user = actor(request)
    ballot = _ballot(user, ballot_id)
    voter = services.committee_member_add(
        actor=user,
        ballot=ballot,
        user=_user(payload.user_id),
        attended=payload.attended,
        recused_items=_items(ballot, "recused_item_ids", payload.recused_item_ids),
    )
    return Status(201, voter)


@router.put(
    "/voting/ballots/{ballot_id}/members/{voter_id}/attendance",
    response={200: MemberOut, **WRITE_ERRORS},
    summary="登记成员到会情况",
    operation_id="committee_attendance_set",
)
def committee_attendance_set(
    request: HttpRequest, payload: AttendanceIn, ballot_id: int = BallotId, voter_id: int = VoterId
) -> Any:
    """Record whether a member is present (``services.committee_attendance_set``)."""
    user = actor(request)
    ballot = _ballot(user, ballot_id)
    voter = selectors.ballot_voter_get(ballot=ballot, voter_id=voter_id)
    return services.committee_attendance_set(
        actor=user, ballot=ballot, voter=voter, attended=payload.attended
    )


@router.get(
    "/voting/ballots/{ballot_id}/items",
    response={200: list[ItemOut], **READ_ERRORS},
    summary="投票事项",
    operation_id="ballot_items",
)
def ballot_items(request: HttpRequest, ballot_id: int = BallotId) -> Any:
    """The items of a ballot the caller may see, in order."""
    return list(_ballot(actor(request), ballot_id).items.order_by("sort_order", "id"))


@router.get(
    "/voting/ballots/{ballot_id}/members",
    response={200: list[RosterMemberOut], **READ_ERRORS},
    summary="票决成员名单（含到会与回避）",
    operation_id="committee_roster",
)
def committee_roster(request: HttpRequest, ballot_id: int = BallotId) -> Any:
    """The roster with attendance and recusals (``selectors.ballot_roster``)."""
    ballot = _ballot(actor(request), ballot_id)
    return [
        {
            "id": v.pk,
            "user_id": v.user_id,
            "category": v.category,
            "attended": v.attended,
            "name": str(v.user),
            "recusals": [
                {"item_id": r.item_id, "reason": r.reason, "automatic": r.automatic} for r in v.recusals.all()
            ],
        }
        for v in selectors.ballot_roster(ballot=ballot)
    ]


@router.delete(
    "/voting/ballots/{ballot_id}/members/{voter_id}",
    response={204: None, **WRITE_ERRORS},
    summary="移出票决成员（草稿）",
    operation_id="committee_member_remove",
)
def committee_member_remove(request: HttpRequest, ballot_id: int = BallotId, voter_id: int = VoterId) -> Any:
    """Take a member off a draft roster (``services.committee_member_remove``)."""
    user = actor(request)
    ballot = _ballot(user, ballot_id)
    voter = selectors.ballot_voter_get(ballot=ballot, voter_id=voter_id)
    services.committee_member_remove(actor=user, ballot=ballot, voter=voter)
    return Status(204, None)


@router.put(
    "/voting/ballots/{ballot_id}/members/{voter_id}/recusals/{item_id}",
    response={200: RosterMemberOut, **WRITE_ERRORS},
    summary="登记或取消成员对某事项的回避",
    operation_id="committee_recusal_set",
)
def committee_recusal_set(
    request: HttpRequest,
    payload: RecusalIn,
    ballot_id: int = BallotId,
    voter_id: int = VoterId,
    item_id: int = ItemId,
) -> Any:
    """Recuse a member from an item with a reason, or lift a manual recusal.

    Calls ``services.committee_recusal_set``.
    """
    user = actor(request)
    ballot = _ballot(user, ballot_id)
    voter = selectors.ballot_voter_get(ballot=ballot, voter_id=voter_id)
    items = selectors.ballot_items_in(ballot=ballot, ids=[item_id])
    if not items:
        raise Http404(MSG_ITEM)
    services.committee_recusal_set(
        actor=user, ballot=ballot, voter=voter, item=items[0], recused=payload.recused, reason=payload.reason
    )
    member = next(v for v in selectors.ballot_roster(ballot=ballot) if v.pk == voter.pk)
    return {
        "id": member.pk,
        "user_id": member.user_id,
        "category": member.category,
        "attended": member.attended,
        "name": str(member.user),
        "recusals": [
            {"item_id": r.item_id, "reason": r.reason, "automatic": r.automatic}
            for r in member.recusals.all()
        ],
    }


@router.put(
    "/voting/ballots/{ballot_id}/attendance",
    response={200: BallotOut, **WRITE_ERRORS},
    summary="登记会议应到、实到人数（民主推荐、测评）",
    operation_id="ballot_attendance_record",
)
def ballot_attendance_record(
    request: HttpRequest, payload: MeetingAttendanceIn, ballot_id: int = BallotId
) -> Any:
    """Record 应到 / 实到 (``services.ballot_attendance_record``); the count then checks the quorum."""
    user = actor(request)
    return services.ballot_attendance_record(
        actor=user, ballot=_ballot(user, ballot_id), expected=payload.expected, present=payload.present
    )


# ---------------------------------------------------------------- life cycle


def _opened(user: User, ballot_id: int, shares: list[str]) -> dict[str, Any]:
    """The ballot as ``BallotOut`` plus the key shares of this response."""
    ballot = _ballot(user, ballot_id)
    return {**BallotOut.model_validate(ballot).model_dump(), "key_shares": shares}


@router.post(
    "/voting/ballots/{ballot_id}/open",
    response={200: OpenOut, **WRITE_ERRORS},
    summary="开始投票（返回监票人密钥份额，仅此一次）",
    description=(
        "电子投票开始时生成本次投票的加密密钥：选票投出即加密保存，私钥不存入数据库，"
        "拆分为 `key_holders` 份交各监票人，计票时须至少 `key_threshold` 份（`/tally` 的 `key_shares`）。"
        "份额只在本响应中返回一次。"
    ),
    operation_id="ballot_open",
)
def ballot_open(request: HttpRequest, payload: KeyIn, ballot_id: int = BallotId) -> Any:
    """Open the ballot; items and roster freeze; the key shares come back once (``services.ballot_open``)."""
    user = actor(request)
    shares = services.ballot_open(
        actor=user,
        ballot=_ballot(user, ballot_id),
        key_holders=payload.key_holders,
        key_threshold=payload.key_threshold,
    )
    return _opened(user, ballot_id, shares)


@router.post(
    "/voting/ballots/{ballot_id}/key",
    response={200: OpenOut, **WRITE_ERRORS},
    summary="重新生成监票人密钥份额（仅在尚无人投票时）",
    operation_id="ballot_key_renew",
)
def ballot_key_renew(request: HttpRequest, payload: KeyIn, ballot_id: int = BallotId) -> Any:
    """A new key for an open ballot nobody has voted on yet (``services.ballot_key_renew``)."""
    user = actor(request)
    shares = services.ballot_key_renew(
        actor=user,
        ballot=_ballot(user, ballot_id),
        key_holders=payload.key_holders,
        key_threshold=payload.key_threshold,
    )
    return _opened(user, ballot_id, shares)


@router.post(
    "/voting/ballots/{ballot_id}/credentials",
    response={201: CredentialsOut, **WRITE_ERRORS},
    summary="发放投票码（仅此一次显示）",
    operation_id="credentials_issue",
)
def credentials_issue(request: HttpRequest, payload: CredentialsIn, ballot_id: int = BallotId) -> Any:
    """Issue one-time codes (``services.credentials_issue``); the response is the only copy of them."""
    user = actor(request)
    codes = services.credentials_issue(
        actor=user, ballot=_ballot(user, ballot_id), category=payload.category, count=payload.count
    )
    return Status(201, {"category": payload.category, "count": len(codes), "codes": codes})


@router.get(
    "/voting/ballots/{ballot_id}/progress",
    response={200: ProgressOut, **READ_ERRORS},
    summary="投票进度（仅发放数与已投数）",
    operation_id="ballot_progress",
)
def ballot_progress(request: HttpRequest, ballot_id: int = BallotId) -> Any:
    """Issued and used counts only (``selectors.ballot_progress``)."""
    return selectors.ballot_progress(user=actor(request), ballot_id=ballot_id)


@router.post(
    "/voting/ballots/{ballot_id}/close",
    response={200: BallotOut, **WRITE_ERRORS},
    summary="结束投票",
    operation_id="ballot_close",
)
def ballot_close(request: HttpRequest, ballot_id: int = BallotId) -> Any:
    """Close the ballot: casts accepted before count, none after (``services.ballot_close``)."""
    user = actor(request)
    return services.ballot_close(actor=user, ballot=_ballot(user, ballot_id))


@router.post(
    "/voting/ballots/{ballot_id}/tally",
    response={200: BallotOut, **WRITE_ERRORS},
    summary="计票（电子投票须提供监票人密钥份额）",
    description=(
        "电子投票：`key_shares` 为到场监票人输入的密钥份额（至少开始投票时规定的份数），"
        "在内存中还原密钥、开启选票后计票；份额不保存。纸质投票不需要份额。"
    ),
    operation_id="ballot_tally",
)
def ballot_tally(request: HttpRequest, payload: TallyIn, ballot_id: int = BallotId) -> Any:
    """Count every item and store the results (``services.ballot_tally``)."""
    user = actor(request)
    ballot = _ballot(user, ballot_id)
    services.ballot_tally(actor=user, ballot=ballot, key_shares=payload.key_shares)
    return _ballot(user, ballot_id)


@router.post(
    "/voting/ballots/{ballot_id}/purge",
    response={200: PurgeOut, **WRITE_ERRORS},
    summary="清除投票数据表中的旧版本并核实",
    operation_id="ballot_purge",
)
def ballot_purge(request: HttpRequest, ballot_id: int = BallotId) -> Any:
    """Vacuum the voting tables again after a count (``services.ballot_purge``); PostgreSQL only."""
    user = actor(request)
    outcome = services.ballot_purge(actor=user, ballot=_ballot(user, ballot_id))
    if outcome is None:
        return {"supported": False, "purged": False, "tables_skipped": 0, "dead_remaining": 0}
    return {
        "supported": True,
        "purged": outcome.ok,
        "tables_skipped": len(outcome.skipped),
        "dead_remaining": outcome.remaining,
    }


@router.post(
    "/voting/ballots/{ballot_id}/publish",
    response={200: BallotOut, **WRITE_ERRORS},
    summary="公布结果与回执",
    operation_id="ballot_publish",
)
def ballot_publish(request: HttpRequest, ballot_id: int = BallotId) -> Any:
    """Publish the results and the receipt list (``services.ballot_publish``)."""
    user = actor(request)
    return services.ballot_publish(actor=user, ballot=_ballot(user, ballot_id))


@router.get(
    "/voting/ballots/{ballot_id}/results",
    response={200: ResultsOut, **READ_ERRORS},
    summary="投票结果",
    operation_id="ballot_results",
)
def ballot_results(request: HttpRequest, ballot_id: int = BallotId) -> Any:
    """Results of a counted ballot for those who may see them, else 404 (``selectors.ballot_results``)."""
    ballot, items = selectors.ballot_results(user=actor(request), ballot_id=ballot_id)
    return {
        "ballot": ballot,
        "items": [ItemResultOut(item_id=i.item_id, label=i.label, data=i.data) for i in items],
    }


class SheetFormat(Schema):
    """Which file to produce."""

    format: Literal["docx", "pdf"] = "pdf"


@router.get(
    "/voting/ballots/{ballot_id}/result-sheet",
    response={200: None, **READ_ERRORS},
    summary="计票结果报告单（.docx 或 .pdf，含监票人、计票人签字处）",
    operation_id="ballot_result_sheet",
)
def ballot_result_sheet(request: HttpRequest, query: Query[SheetFormat], ballot_id: int = BallotId) -> Any:
    """The result sheet as a file, for those who may see the results (404 otherwise)."""
    ballot, items = selectors.ballot_results(user=actor(request), ballot_id=ballot_id)
    return document_response(result_sheet(ballot, items), query.format, f"计票结果报告单-{ballot.pk}")


# ---------------------------------------------------------------- paper ballots (计票 / 监票)


def _paper_out(ballot: Ballot) -> list[dict[str, Any]]:
    """Every entered paper count of a ballot, by item order."""
    papers = selectors.paper_counts_of(ballot=ballot)
    return [
        {
            "item_id": p.item_id,
            "counts": p.counts,
            "issued": p.issued,
            "returned": p.returned,
            "entered_by": str(p.entered_by),
            "confirmed_by": str(p.confirmed_by) if p.confirmed_by else None,
            "void": p.void,
        }
        for item_id, p in sorted(papers.items())
    ]


@router.get(
    "/voting/ballots/{ballot_id}/paper",
    response={200: list[PaperCountOut], **READ_ERRORS},
    summary="纸质计票录入与确认情况",
    operation_id="paper_counts_list",
)
def paper_counts_list(request: HttpRequest, ballot_id: int = BallotId) -> Any:
    """The entered paper counts and who entered and confirmed each (staff who manage or witness)."""
    user = actor(request)
    if not has_cap(user, Cap.BALLOT_WITNESS):
        raise Http404(MSG_BALLOT_NOT_FOUND)
    return _paper_out(_ballot(user, ballot_id))


@router.put(
    "/voting/ballots/{ballot_id}/paper/{item_id}",
    response={200: PaperCountOut, **WRITE_ERRORS},
    summary="录入某事项的纸质计票结果（计票人）",
    operation_id="paper_counts_enter",
)
def paper_counts_enter(
    request: HttpRequest, payload: PaperCountIn, ballot_id: int = BallotId, item_id: int = ItemId
) -> Any:
    """Enter or re-enter one item's paper counts before confirmation (``services.paper_counts_enter``)."""
    user = actor(request)
    ballot = _ballot(user, ballot_id)
    (item,) = _items(ballot, "item_id", [item_id])
    services.paper_counts_enter(
        actor=user,
        ballot=ballot,
        item=item,
        counts=payload.counts,
        issued=payload.issued,
        returned=payload.returned,
    )
    return next(p for p in _paper_out(ballot) if p["item_id"] == item.pk)


@router.post(
    "/voting/ballots/{ballot_id}/paper/{item_id}/confirm",
    response={200: PaperCountOut, **WRITE_ERRORS},
    summary="监票确认某事项的计票结果（须另一人）",
    operation_id="paper_counts_confirm",
)
def paper_counts_confirm(request: HttpRequest, ballot_id: int = BallotId, item_id: int = ItemId) -> Any:
    """A second staff member confirms the counts (``services.paper_counts_confirm``).

    More papers returned than issued voids the item.
    """
    user = actor(request)
    ballot = _ballot(user, ballot_id)
    (item,) = _items(ballot, "item_id", [item_id])
    services.paper_counts_confirm(actor=user, ballot=ballot, item=item)
    return next(p for p in _paper_out(ballot) if p["item_id"] == item.pk)


@router.post(
    "/voting/ballots/{ballot_id}/paper-sheets",
    response={201: PaperSheetsOut, **WRITE_ERRORS},
    summary="逐张录入纸质推荐票",
    operation_id="paper_sheet_enter",
)
def paper_sheet_enter(request: HttpRequest, payload: PaperSheetIn, ballot_id: int = BallotId) -> Any:
    """Enter one paper recommendation ballot as written (``services.paper_sheet_enter``)."""
    user = actor(request)
    papers = services.paper_sheet_enter(
        actor=user, ballot=_ballot(user, ballot_id), category=payload.category, content=payload.content
    )
    return Status(201, {"papers": papers})


@router.delete(
    "/voting/ballots/{ballot_id}/paper-sheets",
    response={200: PaperSheetsOut, **WRITE_ERRORS},
    summary="清除已录入的纸质推荐票（确认前，重新录入）",
    operation_id="paper_sheets_clear",
)
def paper_sheets_clear(request: HttpRequest, ballot_id: int = BallotId) -> Any:
    """Discard the entered papers before confirmation (``services.paper_sheets_clear``)."""
    user = actor(request)
    removed = services.paper_sheets_clear(actor=user, ballot=_ballot(user, ballot_id))
    return {"papers": removed}


# ---------------------------------------------------------------- casting


@router.post(
    "/voting/ballots/{ballot_id}/committee-cast",
    response={200: ReceiptOut, **WRITE_ERRORS},
    summary="常委会成员表决",
    operation_id="committee_cast",
)
def committee_cast(request: HttpRequest, payload: CommitteeCastIn, ballot_id: int = BallotId) -> Any:
    """The logged-in member's 同意 / 不同意 / 缓议 on one item (``services.committee_cast``)."""
    user = actor(request)
    ballot = _ballot(user, ballot_id)
    (item,) = _items(ballot, "item_id", [payload.item_id])
    receipt = services.committee_cast(actor=user, ballot=ballot, item=item, choice=payload.choice)
    return {"receipt": receipt}


@router.post(
    "/voting/ballots/{ballot_id}/cast",
    response={200: ReceiptOut, **CAST_ERRORS},
    auth=None,
    summary="凭投票码投票（无需登录）",
    description=(
        '投票码即投票凭证，无需登录。`content` 以事项 id 为键：测评填 `{"grade": "competent"}`，'
        '推荐填 `{"choices": ["姓名", …]}`，须答全部事项。投票码已使用返回 409；'
        "投票码无效、选票内容不正确或投票未在进行中（含已结束）返回 422，投票码不被消耗。"
    ),
    operation_id="ballot_cast",
)
def ballot_cast(request: HttpRequest, payload: CastIn, ballot_id: int = BallotId) -> Any:
    """Cast with a one-time code (``services.ballot_cast_with_credential``); returns the receipt."""
    receipt = services.ballot_cast_with_credential(
        code=payload.code, ballot=_public_ballot(ballot_id), content=payload.content
    )
    return {"receipt": receipt}


@router.get(
    "/voting/ballots/{ballot_id}/receipts",
    response={200: ReceiptsOut, 404: ErrorOut, 422: ErrorOut},
    auth=None,
    summary="已公布的投票回执（公开）",
    operation_id="ballot_receipts",
)
def ballot_receipts(request: HttpRequest, ballot_id: int = BallotId) -> Any:
    """The published receipts (``selectors.ballot_receipts``); 404 before publication."""
    return {"receipts": selectors.ballot_receipts(ballot_id=ballot_id)}
