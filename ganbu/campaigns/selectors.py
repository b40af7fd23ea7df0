"""Reads of competitive selection campaigns, scoped to the user; public announcements need no user.

Staff who run campaigns (``Cap.CAMPAIGN_MANAGE``) and the department (``Cap.SELECTION_VIEW``) see
campaigns of units in their scope; a judge sees only their panels; an applicant only their own
applications. Lists paginate in the database and have a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db.models import Count, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.http import Http404

from ganbu.accounts.choices import Role
from ganbu.accounts.models import User
from ganbu.core.access import Cap, cadres_for, has_cap, units_for
from ganbu.registry.choices import RANK_ORDER, CadreStatus, PoliticalStatus, Rank
from ganbu.registry.models import Cadre, Tenure
from ganbu.registry.selectors import unit_picker_options
from ganbu.rules import campaign as rules
from ganbu.rules.dates import age_on
from ganbu.rules.retirement import Gender
from ganbu.voting.choices import BallotKind, BallotStatus
from ganbu.voting.models import Ballot
from ganbu.voting.selectors import ballots_for

from .choices import ApplicationStatus, CampaignKind, CampaignStatus, Outcome
from .models import Application, Campaign, CampaignPost, InterviewPanel, StageScore

_NOT_FOUND = "选拔不存在或无权访问。"


def campaigns_for(user: User) -> QuerySet[Campaign]:
    """Campaigns of units in the user's scope, for those who run or oversee them."""
    if not (has_cap(user, Cap.CAMPAIGN_MANAGE) or has_cap(user, Cap.SELECTION_VIEW)):
        return Campaign.objects.none()
    return Campaign.objects.filter(unit__in=units_for(user))


def campaign_list(*, user: User) -> QuerySet[Campaign]:
    """The user's campaigns, newest first, with their application and post counts (one query per page).

    Each count is its own correlated subquery: counting both over one join multiplied a
    campaign's applications by its posts (1,000 × 60 rows) before DISTINCT (issue 13).
    """

    def counted(model: Any) -> Subquery:
        rows = model.objects.filter(campaign=OuterRef("pk")).order_by().values("campaign")
        return Subquery(rows.annotate(n=Count("id")).values("n")[:1])

    return (
        campaigns_for(user)
        .select_related("unit")
        .annotate(
            applications_count=Coalesce(counted(Application), Value(0)),
            posts_count=Coalesce(counted(CampaignPost), Value(0)),
        )
        .order_by("-registration_start", "-id")
    )


def campaign_get(*, user: User, campaign_id: int) -> Campaign:
    """One campaign in scope, or 404."""
    campaign = campaigns_for(user).select_related("unit").filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404(_NOT_FOUND)
    return campaign


def applications_of(
    *, campaign: Campaign, status: str = "", post_id: int | None = None, q: str = "", stage: str = ""
) -> QuerySet[Application]:
    """A campaign's applications, filtered; ranked ones by place, the rest by registration order."""
    qs = campaign.applications.select_related(
        "applicant", "first_choice__post__unit", "assigned_post__post__unit"
    )
    if status:
        qs = qs.filter(status=status)
    if post_id:
        qs = qs.filter(Q(first_choice_id=post_id) | Q(second_choice_id=post_id))
    if stage:
        qs = qs.filter(stage_reached=stage)
    if q.strip():
        word = q.strip()
        qs = qs.filter(
            Q(applicant__name__icontains=word) | Q(ticket=word) | Q(applicant__unit_name__icontains=word)
        )
    return qs.order_by("place", "id")


def application_get(*, campaign: Campaign, application_id: int) -> Application:
    """One application of a campaign the caller may see, or 404."""
    application = (
        campaign.applications.select_related("applicant", "first_choice__post", "second_choice__post")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise Http404(_NOT_FOUND)
    return application


def panels_for_judge(user: User) -> QuerySet[InterviewPanel]:
    """The interview panels this user judges."""
    if not user.is_authenticated:
        return InterviewPanel.objects.none()
    return InterviewPanel.objects.filter(judges=user).select_related("campaign").order_by("-id")


def self_nominates(user: User) -> bool:
    """Whether ``user`` is a cadre using self-service, who may apply from their own record (个人自荐)."""
    return has_cap(user, Cap.SELF_SERVICE) and user.cadre_id is not None


def follows_applications(user: User) -> bool:
    """Whether ``user`` has the 「我的报名」 pages: an applicant's login, or a self-service cadre."""
    return has_cap(user, Cap.APPLICANT_PORTAL) or self_nominates(user)


def own_applications(user: User) -> QuerySet[Application]:
    """One's own applications: an applicant's by their login, a self-service cadre's by their record."""
    if has_cap(user, Cap.APPLICANT_PORTAL):
        mine = Q(applicant__user=user)
    elif self_nominates(user):
        mine = Q(applicant__cadre_id=user.cadre_id)
    else:
        return Application.objects.none()
    return Application.objects.filter(mine).select_related("campaign", "first_choice__post")


def covers_unit(campaign: Campaign, unit_path: str) -> bool:
    """Whether the campaign's unit scope takes in the unit at ``unit_path`` (no scope: the whole county).

    The scope is the one of the campaign's rules (``EligibilitySpec.covers_unit``); the path's ids
    are the unit and its ancestors, the keys the rule reads. No query.
    """
    keys = [str(int(part)) for part in unit_path.split(".") if part]
    return rules.EligibilitySpec.from_json(campaign.eligibility).covers_unit(
        keys[-1] if keys else "", keys[:-1]
    )


def nomination_campaigns(user: User, on: dt.date) -> list[Campaign]:
    """The campaigns a self-service cadre may apply to on ``on``, with their posts (two queries).

    Open for registration that day and not yet applied to; a 竞争上岗 only where its units take in
    the cadre's own unit (held within the unit or system, rules.md MODE-07). Empty for anyone else.
    """
    if not self_nominates(user) or user.cadre_id is None:
        return []
    path = Cadre.objects.filter(pk=user.cadre_id).values_list("unit__path", flat=True).first() or ""
    campaigns = (
        Campaign.objects.filter(
            status=CampaignStatus.REGISTRATION, registration_start__lte=on, registration_end__gte=on
        )
        .exclude(applications__applicant__cadre_id=user.cadre_id)
        .prefetch_related(
            Prefetch(
                "posts",
                queryset=CampaignPost.objects.select_related("post__unit").order_by("sort_order", "id"),
                to_attr="offered",
            ),
        )
        .order_by("registration_end", "id")
    )
    return [c for c in campaigns if c.kind != CampaignKind.COMPETITION or covers_unit(c, path)]


def open_campaigns(on: dt.date) -> QuerySet[Campaign]:
    """Campaigns open for registration on ``on`` (public: the announcement is published)."""
    # 竞争上岗 is internal (staff enter the applications); only open and joint selections are public.
    return (
        Campaign.objects.filter(
            status=CampaignStatus.REGISTRATION, registration_start__lte=on, registration_end__gte=on
        )
        .exclude(kind=CampaignKind.COMPETITION)
        .order_by("registration_end", "id")
    )


def published_campaigns() -> QuerySet[Campaign]:
    """Campaigns whose results are published (public)."""
    return Campaign.objects.filter(status__in=[CampaignStatus.PUBLISHED, CampaignStatus.CLOSED]).order_by(
        "-id"
    )


def _holders_age(agg: dict[str, Any], on: dt.date) -> rules.AgeSummary | None:
    """The :class:`rules.AgeSummary` of the post holders from their aggregates (``_holder_figures``).

    Exactly ``rules.age_summary`` of every holder's birth date: an age (周岁) is the difference of
    the years less one if the birthday is still to come, so the sum of the ages is the count times
    ``on``'s year, less the sum of the birth years, less those whose birthday is still to come. A
    29 February birthday counts as reached on 1 March of a common year, which the month-and-day
    comparison already gives (no common-year ``on`` falls between 28 February and 1 March).
    """
    count = agg["n"]
    if not count:
        return None
    total = count * on.year - agg["birth_years"] - agg["birthday_to_come"]
    mean = Fraction(total, count)
    return rules.AgeSummary(
        on=on,
        count=count,
        oldest=age_on(agg["oldest_birth"], on),
        youngest=age_on(agg["youngest_birth"], on),  # raises for a day before the last birth
        mean=mean,
        mean_text=rules.round_half_up(mean, 1),
    )


def campaign_statistics(campaign: Campaign, on: dt.date) -> rules.CampaignStatistics:
    """The seed report's figures for a campaign, counted by the database: four queries at any size.

    The same figures as ``rules.campaign_statistics`` given every application and every holder (the
    tests compare them): applications are counted per first choice with ``GROUP BY``, the holders
    of the campaign's posts on the registration start are aggregated (count, oldest, youngest, the
    exact sum of ages, those not appointed again), and only the appointees — no more than the
    places — are read one by one. Raises ``RuleInputError`` for a day before someone was born.
    """
    posts = {str(cp.pk): cp.places for cp in campaign.posts.all()}
    if not posts:
        raise ValueError("没有选拔职位，无法统计竞争比例。")
    eligible_q = Q(status=ApplicationStatus.QUALIFIED) | Q(outcome=Outcome.APPOINTED)
    per_choice = {
        str(row["first_choice_id"]): (row["n"], row["ok"])
        for row in campaign.applications.order_by()
        .values("first_choice_id")
        .annotate(n=Count("id"), ok=Count("id", filter=eligible_q))
    }
    applicants = sum(n for n, _ok in per_choice.values())
    eligible = sum(ok for _n, ok in per_choice.values())
    people = [
        rules.AppointeeRecord(
            key=f"c{cadre_id}" if cadre_id else f"a{applicant_id}",
            birth_date=birth_date,
            gender=Gender.FEMALE if gender == "F" else Gender.MALE,
            party_member=political in (PoliticalStatus.CPC, PoliticalStatus.CPC_PROBATIONARY),
            ordinary_cadre=rank == Rank.STAFF,
        )
        for applicant_id, cadre_id, birth_date, gender, political, rank in campaign.applications.filter(
            outcome=Outcome.APPOINTED
        )
        .order_by("pk")
        .values_list(
            "applicant_id",
            "applicant__cadre_id",
            "applicant__birth_date",
            "applicant__gender",
            "applicant__political_status",
            "applicant__rank",
        )
    ]
    total_places = sum(posts.values())
    if len(people) > total_places:
        raise ValueError(f"任用 {len(people)} 人，多于职数 {total_places} 个。")
    appointed_cadres = [int(p.key[1:]) for p in people if p.key.startswith("c")]
    start = campaign.registration_start
    later = Q(cadre__birth_date__month__gt=on.month) | Q(
        cadre__birth_date__month=on.month, cadre__birth_date__day__gt=on.day
    )
    holders = (
        Tenure.objects.filter(post_id__in=campaign.posts.values("post_id"), start_date__lte=start)
        .exclude(end_date__lte=start)
        .aggregate(
            n=Count("id"),
            oldest_birth=Min("cadre__birth_date"),
            youngest_birth=Max("cadre__birth_date"),
            birth_years=Coalesce(Sum(ExtractYear("cadre__birth_date")), 0),
            birthday_to_come=Count("id", filter=later),
            not_reselected=Count("cadre_id", distinct=True, filter=~Q(cadre_id__in=appointed_cadres)),
        )
    )
    per_post = []
    for post in sorted(posts):
        n, ok = per_choice.get(post, (0, 0))
        per_post.append(
            rules.PostStatistics(
                post_key=post,
                places=posts[post],
                applicants=n,
                eligible=ok,
                ratio=rules.competition_ratio(n, posts[post]),
                eligible_ratio=rules.competition_ratio(ok, posts[post]),
            )
        )
    return rules.CampaignStatistics(
        on=on,
        applicants=applicants,
        eligible=eligible,
        posts=total_places,
        appointed=len(people),
        ratio=rules.competition_ratio(applicants, total_places),
        eligible_ratio=rules.competition_ratio(eligible, total_places),
        per_post=tuple(per_post),
        ages=rules.age_summary((p.birth_date for p in people), on),
        men=sum(1 for p in people if p.gender is Gender.MALE),
        women=sum(1 for p in people if p.gender is Gender.FEMALE),
        party=sum(1 for p in people if p.party_member),
        non_party=sum(1 for p in people if not p.party_member),
        ordinary_promoted=sum(1 for p in people if p.ordinary_cadre),
        not_reselected=holders["not_reselected"],
        before_ages=_holders_age(holders, on),
        after_ages=rules.age_summary((p.birth_date for p in people), on) if holders["n"] else None,
    )


# ---------------------------------------------------------------- the staff pages (web and API)

BULK_LIMIT = 200
"""At most this many cadres are offered at once for a bulk entry."""


def application_list(
    *,
    user: User,
    campaign: Campaign,
    status: str = "",
    post_id: int | None = None,
    q: str = "",
    stage: str = "",
    unit_id: int | None = None,
) -> QuerySet[Application]:
    """``applications_of`` with the per-unit view: applicants whose registry unit lies under ``unit_id``.

    The unit must be one the user may see (otherwise nothing is listed). Both choices and the
    applicant's unit come in the same query, so a page of the list is one query whatever its size.
    """
    qs = applications_of(campaign=campaign, status=status, post_id=post_id, q=q, stage=stage).select_related(
        "second_choice__post__unit", "assigned_post__post__unit", "applicant__unit"
    )
    if unit_id:
        unit = units_for(user).filter(pk=unit_id).first()
        qs = qs.filter(applicant__unit__path__startswith=unit.path) if unit else qs.none()
    return qs


def unit_filter_choices(*, user: User, chosen: int | None = None) -> list[tuple[int, str]]:
    """The units offered by the applications page's unit filter, indented by level.

    The few units every unit select renders (``registry.selectors.unit_picker_options``: the top
    two levels and the chosen unit with its ancestors and children), not every unit in scope:
    rendering them all was a large part of the page's time (issue 13). Any unit in scope is still
    accepted by the filter (``application_list`` checks the scope).
    """
    units = unit_picker_options(user=user, chosen=chosen)
    base = min((u.depth for u in units), default=0)
    return [(u.pk, "\u3000" * (u.depth - base) + u.name) for u in units]


def application_rows(
    *,
    user: User,
    campaign: Campaign,
    status: str = "",
    post_id: int | None = None,
    q: str = "",
    stage: str = "",
    unit_id: int | None = None,
) -> QuerySet[Application]:
    """``application_list`` for a page that already holds the campaign's posts: applicants joined only.

    The page gives its rows their posts with ``attach_posts`` from ``campaign_posts`` (a few tens of
    rows it reads anyway for the post filter), so the page's query joins two tables instead of
    thirteen: at 1,000 applicants the thirteen-table join took longer to plan than to run.
    """
    qs = application_list(
        user=user, campaign=campaign, status=status, post_id=post_id, q=q, stage=stage, unit_id=unit_id
    )
    return qs.select_related(None).select_related("applicant")


def attach_posts(applications: Iterable[Application], posts: Iterable[CampaignPost]) -> None:
    """Set each application's first and second choice and assigned post from ``posts`` (no query)."""
    by_id = {cp.pk: cp for cp in posts}
    for application in applications:
        for field in ("first_choice", "second_choice", "assigned_post"):
            post_id = getattr(application, f"{field}_id")
            if post_id is not None and post_id in by_id:
                setattr(application, field, by_id[post_id])


def application_counts(campaign: Campaign) -> dict[str, int]:
    """The campaign's applications per status (one query); every status is present."""
    counts = dict.fromkeys(ApplicationStatus.values, 0)
    for row in campaign.applications.values("status").annotate(n=Count("id")).order_by():
        counts[row["status"]] = row["n"]
    return counts


def campaign_posts(campaign: Campaign) -> QuerySet[CampaignPost]:
    """The posts offered, in order, with first-choice applications and qualified ones (one query)."""
    return (
        campaign.posts.select_related("post__unit")
        .annotate(
            first_count=Count("first_choices", distinct=True),
            qualified_count=Count(
                "first_choices",
                filter=Q(first_choices__status=ApplicationStatus.QUALIFIED),
                distinct=True,
            ),
        )
        .order_by("sort_order", "id")
    )


def stage_counts(campaign: Campaign) -> dict[str, int]:
    """How many qualified applicants stand at each stage of the plan (one query)."""
    plan = rules.StagePlan.from_json(campaign.stages)
    counts = {s.key: 0 for s in plan.stages}
    rows = (
        campaign.applications.filter(status=ApplicationStatus.QUALIFIED)
        .values("stage_reached")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        if row["stage_reached"] in counts:
            counts[row["stage_reached"]] = row["n"]
    return counts


def stage_applications(campaign: Campaign, stage: str) -> QuerySet[Application]:
    """The qualified applicants standing at ``stage`` now (the candidates of a panel or a cut)."""
    return (
        campaign.applications.filter(status=ApplicationStatus.QUALIFIED, stage_reached=stage)
        .select_related("applicant")
        .order_by("ticket", "id")
    )


def stage_roster(campaign: Campaign, stage: str) -> QuerySet[Application]:
    """Those who reached ``stage`` (or went further), each with ``stage_scores``: their score in it.

    Two queries whatever the number of applicants; paginate the result in the database.
    """
    keys = [s.key for s in rules.StagePlan.from_json(campaign.stages).stages]
    later = keys[keys.index(stage) :] if stage in keys else []
    return (
        campaign.applications.filter(status=ApplicationStatus.QUALIFIED, stage_reached__in=later)
        .select_related("applicant", "first_choice__post__unit")
        .prefetch_related(Prefetch("scores", StageScore.objects.filter(stage=stage), to_attr="stage_scores"))
        .order_by("ticket", "id")
    )


def application_scores(application: Application) -> list[StageScore]:
    """An application's stage scores."""
    return list(application.scores.order_by("id"))


def panels_of(campaign: Campaign) -> list[InterviewPanel]:
    """The campaign's interview panels with their judges, candidate and sheet counts (three queries)."""
    return list(
        campaign.panels.prefetch_related("judges")
        .annotate(
            candidates_count=Count("applications", distinct=True), sheets_count=Count("sheets", distinct=True)
        )
        .order_by("stage", "id")
    )


def panel_get(*, campaign: Campaign, panel_id: int) -> InterviewPanel:
    """One panel of a campaign the caller may see, or 404."""
    panel = campaign.panels.select_related("campaign__unit").filter(pk=panel_id).first()
    if panel is None:
        raise Http404(_NOT_FOUND)
    return panel


def judge_users() -> QuerySet[User]:
    """Active users with the interview judge role, who may sit on a panel."""
    return User.objects.filter(role=Role.JUDGE, is_active=True).order_by("display_name", "username")


def bulk_cadres(
    *, user: User, campaign: Campaign, unit_id: int, below_rank: str = "", limit: int = BULK_LIMIT
) -> list[Cadre]:
    """Serving cadres of a unit (and the units under it) in the user's scope, for a bulk entry.

    ``below_rank`` keeps only those ranked lower than it (``Rank`` is ordered highest first);
    cadres who already applied to the campaign are left out. At most ``limit`` (pinyin order).
    """
    unit = units_for(user).filter(pk=unit_id).first()
    if unit is None:
        return []
    qs = cadres_for(user).filter(unit__path__startswith=unit.path, status=CadreStatus.SERVING)
    if below_rank in RANK_ORDER:
        qs = qs.filter(rank__in=[r for r, i in RANK_ORDER.items() if i > RANK_ORDER[below_rank]])
    applied = campaign.applications.filter(applicant__cadre__isnull=False).values("applicant__cadre_id")
    return list(qs.exclude(pk__in=applied).select_related("unit").order_by("name_pinyin", "id")[:limit])


@dataclass(frozen=True)
class RankingSummary:
    """What the ranking shows beside its rows, as ``campaign_rank`` stored it (no re-ranking).

    ``method`` and ``notes``: the allocation's rule and its boundary notes ("" and () for a campaign
    not ranked); ``tie_rules_text``: the plan's ranking rules in Chinese; ``citation``: their basis.
    """

    method: str
    notes: tuple[str, ...]
    tie_rules_text: tuple[str, ...]
    citation: str = rules.Ranking.citation


@dataclass(frozen=True)
class StoredPlace:
    """A place of the stored ranking read back (a ``rules.Placed``), keyed by the application's id."""

    key: str
    rank: int
    note: str
    display: str


def tie_rules_text_of(campaign: Campaign) -> tuple[str, ...]:
    """The ranking rules of the campaign's plan in Chinese (``rules.tie_rules_text``)."""
    return rules.tie_rules_text(rules.tie_rules_for(rules.StagePlan.from_json(campaign.stages)))


def ranking_summary(campaign: Campaign) -> RankingSummary:
    """The allocation's method and notes stored with the campaign, and the plan's tie rules; no query."""
    return RankingSummary(
        method=campaign.allocation_method,
        notes=tuple(campaign.allocation_notes),
        tie_rules_text=tie_rules_text_of(campaign),
    )


def ranked_applications(campaign: Campaign) -> QuerySet[Application]:
    """The stored ranking in its order: the qualified applications ``campaign_rank`` placed.

    A query set, so a page of it is a page in the database (ordered on the ``application_ranking``
    index); each row carries its place in Chinese and, for finalists, its post and allocation note.
    Withdrawn applications are left out, as ``campaign_reserve`` leaves them out.
    """
    return (
        campaign.applications.filter(status=ApplicationStatus.QUALIFIED, position__isnull=False)
        .select_related(
            "applicant", "first_choice__post__unit", "second_choice__post__unit", "assigned_post__post__unit"
        )
        .order_by("position")
    )


def allocated_applications(campaign: Campaign) -> list[Application]:
    """Those the allocation proposed for a post, in rank order: the only ones who can be appointed."""
    return list(ranked_applications(campaign).filter(assigned_post__isnull=False))


def reserve_candidates(campaign: Campaign) -> tuple[rules.ReservePool, dict[str, Application]] | None:
    """Who the reserve rule puts into the pool, from the stored ranking, with their applications.

    ``None`` when the campaign names no place line or level, or nobody is ranked. Only the head of
    the ranking is read, down to the last one tied with the N-th: two queries, whatever the number
    of applicants. ``services.campaign_reserve`` adds exactly these.
    """
    top_n = campaign.reserve_top_n
    if top_n < 1 or not campaign.reserve_level:
        return None
    ranked = campaign.applications.filter(status=ApplicationStatus.QUALIFIED, position__isnull=False)
    boundary = list(ranked.order_by("position").values_list("place", flat=True)[top_n - 1 : top_n])
    head = ranked.filter(place__lte=boundary[0]) if boundary else ranked
    apps = {str(a.pk): a for a in head.select_related("applicant").order_by("position")}
    if not apps:
        return None
    places = [
        StoredPlace(key=k, rank=a.place or 0, note=a.place_note, display=a.applicant.name)
        for k, a in apps.items()
    ]
    appointed = [k for k, a in apps.items() if a.outcome == Outcome.APPOINTED]
    return rules.reserve_pool(places, appointed, top_n), apps


def reserve_preview(campaign: Campaign) -> rules.ReservePool | None:
    """The reserve pool the rule would make (``reserve_candidates``), without the applications."""
    found = reserve_candidates(campaign)
    return found[0] if found is not None else None


def evaluation_ballots(user: User) -> QuerySet[Ballot]:
    """Counted 民主测评 ballots the user may see, newest first (a 民主测评 stage's scores come from one)."""
    return (
        ballots_for(user)
        .filter(kind=BallotKind.EVALUATION, status__in=[BallotStatus.TALLIED, BallotStatus.PUBLISHED])
        .order_by("-id")
    )
