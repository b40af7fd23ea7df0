"""Reads of the public campaign pages, the applicant portal and the judges' pages, each in its scope.

- Public (no user): the announcement of a campaign open for registration, and the published
  results — the appointees' names and posts, nothing else about anyone (:class:`Appointee`).
- An applicant (``Cap.APPLICANT_PORTAL``), or a cadre using self-service who applied from their
  record (个人自荐): their own applications only, with the scores recorded so far; the total
  and the place once the campaign is ranked, the outcome once it is published.
- Staff reviewing a campaign: its identity conflicts (:func:`identity_conflicts`), the records
  that stand on one ID number, which the public pages never tell anyone about.
- A judge (``Cap.CAMPAIGN_JUDGE``): the panels they sit on; per candidate only their own sheet.
  Until the panel is locked nothing else is shown — no other judge's sheet, no total of the
  panel. After locking the judge also sees the stored panel score (``StageScore``), still never
  another judge's sheet: the secrecy of individual sheets outlives the lock (docs/campaign-portal.md).

Anything outside the scope is ``Http404``, like something that does not exist. Every read here
has a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from ganbu.accounts.models import User
from ganbu.core.access import Cap, has_cap
from ganbu.rules import campaign as rules
from ganbu.rules.campaign_scoring import percent_text, score_text

from .choices import ApplicationStatus, CampaignStatus, Outcome
from .models import (
    Applicant,
    Application,
    Attachment,
    Campaign,
    CampaignPost,
    IdentityStatus,
    InterviewPanel,
    PanelSheet,
    StageScore,
)
from .selectors import open_campaigns, own_applications, panels_for_judge, published_campaigns

MSG_NOT_FOUND = "页面不存在或无权访问。"
RANKED_STATUSES = (CampaignStatus.RANKED, CampaignStatus.PUBLISHED, CampaignStatus.CLOSED)
PUBLISHED_STATUSES = (CampaignStatus.PUBLISHED, CampaignStatus.CLOSED)
# Withdrawal from the portal ends with the ranking: after it, whether the button is offered (or
# the service's refusal of an appointee) would tell the applicant the decision before it is published.
WITHDRAW_STATUSES = (CampaignStatus.REGISTRATION, CampaignStatus.REVIEW, CampaignStatus.SCORING)


def _not_found() -> Http404:
    return Http404(MSG_NOT_FOUND)


# ---------------------------------------------------------------- public


@dataclass(frozen=True)
class Announcement:
    """What the public page of an open campaign shows: the posts, the conditions and stages in words."""

    campaign: Campaign
    posts: list[CampaignPost]
    conditions: tuple[str, ...]
    stages: tuple[str, ...]


def public_campaign(*, campaign_id: int, on: dt.date) -> Campaign:
    """A campaign open for registration on ``on``, or 404 (a draft, a closed registration, none)."""
    campaign = open_campaigns(on).select_related("unit").filter(pk=campaign_id).first()
    if campaign is None:
        raise _not_found()
    return campaign


def campaign_posts(campaign: Campaign) -> list[CampaignPost]:
    """The campaign's posts in their order, with the unit (for the choice lists and the page)."""
    return list(campaign.posts.select_related("post__unit").order_by("sort_order", "id"))


def announcement_of(campaign: Campaign) -> Announcement:
    """The posts of ``campaign`` and its eligibility conditions and stage plan in Chinese sentences."""
    return Announcement(
        campaign=campaign,
        posts=campaign_posts(campaign),
        conditions=rules.EligibilitySpec.from_json(campaign.eligibility).describe(campaign.cutoff),
        stages=rules.StagePlan.from_json(campaign.stages).describe(),
    )


@dataclass(frozen=True)
class Appointee:
    """One line of a published result: a name and the post. Deliberately nothing more."""

    name: str
    post: str


@dataclass(frozen=True)
class PublishedResult:
    """A published campaign's title, organising unit, publication state and appointees."""

    campaign_id: int
    title: str
    unit: str
    appointees: list[Appointee]


def published_result(*, campaign_id: int) -> PublishedResult:
    """The appointees of a published campaign in post order, or 404 when it is not published."""
    campaign = published_campaigns().select_related("unit").filter(pk=campaign_id).first()
    if campaign is None:
        raise _not_found()
    appointed = (
        campaign.applications.filter(outcome=Outcome.APPOINTED)
        .select_related("applicant", "assigned_post__post__unit")
        .order_by("assigned_post__sort_order", "place", "id")
    )
    return PublishedResult(
        campaign_id=campaign.pk,
        title=campaign.title,
        unit=campaign.unit.name,
        appointees=[
            Appointee(name=a.applicant.name, post=str(a.assigned_post.post) if a.assigned_post else "")
            for a in appointed
        ],
    )


# ---------------------------------------------------------------- the applicant portal


@dataclass(frozen=True)
class StageLine:
    """One stage of the applicant's campaign: its weight, whether they reached it, their score if recorded."""

    key: str
    label: str
    weight: str
    reached: bool
    score: Decimal | None
    absent: bool


@dataclass(frozen=True)
class PortalApplication:
    """One of the applicant's own applications with what they may see of it now."""

    application: Application
    stages: list[StageLine]
    attachments: list[Attachment]
    show_rank: bool
    show_outcome: bool
    can_withdraw: bool


def _stage_lines(application: Application, scores: dict[str, StageScore]) -> list[StageLine]:
    """The plan's stages with the application's recorded scores, marking those it has reached."""
    plan = rules.StagePlan.from_json(application.campaign.stages)
    keys = [s.key for s in plan.stages]
    reached_to = keys.index(application.stage_reached) if application.stage_reached in keys else -1
    lines = []
    for index, stage in enumerate(plan.stages):
        score = scores.get(stage.key)
        lines.append(
            StageLine(
                key=stage.key,
                label=stage.label,
                weight=percent_text(stage.weight) if stage.scored else "不计入总成绩",
                reached=index <= reached_to,
                score=score.score if score is not None and not score.absent else None,
                absent=bool(score and score.absent),
            )
        )
    return lines


def portal_applications(user: User) -> list[PortalApplication]:
    """The applicant's own applications, newest first, with scores and attachments (4 queries).

    The total and place are shown from the ranking on, the outcome and the post from publication
    on; before that the page says they are not yet known.
    """
    applications = (
        own_applications(user)
        .select_related(
            "applicant",
            "second_choice__post__unit",
            "first_choice__post__unit",
            "assigned_post__post__unit",
        )
        .prefetch_related(
            "scores",
            Prefetch(
                "attachments", queryset=Attachment.objects.defer("data").order_by("id"), to_attr="files"
            ),
        )
        .order_by("-submitted_at", "-id")
    )
    result = []
    for a in applications:
        status = a.campaign.status
        result.append(
            PortalApplication(
                application=a,
                stages=_stage_lines(a, {s.stage: s for s in a.scores.all()}),
                attachments=list(getattr(a, "files", [])),
                show_rank=status in RANKED_STATUSES and a.place is not None,
                show_outcome=status in PUBLISHED_STATUSES,
                can_withdraw=status in WITHDRAW_STATUSES and a.status != ApplicationStatus.WITHDRAWN,
            )
        )
    return result


def portal_application(*, user: User, application_id: int) -> PortalApplication:
    """One of the applicant's own applications, or 404 (someone else's looks like none)."""
    found = [p for p in portal_applications(user) if p.application.pk == application_id]
    if not found:
        raise _not_found()
    return found[0]


def portal_attachment(*, user: User, application_id: int, attachment_id: int) -> Attachment:
    """An attachment of one of the applicant's own applications (with its content), or 404."""
    attachment = Attachment.objects.filter(
        pk=attachment_id, application_id=application_id, application__in=own_applications(user)
    ).first()
    if attachment is None:
        raise _not_found()
    return attachment


# ---------------------------------------------------------------- judges


@dataclass(frozen=True)
class PanelSummary:
    """A panel in the judge's list: its campaign and stage, how many candidates, how many they scored."""

    panel: InterviewPanel
    stage_label: str
    candidates: int
    scored: int


@dataclass(frozen=True)
class Criterion:
    """One 评分要素 as the sheet shows it: the code, the label, the maximum as text and as a number."""

    key: str
    label: str
    maximum: Decimal
    maximum_text: str


@dataclass(frozen=True)
class CandidateRow:
    """A candidate as a judge sees them: ticket and name, their own sheet, and the panel score once locked.

    ``own_values`` are the judge's scores in the order of the panel's criteria ("" when not scored).
    """

    application_id: int
    ticket: str
    name: str
    withdrawn: bool
    own: dict[str, str] | None
    own_values: tuple[str, ...]
    own_total: Decimal | None
    panel_score: Decimal | None
    panel_absent: bool


@dataclass(frozen=True)
class JudgePanel:
    """One panel for one judge: criteria, candidates with the judge's own sheets, the lock."""

    panel: InterviewPanel
    stage_label: str
    criteria: list[Criterion]
    full_mark: str
    rows: list[CandidateRow]

    @property
    def locked(self) -> bool:
        """Whether the panel is locked (no more changes; the panel scores are stored)."""
        return self.panel.locked

    @property
    def scored(self) -> int:
        """How many candidates this judge has scored."""
        return sum(1 for r in self.rows if r.own is not None)

    def row(self, application_id: int) -> CandidateRow:
        """The candidate with this application id, or 404 when they are not on the panel."""
        for r in self.rows:
            if r.application_id == application_id:
                return r
        raise _not_found()

    def after(self, application_id: int) -> CandidateRow | None:
        """The next candidate the judge has not scored yet, after this one and wrapping round."""
        ids = [r.application_id for r in self.rows]
        start = ids.index(application_id) + 1 if application_id in ids else 0
        for r in self.rows[start:] + self.rows[:start]:
            if r.own is None and r.application_id != application_id:
                return r
        return None


def _total(sheet: dict[str, str] | None) -> Decimal | None:
    """The sum of a judge's own scores on one sheet (``None`` when they have not scored)."""
    return sum((Decimal(v) for v in sheet.values()), Decimal(0)) if sheet is not None else None


def _stage_label(campaign: Campaign, key: str) -> str:
    """The Chinese name of a stage of the campaign's plan (the key itself if the plan lacks it)."""
    try:
        return rules.StagePlan.from_json(campaign.stages).stage(key).label
    except KeyError:
        return key


def _require_judge(user: User) -> None:
    """404 for users without the judge's capability; a judge's scope is then the panels they sit on."""
    if not has_cap(user, Cap.CAMPAIGN_JUDGE):
        raise _not_found()


def judge_panels(user: User) -> list[PanelSummary]:
    """The panels the judge sits on, newest first, with candidate and own-sheet counts (one query)."""
    _require_judge(user)
    panels = panels_for_judge(user).annotate(
        candidates=Count("applications", distinct=True),
        scored=Count("sheets", filter=Q(sheets__judge=user), distinct=True),
    )
    return [
        PanelSummary(
            panel=p,
            stage_label=_stage_label(p.campaign, p.stage),
            candidates=getattr(p, "candidates", 0),
            scored=getattr(p, "scored", 0),
        )
        for p in panels
    ]


def judge_panel(*, user: User, panel_id: int) -> JudgePanel:
    """One of the judge's panels with their own sheets (and the panel scores once locked), or 404."""
    _require_judge(user)
    panel = panels_for_judge(user).filter(pk=panel_id).first()
    if panel is None:
        raise _not_found()
    criteria = [
        Criterion(
            key=c["key"],
            label=c["label"],
            maximum=Decimal(c["maximum"]),
            maximum_text=score_text(Decimal(c["maximum"])),
        )
        for c in panel.criteria
    ]
    candidates = list(panel.applications.select_related("applicant").order_by("ticket", "id"))
    own = {s.application_id: s.scores for s in PanelSheet.objects.filter(panel=panel, judge=user)}
    stored: dict[int, StageScore] = {}
    if panel.locked:
        stored = {
            s.application_id: s
            for s in StageScore.objects.filter(application__in=[a.pk for a in candidates], stage=panel.stage)
        }
    rows = []
    for a in candidates:
        sheet = own.get(a.pk)
        score = stored.get(a.pk)
        rows.append(
            CandidateRow(
                application_id=a.pk,
                ticket=a.ticket,
                name=a.applicant.name,
                withdrawn=a.status == ApplicationStatus.WITHDRAWN,
                own=sheet,
                own_values=tuple((sheet or {}).get(c.key, "") for c in criteria),
                own_total=_total(sheet),
                panel_score=score.score if score is not None and not score.absent else None,
                panel_absent=bool(score and score.absent),
            )
        )
    return JudgePanel(
        panel=panel,
        stage_label=_stage_label(panel.campaign, panel.stage),
        criteria=criteria,
        full_mark=score_text(sum((c.maximum for c in criteria), Decimal(0))),
        rows=rows,
    )


def judge_candidate(*, panel: InterviewPanel, row: CandidateRow) -> Application:
    """The application behind a row of ``judge_panel`` (for the sheet service), from the panel itself."""
    return panel.applications.get(pk=row.application_id)


# ---------------------------------------------------------------- identity conflicts (staff)


@dataclass(frozen=True)
class ConflictClaim:
    """One record standing on a contested ID number: where it came from, and its application here.

    ``application`` is the record's application to the campaign under review (``None`` when it
    applied elsewhere, e.g. the owner verified in an earlier campaign).
    """

    applicant: Applicant
    source: str
    application: Application | None


@dataclass(frozen=True)
class IdentityConflict:
    """An ID number on more than one record that staff have not settled (decision 0010)."""

    id_number: str
    claims: list[ConflictClaim]


def _source(applicant: Applicant) -> str:
    """Where a record came from, in words: the registry, a public login (by its username), staff entry."""
    if applicant.cadre_id is not None:
        return "在册干部（干部档案）"
    if applicant.user is not None:
        return f"公开报名，报名账号 {applicant.user.get_username()}"
    return "组织部门代为录入"


def identity_conflicts(campaign: Campaign) -> list[IdentityConflict]:
    """The identity conflicts touching ``campaign``: ID numbers on two or more unrejected records,
    one of which applied to it, with every such record and its application here (3 queries).

    For the staff who review the campaign (the view checks who may see it). Records staff marked
    未予认定 no longer count: a conflict ends when all but one record of the number are rejected.
    """
    standing = Applicant.objects.exclude(identity=IdentityStatus.REJECTED)
    here = standing.filter(applications__campaign=campaign).values("id_number")
    contested = (
        standing.filter(id_number__in=here)
        .values("id_number")
        .annotate(records=Count("id", distinct=True))
        .filter(records__gt=1)
        .values("id_number")
    )
    claims = list(standing.filter(id_number__in=contested).select_related("user").order_by("id_number", "pk"))
    applications = {
        a.applicant_id: a
        for a in Application.objects.filter(campaign=campaign, applicant__in=[c.pk for c in claims])
    }
    by_number: dict[str, list[ConflictClaim]] = {}
    for c in claims:
        by_number.setdefault(c.id_number, []).append(
            ConflictClaim(applicant=c, source=_source(c), application=applications.get(c.pk))
        )
    return [IdentityConflict(id_number=number, claims=found) for number, found in by_number.items()]
