"""Coded values of the appointment procedure. The step order itself is ``ganbu.rules.selection_flow``."""

from django.db import models

from ganbu.rules.selection_flow import Step

# The record's current step uses the pure rule's identifiers, so the table and the column agree.
STEP_CHOICES = [(s.value, s.label) for s in Step]


class OpinionBody(models.TextChoices):
    """Who is asked before the decision (seed 一(五) 组织监督; INSP-07)."""

    DISCIPLINE = "discipline", "县纪委"
    OFFICE_610 = "office_610", "县610办"
    FAMILY_PLANNING = "family_planning", "县计生部门"
    SUPERIOR = "superior", "上级主管部门"
    COUNTY_LEADER = "county_leader", "分管县领导"
    OTHER = "other", "其他"


class OpinionAnswer(models.TextChoices):
    """An answer to an opinion request."""

    NO_OBJECTION = "no_objection", "无异议"
    PROBLEM = "problem", "有问题"


class CheckKind(models.TextChoices):
    """The mandatory checks before a promotion (凡提四必, INSP-06) and the prior audit (AUD-06)."""

    FILE_REVIEW = "file_review", "审核干部人事档案"
    PERSONAL_MATTERS = "personal_matters", "查核个人有关事项报告"
    INTEGRITY_OPINION = "integrity_opinion", "听取纪检监察机关党风廉政意见"
    PETITION_CHECK = "petition_check", "核查信访举报"
    ECONOMIC_AUDIT = "economic_audit", "经济责任审计"
    INTEGRITY_CONCLUSION = "integrity_conclusion", "单位党委廉洁自律结论性意见（书记、纪委书记签字）"


# The four checks every promotion needs (INSP-06), then the signed integrity conclusion; the audit
# only when the candidate's post requires one.
MANDATORY_CHECKS = (
    CheckKind.FILE_REVIEW,
    CheckKind.PERSONAL_MATTERS,
    CheckKind.INTEGRITY_OPINION,
    CheckKind.PETITION_CHECK,
    CheckKind.INTEGRITY_CONCLUSION,
)


class ObjectionStatus(models.TextChoices):
    """Where a public objection to a notice stands."""

    OPEN = "open", "待处理"
    RESOLVED = "resolved", "已办结"


class ObjectionKind(models.TextChoices):
    """What a member of the public sends about a notice."""

    OBJECTION = "objection", "反映问题"
    FEEDBACK = "feedback", "意见建议"


class ProbationStatus(models.TextChoices):
    """Probation of one appointee (APPT-04/06)."""

    RUNNING = "running", "试用中"
    CONFIRMED = "confirmed", "期满正式任职"
    NOT_CONFIRMED = "not_confirmed", "不胜任，免去试任职务"


class NoticeKind(models.TextChoices):
    """Public notices of the procedure (both are shown on the public pages while current)."""

    PREANNOUNCEMENT = "preannouncement", "考察预告"
    PUBLIC_NOTICE = "public_notice", "任前公示"


# The reminder items read to new town and bureau heads (seed 一(五) 社会监督: 不准突击提拔干部、
# 突击花钱、借款、签订合同、处置国有资产).
REMINDER_ITEMS = (
    ("no_rush_promotion", "不突击提拔、调整干部"),
    ("no_rush_spending", "不突击花钱"),
    ("no_borrowing", "不借款、不举债"),
    ("no_contracts", "不突击签订合同"),
    ("no_asset_disposal", "不擅自处置国有资产"),
)
