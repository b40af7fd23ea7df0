"""Reads of competitive selection campaigns, scoped to the user; public announcements need no user.

Staff who run campaigns (``Cap.CAMPAIGN_MANAGE``) and the department (``Cap.SELECTION_VIEW``) see
campaigns of units in their scope; a judge sees only their panels; an applicant only their own
applications. Lists paginate in the database and have a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from ganbu.accounts.models import User
from ganbu.core.access import Cap, has_cap, units_for
from ganbu.registry.choices import PoliticalStatus, Rank
from ganbu.registry.models import Tenure
from ganbu.rules import campaign as rules
from ganbu.rules.retirement import Gender

from .choices import ApplicationStatus, CampaignStatus, Outcome
from .models import Application, Campaign, InterviewPanel

_NOT_FOUND = "选拔不存在或无权访问。"


def campaigns_for(user: User) -> QuerySet[Campaign]:
    """Campaigns of units in the user's scope, for those who run or oversee them."""
    if not (has_cap(user, Cap.CAMPAIGN_MANAGE) or has_cap(user, Cap.SELECTION_VIEW)):
        return Campaign.objects.none()
    return Campaign.objects.filter(unit__in=units_for(user))


def campaign_list(*, user: User) -> QuerySet[Campaign]:
    """The user's campaigns, newest first, with their application counts (one query per page)."""
    return (
        campaigns_for(user)
        .select_related("unit")
        .annotate(
            applications_count=Count("applications", distinct=True), posts_count=Count("posts", distinct=True)
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
    qs = campaign.applications.select_related("applicant", "first_choice__post__unit", "assigned_post__post")
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


def own_applications(user: User) -> QuerySet[Application]:
    """An applicant's own applications (the portal)."""
    if not has_cap(user, Cap.APPLICANT_PORTAL):
        return Application.objects.none()
    return Application.objects.filter(applicant__user=user).select_related("campaign", "first_choice__post")


def open_campaigns(on: dt.date) -> QuerySet[Campaign]:
    """Campaigns open for registration on ``on`` (public: the announcement is published)."""
    return Campaign.objects.filter(
        status=CampaignStatus.REGISTRATION, registration_start__lte=on, registration_end__gte=on
    ).order_by("registration_end", "id")


def published_campaigns() -> QuerySet[Campaign]:
    """Campaigns whose results are published (public)."""
    return Campaign.objects.filter(status__in=[CampaignStatus.PUBLISHED, CampaignStatus.CLOSED]).order_by(
        "-id"
    )


def campaign_statistics(campaign: Campaign, on: dt.date) -> rules.CampaignStatistics:
    """The seed report's figures for a campaign, from its records (a fixed number of queries).

    Former holders are those holding the campaign's posts on the registration start; the mean age of
    holders before and after compares them with the appointees on ``on``.
    """
    apps = list(campaign.applications.select_related("applicant"))
    posts = {str(cp.pk): cp.places for cp in campaign.posts.all()}
    post_ids = list(campaign.posts.values_list("post_id", flat=True))
    applicants = [
        rules.ApplicantRecord(
            key=str(a.pk),
            post_key=str(a.first_choice_id),
            eligible=a.status == ApplicationStatus.QUALIFIED or a.outcome == Outcome.APPOINTED,
        )
        for a in apps
    ]
    appointees = [
        rules.AppointeeRecord(
            key=f"c{a.applicant.cadre_id}" if a.applicant.cadre_id else f"a{a.applicant_id}",
            birth_date=a.applicant.birth_date,
            gender=Gender.FEMALE if a.applicant.gender == "F" else Gender.MALE,
            party_member=a.applicant.political_status
            in (PoliticalStatus.CPC, PoliticalStatus.CPC_PROBATIONARY),
            ordinary_cadre=a.applicant.rank == Rank.STAFF,
        )
        for a in apps
        if a.outcome == Outcome.APPOINTED
    ]
    holders = list(
        Tenure.objects.filter(post_id__in=post_ids, start_date__lte=campaign.registration_start)
        .exclude(end_date__lte=campaign.registration_start)
        .select_related("cadre")
    )
    return rules.campaign_statistics(
        applicants=applicants,
        posts=posts,
        appointees=appointees,
        on=on,
        former_holders=[f"c{t.cadre_id}" for t in holders],
        holders_before=[t.cadre.birth_date for t in holders],
        holders_after=[a.birth_date for a in appointees] if holders else [],
    )
