"""Competitive selection campaigns: the campaign, its posts, applications, scores, interview sheets.

A campaign's eligibility rules and stage plan are data (``ganbu.rules.campaign`` specs stored as
JSON), so each campaign carries its own announcement's conditions and weights. Writes go through
``ganbu.campaigns.services``; an applicant from outside the registry is an ``Applicant`` until
appointed, when the registry gets a cadre record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .choices import ApplicationStatus, CampaignKind, CampaignStatus, Outcome


class Campaign(models.Model):
    """One 公开选拔 / 竞争上岗 / joint selection: posts, announcement, timetable, rules and stage plan.

    ``eligibility`` is an ``EligibilitySpec`` as JSON and ``stages`` a ``StagePlan``; ``cutoff`` is
    the day ages and years are counted to. ``scope_units`` limit who may apply to a 竞争上岗 (the
    unit or system it is held in); ``unit`` is the organising unit, which decides who manages it.
    """

    kind = models.CharField("类别", max_length=20, choices=CampaignKind.choices)
    title = models.CharField("名称", max_length=200)
    unit = models.ForeignKey(
        "registry.Unit", verbose_name="组织单位", on_delete=models.PROTECT, related_name="campaigns"
    )
    scope_units = models.ManyToManyField(
        "registry.Unit", verbose_name="报名范围（单位）", blank=True, related_name="+"
    )
    status = models.CharField(
        "状态", max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT, db_index=True
    )
    announcement = models.TextField("公告")
    registration_start = models.DateField("报名开始")
    registration_end = models.DateField("报名截止")
    cutoff = models.DateField("资格条件计算截止日")
    eligibility = models.JSONField("报名条件")
    stages = models.JSONField("考试环节与权重")
    allow_second_choice = models.BooleanField("可填报第二志愿", default=False)
    reserve_top_n = models.PositiveSmallIntegerField("未任用者进入后备干部的名次线", default=0)
    reserve_level = models.CharField("后备干部层次", max_length=20, blank=True)
    # Written by ``campaign_rank`` so the ranking page reads a stored result, never re-ranks.
    allocation_method = models.TextField("职位分配办法", blank=True, default="")
    allocation_notes = models.JSONField("职位分配说明", default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "竞争性选拔"
        verbose_name_plural = "竞争性选拔"
        ordering = ["-registration_start", "-id"]

    def __str__(self) -> str:
        return self.title


class CampaignPost(models.Model):
    """A post offered by a campaign, with the number of places."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="选拔", on_delete=models.CASCADE, related_name="posts"
    )
    post = models.ForeignKey("registry.Post", verbose_name="职位", on_delete=models.PROTECT, related_name="+")
    places = models.PositiveSmallIntegerField("职数", default=1)
    sort_order = models.PositiveSmallIntegerField("序号", default=0)

    class Meta:
        verbose_name = "选拔职位"
        verbose_name_plural = "选拔职位"
        ordering = ["campaign", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "post"], name="campaign_post_once")]

    def __str__(self) -> str:
        return str(self.post)


class IdentityStatus(models.TextChoices):
    """Whether the department holds an applicant record to be the person its ID number names.

    See docs/decisions/0010-applicant-identity.md: a declared ID number (public page, staff entry of
    someone's declared facts) is 未核验 until staff check the identity document at the qualification
    review or settle an identity conflict; a registry cadre's comes from the record (干部档案); the
    other records of an ID number that staff settled on someone else are 未予认定.
    """

    UNVERIFIED = "unverified", "待核验"
    REGISTRY = "registry", "以干部档案为准"
    VERIFIED = "verified", "已核验"
    REJECTED = "rejected", "未予认定"


# The states in which a record owns its ID number: at most one record per number (a constraint).
OWNING_IDENTITIES = (IdentityStatus.REGISTRY, IdentityStatus.VERIFIED)


class Applicant(models.Model):
    """A person who applies: a cadre of the registry, or someone from outside with their own facts.

    The facts here are what the eligibility rules read; for a registry cadre they are copied from
    the record when the application is made, so the check is of the facts as declared that day.
    ``user`` is the applicant's own account when they registered on the public page.

    An ID number may stand on more than one record (someone may type another person's number on
    the public page), but only one record **owns** it: a registry cadre's, or one whose identity
    staff verified (``identity``). Two records of one number that do not both stand rejected are an
    identity conflict, which staff settle (``services.identity_conflict_resolve``).
    """

    cadre = models.ForeignKey(
        "registry.Cadre",
        verbose_name="在册干部",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="报名账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applicant",
    )
    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=1)
    birth_date = models.DateField("出生日期")
    id_number = models.CharField("身份证号", max_length=18, db_index=True)
    political_status = models.CharField("政治面貌", max_length=20)
    education = models.CharField("学历", max_length=20)
    work_start_date = models.DateField("参加工作时间", null=True, blank=True)
    rank = models.CharField("现职级", max_length=20, blank=True)
    rank_since = models.DateField("任现职级时间", null=True, blank=True)
    unit_name = models.CharField("工作单位", max_length=100, blank=True)
    unit = models.ForeignKey(
        "registry.Unit",
        verbose_name="所在单位（在册）",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    post_text = models.CharField("现任职务", max_length=100, blank=True)
    last_year_rating = models.CharField("上一年度考核等次", max_length=20, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    identity = models.CharField(
        "身份核验",
        max_length=20,
        choices=IdentityStatus.choices,
        default=IdentityStatus.UNVERIFIED,
    )
    identity_basis = models.CharField("核验方式", max_length=100, blank=True, default="")
    identity_note = models.CharField("身份核定理由", max_length=300, blank=True, default="")
    identity_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="身份核验人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    identity_checked_at = models.DateTimeField("身份核验时间", null=True, blank=True)

    class Meta:
        verbose_name = "报名人员"
        verbose_name_plural = "报名人员"
        ordering = ["name", "id"]
        constraints = [
            # One owner per ID number; unverified and rejected claims may stand beside it.
            models.UniqueConstraint(
                fields=["id_number"],
                condition=models.Q(identity__in=["registry", "verified"]),
                name="applicant_id_number_owner_once",
            ),
            # A registry cadre has one applicant record, found by the cadre, never by a typed number.
            models.UniqueConstraint(
                fields=["cadre"], condition=models.Q(cadre__isnull=False), name="applicant_cadre_once"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Application(models.Model):
    """One person's application to one campaign: choices, the eligibility check, the review, the result.

    ``findings`` are the eligibility findings at submission (rule, message, citation); the
    qualification review then passes or rejects it, or admits it as an exception with an approver.
    ``stage_reached`` is the last stage the applicant entered (the first stage once qualified, later
    ones as the cut lists let them through); ``total``, ``place``, ``position`` (the order in the
    ranking, ties included), ``place_note`` and, for finalists, ``assigned_post`` and
    ``placement_note`` come from the ranking (``campaign_rank``); ``outcome`` from the decision.
    """

    campaign = models.ForeignKey(
        Campaign, verbose_name="选拔", on_delete=models.CASCADE, related_name="applications"
    )
    applicant = models.ForeignKey(
        Applicant, verbose_name="报名人员", on_delete=models.PROTECT, related_name="applications"
    )
    first_choice = models.ForeignKey(
        CampaignPost, verbose_name="第一志愿", on_delete=models.PROTECT, related_name="first_choices"
    )
    second_choice = models.ForeignKey(
        CampaignPost,
        verbose_name="第二志愿",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="second_choices",
    )
    ticket = models.CharField("准考证号", max_length=20, blank=True, db_index=True)
    status = models.CharField(
        "状态",
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
        db_index=True,
    )
    findings = models.JSONField("资格条件核对", default=list, blank=True)
    review_note = models.CharField("审查意见", max_length=300, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审查人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    exception_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="破格入围批准人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField("报名时间", auto_now_add=True)
    stage_reached = models.CharField("已进入环节", max_length=30, blank=True)
    total = models.DecimalField("综合成绩", max_digits=7, decimal_places=2, null=True, blank=True)
    place = models.PositiveIntegerField("名次", null=True, blank=True)
    position = models.PositiveIntegerField("排名顺序", null=True, blank=True)
    place_note = models.CharField("名次说明", max_length=200, blank=True, default="")
    placement_note = models.CharField("职位分配说明", max_length=300, blank=True, default="")
    assigned_post = models.ForeignKey(
        CampaignPost,
        verbose_name="拟任职位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField("结果", max_length=20, choices=Outcome.choices, default=Outcome.PENDING)

    class Meta:
        verbose_name = "报名"
        verbose_name_plural = "报名"
        ordering = ["campaign", "place", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "applicant"], name="application_once")]
        indexes = [
            models.Index(fields=["campaign", "status"]),
            models.Index(fields=["campaign", "position"], name="application_ranking"),
        ]

    def __str__(self) -> str:
        return f"{self.applicant}（{self.campaign}）"


class Attachment(models.Model):
    """A file an applicant attaches (diploma, certificate …), kept in the database, small by rule."""

    application = models.ForeignKey(
        Application, verbose_name="报名", on_delete=models.CASCADE, related_name="attachments"
    )
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("类型", max_length=100)
    data = models.BinaryField("内容")
    size = models.PositiveIntegerField("大小")

    class Meta:
        verbose_name = "报名附件"
        verbose_name_plural = "报名附件"

    def __str__(self) -> str:
        return self.name


class StageScore(models.Model):
    """An application's score in one stage (笔试, 面试, 民主测评, an external exam), with its source."""

    application = models.ForeignKey(
        Application, verbose_name="报名", on_delete=models.CASCADE, related_name="scores"
    )
    stage = models.CharField("环节", max_length=30)
    score = models.DecimalField("成绩", max_digits=7, decimal_places=2)
    source = models.CharField("来源", max_length=100)
    absent = models.BooleanField("缺考", default=False)

    class Meta:
        verbose_name = "成绩"
        verbose_name_plural = "成绩"
        constraints = [models.UniqueConstraint(fields=["application", "stage"], name="stage_score_once")]

    def __str__(self) -> str:
        return f"{self.application}：{self.stage} {self.score}"


class InterviewPanel(models.Model):
    """An interview panel (面试考官组) of one stage: judges, criteria with maxima, trimming, locked or not.

    Judges see only their own sheets until the panel is locked; locking computes the panel scores.
    """

    campaign = models.ForeignKey(
        Campaign, verbose_name="选拔", on_delete=models.CASCADE, related_name="panels"
    )
    stage = models.CharField("环节", max_length=30)
    name = models.CharField("考官组", max_length=100)
    judges = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="考官", related_name="+")
    criteria = models.JSONField("评分要素")
    drop_high = models.PositiveSmallIntegerField("去掉最高分个数", default=1)
    drop_low = models.PositiveSmallIntegerField("去掉最低分个数", default=1)
    locked = models.BooleanField("已锁定", default=False)
    applications = models.ManyToManyField(Application, verbose_name="面试对象", related_name="panels")

    class Meta:
        verbose_name = "面试考官组"
        verbose_name_plural = "面试考官组"

    def __str__(self) -> str:
        return self.name


class PanelSheet(models.Model):
    """One judge's scores for one candidate, per criterion."""

    panel = models.ForeignKey(
        InterviewPanel, verbose_name="考官组", on_delete=models.CASCADE, related_name="sheets"
    )
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="考官", on_delete=models.PROTECT, related_name="+"
    )
    application = models.ForeignKey(
        Application, verbose_name="面试对象", on_delete=models.CASCADE, related_name="+"
    )
    scores = models.JSONField("分项得分")

    class Meta:
        verbose_name = "评分表"
        verbose_name_plural = "评分表"
        constraints = [
            models.UniqueConstraint(fields=["panel", "judge", "application"], name="panel_sheet_once"),
        ]

    def __str__(self) -> str:
        return f"{self.judge} → {self.application}"


# The import job moved to ``ganbu.jobs`` (issue 12; same table). Importable from here as before.
from ganbu.jobs.models import ImportJob as ImportJob  # noqa: E402
