"""What the staff pages of competitive selection campaigns share: the tabs, the next move of each
status, the campaign looked up in the user's scope, and the page frame (header, tabs, what the user
may do). The pages themselves are the sibling modules, by topic (see the package's docstring).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from ganbu.campaigns import selectors, services
from ganbu.campaigns.choices import CampaignStatus
from ganbu.campaigns.models import Campaign, CampaignPost
from ganbu.core.access import Cap, can_edit_unit, has_cap

from ..org_common import AuthedRequest

MSG_POST_NOT_VISIBLE = "职位不存在或不在您的管理范围内。"
MSG_NOT_THIS_CAMPAIGN = "该报名不属于本次选拔。"
SCORES_IMPORT_PATH = "/campaigns/{pk}/scores/import/"

# status → the move that comes next: (action, button)
NEXT_MOVE: dict[str, tuple[str, str]] = {
    CampaignStatus.DRAFT: ("open", "发布公告、开始报名"),
    CampaignStatus.REGISTRATION: ("close_registration", "截止报名、开始资格审查"),
    CampaignStatus.REVIEW: ("start_scoring", "结束资格审查、开始考试"),
    CampaignStatus.SCORING: ("rank", "计算综合成绩、排名并分配职位"),
    CampaignStatus.RANKED: ("publish", "公布结果"),
    CampaignStatus.PUBLISHED: ("close", "结束本次选拔"),
}
MOVES: dict[str, tuple[Callable[..., Any], str]] = {
    "open": (services.campaign_open, "公告已发布，开始报名。"),
    "close_registration": (services.campaign_close_registration, "报名已截止，开始资格审查。"),
    "start_scoring": (services.campaign_start_scoring, "资格审查结束，开始考试与测评。"),
    "rank": (services.campaign_rank, "已计算综合成绩并排名，按志愿分配了职位。"),
    "publish": (services.campaign_publish, "结果已公布。"),
    "close": (services.campaign_close, "本次选拔已结束。"),
}
TABS = [
    ("detail", "概况", "web:campaign-detail"),
    ("applications", "报名", "web:campaign-applications"),
    ("review", "资格审查", "web:campaign-review"),
    ("scores", "成绩", "web:campaign-scores"),
    ("stages", "考试环节", "web:campaign-stages"),
    ("panels", "面试考官组", "web:campaign-panels"),
    ("ranking", "排名与结果", "web:campaign-ranking"),
    ("statistics", "统计", "web:campaign-statistics"),
]


def _campaign(request: AuthedRequest, pk: int) -> Campaign:
    """A campaign in the user's scope, or 404 (also for roles that neither run nor oversee campaigns)."""
    if not (has_cap(request.user, Cap.CAMPAIGN_MANAGE) or has_cap(request.user, Cap.SELECTION_VIEW)):
        raise Http404("页面不存在或无权访问。")
    return selectors.campaign_get(user=request.user, campaign_id=pk)


def _manages(request: AuthedRequest, campaign: Campaign) -> bool:
    """Whether the user runs this campaign (the services check it again)."""
    return has_cap(request.user, Cap.CAMPAIGN_MANAGE) and can_edit_unit(request.user, campaign.unit)


def _managed(request: AuthedRequest, pk: int) -> Campaign:
    """A campaign the user runs; for anyone else the entry pages do not exist (404)."""
    campaign = _campaign(request, pk)
    if not _manages(request, campaign):
        raise Http404("页面不存在或无权访问。")
    return campaign


def _post_choices(campaign: Campaign) -> list[tuple[int, str]]:
    """The campaign's posts as choices (id of the campaign post, its name and places)."""
    return [(cp.pk, f"{cp.post}（{cp.places} 名）") for cp in selectors.campaign_posts(campaign)]


def _campaign_post(campaign: Campaign, pk: int | None) -> CampaignPost | None:
    """A post of this campaign by id (``None`` if not one of them)."""
    if pk is None:
        return None
    return next((cp for cp in selectors.campaign_posts(campaign) if cp.pk == pk), None)


def _render(
    request: AuthedRequest,
    campaign: Campaign,
    tab: str,
    template: str,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    """Render one of the campaign's pages with the header, the tabs and what the user may do."""
    plan = services.plan_of(campaign)
    base = {
        "campaign": campaign,
        "tab": tab,
        "tabs": [(key, label, reverse(name, args=[campaign.pk])) for key, label, name in TABS],
        "can_manage": _manages(request, campaign),
        "can_approve": has_cap(request.user, Cap.SELECTION_APPROVE),
        "plan": plan,
        "Status": CampaignStatus,
    }
    return render(request, f"web/campaigns/{template}", {**base, **context}, status=status)
