"""Roles (domain.md §3)."""

from django.db import models


class Role(models.TextChoices):
    """What a user does in the system; capabilities per role are in ``ganbu.core.access``."""

    ORG_OFFICER = "org_officer", "组织部干部科工作人员"
    ORG_LEADER = "org_leader", "组织部领导"
    UNIT_OFFICER = "unit_officer", "单位人事干部"
    SUPERVISOR = "supervisor", "监督部门（纪委、审计、信访）"
    COMMITTEE_MEMBER = "committee_member", "县委常委"
    CADRE = "cadre", "干部本人（自助）"
    AUDITOR = "auditor", "审计员（系统日志）"
    ADMIN = "admin", "系统管理员"
    JUDGE = "judge", "面试考官"
    APPLICANT = "applicant", "报名人员"
