"""Coded values of competitive selection campaigns."""

from django.db import models

from ganbu.jobs.choices import JobStatus


class CampaignKind(models.TextChoices):
    """The three kinds of the seed (一(一)): open selection, internal competition, joint selection."""

    OPEN_SELECTION = "open_selection", "公开选拔"
    COMPETITION = "competition", "竞争上岗"
    JOINT = "joint", "联合公选（外部考试成绩）"


class CampaignStatus(models.TextChoices):
    """Life cycle of a campaign."""

    DRAFT = "draft", "草稿"
    REGISTRATION = "registration", "报名中"
    REVIEW = "review", "资格审查"
    SCORING = "scoring", "考试与测评"
    RANKED = "ranked", "已排名"
    PUBLISHED = "published", "已公布结果"
    CLOSED = "closed", "已结束"


# Why a table: every service checks a move against it, so no code path can reopen registration
# after the ranking or publish results that were never ranked.
CAMPAIGN_TRANSITIONS: dict[str, frozenset[str]] = {
    CampaignStatus.DRAFT: frozenset({CampaignStatus.REGISTRATION}),
    CampaignStatus.REGISTRATION: frozenset({CampaignStatus.REVIEW}),
    CampaignStatus.REVIEW: frozenset({CampaignStatus.SCORING}),
    CampaignStatus.SCORING: frozenset({CampaignStatus.RANKED}),
    CampaignStatus.RANKED: frozenset({CampaignStatus.PUBLISHED, CampaignStatus.SCORING}),
    CampaignStatus.PUBLISHED: frozenset({CampaignStatus.CLOSED}),
    CampaignStatus.CLOSED: frozenset(),
}


class ApplicationStatus(models.TextChoices):
    """Where an application stands."""

    SUBMITTED = "submitted", "已报名"
    QUALIFIED = "qualified", "资格审查通过"
    REJECTED = "rejected", "资格审查未通过"
    WITHDRAWN = "withdrawn", "已退出"


class Outcome(models.TextChoices):
    """What became of an application at the end."""

    PENDING = "pending", "未定"
    APPOINTED = "appointed", "拟任用"
    NOT_SELECTED = "not_selected", "未入选"
    WITHDRAWN = "withdrawn", "退出"


# The import job's statuses moved to ``ganbu.jobs.choices`` with the job (issue 12).
ImportStatus = JobStatus
"""Where an Excel score import stands: ``ganbu.jobs.choices.JobStatus`` under its former name."""
