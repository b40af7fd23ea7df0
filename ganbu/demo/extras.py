"""Campaigns and ballots at a province's scale, on a loaded demo, through the services.

The demo's workflows are a few dozen records whatever the size of the county (they show every
page populated, not volume). A benchmark at 100,000 or 500,000 cadres also needs the large
instances that real use produces: a county-wide 公开选拔 with about a thousand applicants and a
民主测评 of ten thousand sheets. ``demo_scale_extras`` makes them, as ``zzb``, through the same
services an officer's pages use (one call enters the applicants in bulk; each sheet is cast with
its own voting code, sealed like any other), so what a benchmark then times is the real thing.

The ballot is left as asked (``finish``): open with its 监票人 key shares returned, so that closing
and counting can be timed by the caller, or already closed or counted.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass

from django.utils import timezone

from ganbu.accounts.models import User
from ganbu.campaigns import services as campaigns
from ganbu.campaigns.choices import CampaignKind
from ganbu.campaigns.models import CampaignPost
from ganbu.core.errors import ServiceError
from ganbu.registry.choices import CadreStatus, PostKind, UnitKind
from ganbu.registry.models import Cadre, Post, Tenure, Unit
from ganbu.voting import services as voting
from ganbu.voting.choices import BallotKind, BallotStatus

from .generator import DEFAULT_SEED

OFFICER = "zzb"
MSG_NO_OFFICER = "找不到演示账号 zzb，请先载入示例数据（ganbu demo）。"
MSG_TOO_FEW = "示例县在职干部不足 {n} 名，无法生成该规模的报名。"
# Posts offered by the large campaign; applicants are spread over them.
CAMPAIGN_POSTS = 5
GRADES = ("excellent", "competent", "basic", "incompetent")
GRADE_WEIGHTS = (40, 52, 7, 1)
# Voter categories of the large evaluation, in the proportions of a county's 民主测评.
CATEGORIES = (("班子成员", 0.02), ("中层干部", 0.18), ("干部职工代表", 0.80))
FINISHES = (BallotStatus.OPEN, BallotStatus.CLOSED, BallotStatus.TALLIED)


@dataclass(frozen=True)
class ScaleExtras:
    """What ``demo_scale_extras`` made: ids to find them by, their sizes, the open ballot's key shares."""

    campaign_id: int | None
    applications: int
    ballot_id: int | None
    items: int
    sheets: int
    ballot_status: str
    key_shares: tuple[str, ...]
    seconds: float


def demo_scale_extras(
    *,
    applicants: int = 1000,
    sheets: int = 10_000,
    items: int = 20,
    finish: str = BallotStatus.OPEN,
    seed: int = DEFAULT_SEED,
) -> ScaleExtras:
    """A campaign of ``applicants`` registry cadres; an evaluation of ``items`` leaders by ``sheets`` sheets.

    Needs a loaded demo (the ``zzb`` account and enough serving cadres). ``applicants=0`` or
    ``sheets=0`` skips that part. The campaign is left with registration closed (the qualification
    review not started); the ballot at ``finish`` (``open``, ``closed`` or ``tallied``). Each
    service commits on its own, as the workflows' do; a refusal raises ``ServiceError``.
    """
    if finish not in FINISHES:
        raise ValueError(f"finish must be one of {FINISHES}")
    started = time.perf_counter()
    officer = User.objects.filter(username=OFFICER, is_active=True).first()
    if officer is None:
        raise ServiceError(MSG_NO_OFFICER)
    rng = random.Random(f"{seed}:scale-extras")
    root = Unit.objects.filter(parent__isnull=True).order_by("pk").first()
    if root is None:
        raise ServiceError(MSG_NO_OFFICER)
    today = timezone.localdate()
    campaign_id: int | None = None
    applications = 0
    if applicants > 0:
        campaign_id, applications = _campaign(officer, root, applicants, today)
    ballot_id: int | None = None
    status, made = "", 0
    shares: tuple[str, ...] = ()
    if sheets > 0:
        ballot_id, status, shares, made = _ballot(officer, root, items, sheets, finish, rng)
    return ScaleExtras(
        campaign_id=campaign_id,
        applications=applications,
        ballot_id=ballot_id,
        items=made,
        sheets=sheets,
        ballot_status=status,
        key_shares=shares,
        seconds=round(time.perf_counter() - started, 2),
    )


def _campaign(officer: User, root: Unit, applicants: int, today: dt.date) -> tuple[int, int]:
    """A county-wide 公开选拔 of a few deputy posts, its applicants entered in one bulk call."""
    campaign = campaigns.campaign_create(
        actor=officer,
        kind=CampaignKind.OPEN_SELECTION,
        title=f"全县公开选拔副科级领导干部（{applicants} 人报名）",
        unit=root,
        announcement="为加强乡镇和县直单位领导班子建设，面向全县公开选拔副科级领导干部。",
        registration_start=today - dt.timedelta(days=20),
        registration_end=today + dt.timedelta(days=10),
        cutoff=today,
        eligibility={},
    )
    posts: list[CampaignPost] = []
    deputies = Post.objects.filter(
        kind=PostKind.DEPUTY, is_active=True, unit__parent=root, unit__kind=UnitKind.TOWN
    ).order_by("pk")
    for post in deputies.iterator():
        try:
            posts.append(campaigns.campaign_post_add(actor=officer, campaign=campaign, post=post))
        except ServiceError:
            continue  # the unit's quota is full: the next one
        if len(posts) == CAMPAIGN_POSTS:
            break
    campaigns.campaign_open(actor=officer, campaign=campaign)
    # Staff (科员) of the county: the people a 公开选拔 of deputy posts draws.
    held = Tenure.objects.filter(end_date__isnull=True, post__kind=PostKind.STAFF).values("cadre_id")
    people = list(
        Cadre.objects.filter(status=CadreStatus.SERVING, pk__in=held)
        .exclude(id_number="")
        .order_by("pk")[:applicants]
    )
    if len(people) < applicants:
        raise ServiceError(MSG_TOO_FEW.format(n=applicants))
    rows = [(c, posts[n % len(posts)], None) for n, c in enumerate(people)]
    entered = campaigns.applications_enter_bulk(actor=officer, campaign=campaign, rows=rows)
    campaign.refresh_from_db()
    campaigns.campaign_close_registration(actor=officer, campaign=campaign)
    return campaign.pk, entered


def _ballot(
    officer: User, root: Unit, items: int, sheets: int, finish: str, rng: random.Random
) -> tuple[int, str, tuple[str, ...], int]:
    """An evaluation of ``items`` unit heads, ``sheets`` sheets cast by voting code, left at ``finish``."""
    heads = (
        Tenure.objects.filter(
            end_date__isnull=True, post__kind=PostKind.HEAD, cadre__status=CadreStatus.SERVING
        )
        .select_related("cadre")
        .order_by("post__unit_id", "pk")[:items]
    )
    cadres = [t.cadre for t in heads]
    ballot = voting.ballot_create(
        actor=officer,
        kind=BallotKind.EVALUATION,
        title=f"全县单位主要负责人年度民主测评（{sheets} 张）",
        unit=root,
        max_choices=1,
    )
    made = [voting.ballot_item_add(actor=officer, ballot=ballot, cadre=c) for c in cadres]
    codes: list[tuple[str, str]] = []
    for category, share in CATEGORIES:
        wanted = max(1, round(sheets * share)) if category != CATEGORIES[-1][0] else sheets - len(codes)
        while wanted > 0:
            n = min(wanted, voting.MAX_CREDENTIALS_PER_ISSUE)
            codes += [
                (category, code)
                for code in voting.credentials_issue(actor=officer, ballot=ballot, category=category, count=n)
            ]
            wanted -= n
    shares = voting.ballot_open(actor=officer, ballot=ballot)
    for _, code in codes[:sheets]:
        grades = rng.choices(GRADES, GRADE_WEIGHTS, k=len(made))
        content = {item.pk: {"grade": g} for item, g in zip(made, grades, strict=True)}
        voting.ballot_cast_with_credential(code=code, ballot=ballot, content=content)
    if finish != BallotStatus.OPEN:
        voting.ballot_close(actor=officer, ballot=ballot)
        if finish == BallotStatus.TALLIED:
            voting.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
        shares = []
    ballot.refresh_from_db()
    return ballot.pk, ballot.status, tuple(shares), len(made)
