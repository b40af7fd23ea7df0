"""Request and response schemas of the voting endpoints.

Inputs are strict like the rest of the API (unknown fields refused, texts bounded, no NUL). Ballot
content is passed through as JSON to the service, which alone decides what a valid sheet is; a
refused sheet is a 422 whose message never echoes what was sent.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints

from .schemas import Id, InputSchema, Name50, Name200, Text20, Text100, Text200, _no_nul

Code = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64), AfterValidator(_no_nul)
]


class BallotIn(InputSchema):
    """A new ballot in draft (``services.ballot_create``)."""

    kind: Literal["recommendation", "evaluation", "committee"]
    title: Name200
    unit_id: Id
    channel: Literal["electronic", "paper"] = "electronic"
    max_choices: int = Field(1, ge=1, le=100)
    threshold: Text20 = Field("", description="不称职票比例阈值；留空则按投票开始当日有效的本县政策")
    approval_floor: Text20 = Field("", description="“优秀+称职”票比例下限；留空则按本县政策")
    min_category_size: int | None = Field(None, ge=1, le=1000, description="留空则按本县政策")
    category_weights: dict[Name50, Text20] = Field(default_factory=dict, max_length=50)
    expected_voters: int | None = Field(None, ge=1, le=100000, description="应到人数（民主推荐、测评）")


class BallotOut(Schema):
    """A ballot's settings and where it is in its life cycle (never any content)."""

    id: int
    kind: str
    title: str
    status: str
    channel: str
    unit_id: int
    max_choices: int
    threshold: str
    approval_floor: str
    min_category_size: int
    category_weights: dict[str, Any]
    expected_voters: int | None
    present_voters: int | None
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None
    tallied_at: dt.datetime | None
    published_at: dt.datetime | None
    key_holders: int = Field(description="监票人密钥份数（电子投票开始时确定；纸质投票为 0）")
    key_threshold: int = Field(description="计票时至少需要的密钥份数")


class ItemIn(InputSchema):
    """An item of a draft ballot: cadre × post × action (票决), a cadre (测评) or a post (推荐)."""

    label: Text200 = ""
    cadre_id: Id | None = None
    post_id: Id | None = None
    action: Literal["appointment", "removal", ""] = ""
    reference: list[Text100] = Field(default_factory=list, max_length=500)
    posts: int = Field(1, ge=1, le=100)


class ItemOut(Schema):
    """One item of a ballot."""

    id: int
    sort_order: int
    label: str
    cadre_id: int | None
    post_id: int | None
    action: str
    reference: list[str]
    posts: int


class MemberIn(InputSchema):
    """A member put on a draft committee vote's roster, with attendance and recusals (DEC-06)."""

    user_id: Id
    attended: bool = False
    recused_item_ids: list[Id] = Field(default_factory=list, max_length=500)


class RecusalOut(Schema):
    """An item a member stays out of, and why."""

    item_id: int
    reason: str
    automatic: bool


class MemberOut(Schema):
    """A member on a committee vote's roster."""

    id: int
    user_id: int
    category: str
    attended: bool


class RosterMemberOut(MemberOut):
    """A roster member with their name and recusals."""

    name: str
    recusals: list[RecusalOut]


class RecusalIn(InputSchema):
    """Recuse a member from an item (with the reason), or lift a recusal entered by hand."""

    recused: bool
    reason: Text200 = ""


class MeetingAttendanceIn(InputSchema):
    """The 应到 and 实到 counts of a recommendation or evaluation meeting."""

    expected: int = Field(ge=1, le=100000)
    present: int = Field(ge=0, le=100000)


class PaperCountIn(InputSchema):
    """One item's counts from paper (计票): positions → papers; empty for recommendation papers."""

    counts: dict[Text100, int] = Field(default_factory=dict, max_length=500)
    issued: int = Field(ge=0, le=100000)
    returned: int = Field(ge=0, le=100000)


class PaperCountOut(Schema):
    """The state of one item's paper count."""

    item_id: int
    counts: dict[str, Any]
    issued: int
    returned: int
    entered_by: str
    confirmed_by: str | None
    void: bool


class PaperSheetIn(InputSchema):
    """One paper recommendation ballot as written: item id → ``{"choices": [...]}``."""

    category: Name50
    content: dict[Text20, dict[Text20, Any]] = Field(max_length=500)


class PaperSheetsOut(Schema):
    """How many papers have been entered (or were discarded)."""

    papers: int


class AttendanceIn(InputSchema):
    """Whether a member is present (实到)."""

    attended: bool


class CredentialsIn(InputSchema):
    """How many one-time codes to issue, and for which voter category."""

    category: Name50
    count: int = Field(ge=1, le=5000)


class CredentialsOut(Schema):
    """The issued codes: shown in this response only, never again (only their hashes are kept)."""

    category: str
    count: int
    codes: list[str]


class ProgressOut(Schema):
    """What staff may watch while a ballot runs: counts only."""

    credentials_issued: int
    credentials_used: int
    members: int
    participations: int


class CastIn(InputSchema):
    """A sheet cast with a one-time code: ``content`` maps each item id to that item's answer."""

    code: Code
    content: dict[Text20, dict[Text20, Any]] = Field(max_length=500)


class CommitteeCastIn(InputSchema):
    """A committee member's 同意 / 不同意 / 缓议 on one item."""

    item_id: Id
    choice: Literal["agree", "disagree", "defer"]


class ReceiptOut(Schema):
    """The receipt of a cast: the voter finds it in the published list to check it was counted."""

    receipt: str


class ItemResultOut(Schema):
    """One item's stored result with the rules it applied."""

    item_id: int
    label: str
    data: dict[str, Any]


class ResultsOut(Schema):
    """A counted ballot and its results."""

    ballot: BallotOut
    items: list[ItemResultOut]


class ReceiptsOut(Schema):
    """The published receipts of a ballot, sorted."""

    receipts: list[str]


ShareText = Annotated[str, StringConstraints(max_length=60), AfterValidator(_no_nul)]


class KeyIn(InputSchema):
    """How the ballot key is split among the 监票人 when an electronic ballot opens (or gets a new key)."""

    key_holders: int = Field(3, ge=1, le=9, description="监票人人数（每人一份密钥份额）")
    key_threshold: int = Field(2, ge=1, le=9, description="计票时至少需要的份数")


class OpenOut(BallotOut):
    """The opened ballot and the 监票人's key shares: in this response only, stored nowhere."""

    key_shares: list[str] = Field(description="监票人密钥份额，仅此一次返回；纸质投票为空")


class TallyIn(InputSchema):
    """The 监票人's key shares, typed at the count (any order; blank entries are skipped)."""

    key_shares: list[ShareText] = Field(default_factory=list, max_length=9)


class PurgeOut(Schema):
    """Whether the vacuum after the count was verified: no dead row version left in the voting tables."""

    supported: bool = Field(description="数据库为 PostgreSQL 时为 true；其他数据库不做此项")
    purged: bool
    tables_skipped: int
    dead_remaining: int
