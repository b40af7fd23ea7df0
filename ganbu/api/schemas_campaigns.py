"""Request and response schemas of the competitive selection (竞争性选拔) endpoints.

The eligibility rules and the stage plan travel as the rules' own JSON (``EligibilitySpec`` and
``StagePlan``, see ``ganbu.rules.campaign``); the service validates them and answers 422 with the
rules' Chinese message. Scores are exact decimals written as strings (``"85.50"``), never floats.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints

from ganbu.campaigns.choices import ApplicationStatus, CampaignKind, Outcome
from ganbu.registry.choices import ReserveLevel

from .schemas import (
    BirthDate,
    Date,
    Id,
    IdNumberText,
    InputSchema,
    Name50,
    Name100,
    Name200,
    Text20,
    Text50,
    Text100,
    _no_nul,
)

Text40 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=40), AfterValidator(_no_nul)]
Text300 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300), AfterValidator(_no_nul)]
Name300 = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), AfterValidator(_no_nul)
]
Announcement = Annotated[str, StringConstraints(min_length=1, max_length=20000), AfterValidator(_no_nul)]

if TYPE_CHECKING:
    KindCode = str
    ReserveLevelCode = str
    StatusFilter = str
else:
    KindCode = Literal[tuple(CampaignKind.values)]
    ReserveLevelCode = Literal[("", *ReserveLevel.values)]
    StatusFilter = Literal[("", *ApplicationStatus.values)]


# ---------------------------------------------------------------- campaigns


class CampaignIn(InputSchema):
    """A new campaign in draft (``services.campaign_create``).

    ``eligibility`` is an ``EligibilitySpec`` as JSON (e.g. ``{"max_age": 35, "min_education":
    "junior_college", "political_statuses": ["cpc"]}``); ``stages`` a ``StagePlan`` as JSON, or
    omitted for the kind's default plan (``rules.default_plan``).
    """

    kind: KindCode
    title: Name200
    unit_id: Id = Field(description="组织单位")
    announcement: Announcement
    registration_start: Date
    registration_end: Date
    cutoff: Date = Field(description="资格条件计算截止日")
    eligibility: dict[str, Any] = Field(description="报名条件（EligibilitySpec JSON）")
    stages: dict[str, Any] | None = Field(
        None, description="考试环节方案（StagePlan JSON）；省略则用默认方案"
    )
    allow_second_choice: bool = False
    reserve_top_n: int = Field(0, ge=0, le=999, description="未任用者列入后备干部的名次线，0 为不列入")
    reserve_level: ReserveLevelCode = ""
    scope_unit_ids: list[Id] = Field(default_factory=list, max_length=200, description="报名范围（单位）")


class CampaignPostOut(Schema):
    """A post offered, with its places and the first-choice applications."""

    id: int = Field(description="选拔职位 id（报名志愿填此 id）")
    post_id: int
    name: str
    places: int
    applications: int
    qualified: int


class CampaignSummaryOut(Schema):
    """A campaign in the list."""

    id: int
    kind: str
    kind_label: str
    title: str
    unit_id: int
    unit_name: str
    status: str
    status_label: str
    registration_start: dt.date
    registration_end: dt.date
    posts_count: int
    applications_count: int

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        """The kind in Chinese."""
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_unit_name(obj: Any) -> str:
        """The organising unit's name."""
        return str(obj.unit.name)

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        """The status in Chinese."""
        return str(obj.get_status_display())


class CampaignOut(Schema):
    """A campaign: the announcement, its rules as data and in words, the posts, the counts."""

    id: int
    kind: str
    kind_label: str
    title: str
    unit_id: int
    status: str
    status_label: str
    announcement: str
    registration_start: dt.date
    registration_end: dt.date
    cutoff: dt.date
    eligibility: dict[str, Any]
    conditions: list[str] = Field(description="报名条件（文字）")
    stages: dict[str, Any]
    plan: list[str] = Field(description="考试环节与权重（文字）")
    allow_second_choice: bool
    reserve_top_n: int
    reserve_level: str
    scope_unit_ids: list[int]
    posts: list[CampaignPostOut]
    counts: dict[str, int] = Field(description="各状态的报名数")


class PostAddIn(InputSchema):
    """A post offered in a draft campaign, within the unit's quota."""

    post_id: Id
    places: int = Field(1, ge=1, le=999)


# ---------------------------------------------------------------- applications


class ApplicantIn(InputSchema):
    """An outside applicant's declared facts (codes as in the registry)."""

    name: Name50
    gender: Literal["M", "F"]
    birth_date: BirthDate
    id_number: IdNumberText
    political_status: Text20 = Field(description="政治面貌代码，如 cpc")
    education: Text20 = Field(description="学历代码，如 university")
    work_start_date: Date | None = None
    rank: Text20 = ""
    rank_since: Date | None = None
    unit_name: Text100 = ""
    post_text: Text100 = ""
    last_year_rating: Text20 = Field("", description="上一年度考核等次代码，如 competent")
    phone: Text50 = ""


class ApplicationIn(InputSchema):
    """Staff enter one application: ``cadre_id`` of a registry cadre, or an outside ``applicant``."""

    first_choice_id: Id = Field(description="选拔职位 id")
    second_choice_id: Id | None = None
    cadre_id: Id | None = None
    applicant: ApplicantIn | None = None


class BulkRowIn(InputSchema):
    """One registry cadre and their choices."""

    cadre_id: Id
    first_choice_id: Id
    second_choice_id: Id | None = None


class BulkIn(InputSchema):
    """Many registry cadres at once: all or nothing, errors by row."""

    rows: list[BulkRowIn] = Field(min_length=1, max_length=1000)


class CountOut(Schema):
    """How many were written."""

    count: int


class FindingOut(Schema):
    """One eligibility finding: the rule, the message naming the fact, the citation."""

    rule: str
    message: str
    citation: str
    severity: str


class ApplicationOut(Schema):
    """An application: who, the choices, the findings, the review and where it stands."""

    id: int
    ticket: str
    name: str
    gender: str
    birth_date: dt.date
    cadre_id: int | None
    unit_id: int | None = Field(description="在册干部的所在单位")
    unit_name: str
    first_choice_id: int
    second_choice_id: int | None
    status: str
    status_label: str
    findings: list[FindingOut]
    review_note: str
    exceptional: bool = Field(description="破格入围")
    stage_reached: str
    total: Decimal | None
    place: int | None
    assigned_post_id: int | None
    outcome: str
    outcome_label: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        """The applicant's name."""
        return str(obj.applicant.name)

    @staticmethod
    def resolve_gender(obj: Any) -> str:
        """M or F."""
        return str(obj.applicant.gender)

    @staticmethod
    def resolve_birth_date(obj: Any) -> dt.date:
        """The birth date."""
        value: dt.date = obj.applicant.birth_date
        return value

    @staticmethod
    def resolve_cadre_id(obj: Any) -> int | None:
        """The registry cadre, if any."""
        value: int | None = obj.applicant.cadre_id
        return value

    @staticmethod
    def resolve_unit_id(obj: Any) -> int | None:
        """The registry unit, if any."""
        value: int | None = obj.applicant.unit_id
        return value

    @staticmethod
    def resolve_unit_name(obj: Any) -> str:
        """The unit as declared or copied."""
        return str(obj.applicant.unit_name)

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        """The status in Chinese."""
        return str(ApplicationStatus(obj.status).label)

    @staticmethod
    def resolve_exceptional(obj: Any) -> bool:
        """Admitted as an exception by the leadership."""
        return obj.exception_approver_id is not None

    @staticmethod
    def resolve_outcome_label(obj: Any) -> str:
        """The outcome in Chinese."""
        return str(Outcome(obj.outcome).label)


class ScoreOut(Schema):
    """One stage score and where it came from."""

    stage: str
    score: Decimal
    absent: bool
    source: str


class ApplicationDetailOut(ApplicationOut):
    """An application with its stage scores."""

    scores: list[ScoreOut]

    @staticmethod
    def resolve_scores(obj: Any) -> list[Any]:
        """The scores the endpoint attached."""
        rows: list[Any] = obj.score_rows
        return rows


class ApplicationQuery(Schema):
    """Filters of the application list (all optional); ``unit_id`` is the per-unit view."""

    status: StatusFilter = ""
    post_id: int | None = Field(None, ge=1, description="选拔职位 id（第一或第二志愿）")
    stage: Text40 = Field("", description="已进入环节代码")
    q: Text40 = Field("", description="姓名、准考证号或工作单位")
    unit_id: int | None = Field(None, ge=1, description="报名人所在单位（含下级单位）")


class ReviewIn(InputSchema):
    """资格审查: pass or reject with a note; ``exceptional`` = 破格入围 (leadership only)."""

    passed: bool
    note: Text300 = ""
    exceptional: bool = False


class ApplicationWithdrawIn(InputSchema):
    """Why the applicant withdraws."""

    reason: Name300


# ---------------------------------------------------------------- scores, stages, panels


class ScoreIn(InputSchema):
    """One score by hand: a decimal as a string (at most two places), or absent."""

    score: Text20 = ""
    absent: bool = False


class ScoreRowIn(InputSchema):
    """One imported score: the applicant by ID number or ticket."""

    who: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
    score: Text20 = ""
    absent: bool = False


class ScoresImportIn(InputSchema):
    """A stage's scores, all or none; ``source`` names the sheet (笔试成绩单 …)."""

    rows: list[ScoreRowIn] = Field(min_length=1, max_length=5000)
    source: Name100


class BallotScoresIn(InputSchema):
    """The counted 民主测评 ballot a stage's scores come from."""

    ballot_id: Id


class AdvanceIn(InputSchema):
    """Let the candidates through; for a stage without a ratio, who does not go on and why."""

    exclude_ids: list[Id] = Field(default_factory=list, max_length=1000)
    reason: Text300 = ""


class AdvanceOut(Schema):
    """Who went on: the count, the cut list's sentence and its notes (ties at the line …)."""

    stage: str
    next_stage: str
    passed: int
    summary: str
    notes: list[str]


class CriterionIn(InputSchema):
    """One 评分要素 and its maximum (a decimal as a string)."""

    key: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]
    label: Name50
    maximum: Text20


class PanelIn(InputSchema):
    """An interview panel: judges (users of the judge role), criteria, trimming, candidates."""

    stage: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
    name: Text100 = ""
    judge_ids: list[Id] = Field(min_length=1, max_length=50)
    criteria: list[CriterionIn] = Field(min_length=1, max_length=20)
    application_ids: list[Id] = Field(min_length=1, max_length=1000)
    drop_high: int = Field(1, ge=0, le=5)
    drop_low: int = Field(1, ge=0, le=5)


class PanelOut(Schema):
    """An interview panel and how far its judges are."""

    id: int
    stage: str
    name: str
    judge_ids: list[int]
    criteria: list[dict[str, Any]]
    drop_high: int
    drop_low: int
    locked: bool
    candidates: int
    sheets: int


# ---------------------------------------------------------------- ranking and outcome


class RankedOut(Schema):
    """One ranked applicant: the place in Chinese, the total, the post and the placement's reason."""

    application_id: int
    name: str
    place: int
    note: str
    total: Decimal
    assigned_post_id: int | None
    placement: str = Field(description="职位分配说明；未进入最后环节的为空")
    outcome: str


class RankingOut(Schema):
    """The ranking and allocation, with the tie rules and the allocation's method in Chinese."""

    entries: list[RankedOut]
    tie_rules: list[str]
    method: str
    notes: list[str]
    citation: str


class DecideIn(InputSchema):
    """The appointees, among those allocated (at most the places of each post)."""

    application_ids: list[Id] = Field(min_length=1, max_length=1000)


class CampaignDayIn(InputSchema):
    """A day."""

    on: Date


class ReserveEntryOut(Schema):
    """One person for the reserve pool."""

    application_id: int
    name: str
    place: str


class ReservePoolOut(Schema):
    """The reserve pool: who, and the sentence for the record."""

    summary: str
    entries: list[ReserveEntryOut]
    citation: str


class HandOverOut(Schema):
    """The appointment procedure's record the finalists went into."""

    record_id: int
    title: str


class PostStatisticsOut(Schema):
    """One post's competition."""

    campaign_post_id: int
    name: str
    places: int
    applicants: int
    eligible: int
    ratio: str
    eligible_ratio: str


class StatisticsOut(Schema):
    """The report's figures on a day, as sentences and as numbers."""

    on: dt.date
    lines: list[str]
    applicants: int
    eligible: int
    posts: int
    appointed: int
    ratio: str
    eligible_ratio: str
    men: int
    women: int
    party: int
    non_party: int
    per_post: list[PostStatisticsOut]


class StatisticsQuery(Schema):
    """The day ages are counted on (default today)."""

    on: Date | None = None
