"""The selection record (纪实) and everything each step leaves behind.

A record moves through the steps of ``ganbu.rules.selection_flow`` only by the services in
``ganbu.selection.services``; each step is a ``StepEvent`` and an audit event. Ballots (recommendation,
inspection evaluation, committee vote) are the voting app's; the appointment is a registry document.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .choices import (
    STEP_CHOICES,
    CheckKind,
    NoticeKind,
    ObjectionKind,
    ObjectionStatus,
    OpinionAnswer,
    OpinionBody,
    ProbationStatus,
)


class SelectionRecord(models.Model):
    """One selection (纪实) for a vacancy or a batch of posts, from 动议 to 试用期满.

    ``step`` is the last step completed. ``announcement`` (第一时间公告提醒 applies: town party and
    government heads, county bureau heads), ``public_notice`` (任前公示 applies; false only for the
    APPT-01 exceptions, with ``notice_exemption``) and ``probation`` (the posts carry a probation)
    choose the route through the transition table. ``exceptional`` marks a 破格 promotion (EXC-*).
    """

    title = models.CharField("名称", max_length=200)
    unit = models.ForeignKey(
        "registry.Unit", verbose_name="拟任单位", on_delete=models.PROTECT, related_name="selections"
    )
    reason = models.TextField("动议理由")
    proposer = models.CharField("提议人（单位）", max_length=100)
    proposed_on = models.DateField("动议日期")
    step = models.CharField(
        "当前环节", max_length=30, choices=STEP_CHOICES, default="proposal", db_index=True
    )
    announcement = models.BooleanField("须第一时间公告提醒", default=False)
    public_notice = models.BooleanField("须任前公示", default=True)
    notice_exemption = models.CharField("免于公示的理由", max_length=300, blank=True)
    probation = models.BooleanField("实行任职试用期", default=True)
    exceptional = models.BooleanField("破格提拔", default=False)
    exceptional_reason = models.CharField("破格理由", max_length=300, blank=True)
    withdrawn_reason = models.CharField("终止理由", max_length=300, blank=True)
    recommendation_ballot = models.ForeignKey(
        "voting.Ballot",
        verbose_name="民主推荐",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    inspection_ballot = models.ForeignKey(
        "voting.Ballot",
        verbose_name="考察民主测评",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    committee_ballot = models.ForeignKey(
        "voting.Ballot",
        verbose_name="常委会票决",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    document = models.ForeignKey(
        "registry.AppointmentDocument",
        verbose_name="任职文件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "选拔任用纪实"
        verbose_name_plural = "选拔任用纪实"
        ordering = ["-proposed_on", "-id"]

    def __str__(self) -> str:
        return self.title


class SelectionPost(models.Model):
    """A post the selection is to fill (动议: 职位)."""

    record = models.ForeignKey(
        SelectionRecord, verbose_name="纪实", on_delete=models.CASCADE, related_name="posts"
    )
    post = models.ForeignKey("registry.Post", verbose_name="职位", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "拟任职位"
        verbose_name_plural = "拟任职位"
        constraints = [models.UniqueConstraint(fields=["record", "post"], name="selection_post_once")]

    def __str__(self) -> str:
        return str(self.post)


class StepEvent(models.Model):
    """A step completed (or the record withdrawn): when, by whom, with what note. The trail in order."""

    record = models.ForeignKey(
        SelectionRecord, verbose_name="纪实", on_delete=models.CASCADE, related_name="events"
    )
    step = models.CharField("环节", max_length=30, choices=STEP_CHOICES)
    done_on = models.DateField("日期")
    done_at = models.DateTimeField("记录时间", auto_now_add=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "环节记录"
        verbose_name_plural = "环节记录"
        ordering = ["record", "id"]

    def __str__(self) -> str:
        return f"{self.record}：{self.get_step_display()}"


class TalkSurvey(models.Model):
    """谈话调研推荐 (REC-02): who was talked with, how many, and what came out of it."""

    record = models.ForeignKey(
        SelectionRecord, verbose_name="纪实", on_delete=models.CASCADE, related_name="talk_surveys"
    )
    held_on = models.DateField("谈话日期")
    participants = models.PositiveIntegerField("谈话人数")
    scope = models.CharField("谈话范围", max_length=300)
    summary = models.TextField("推荐情况")

    class Meta:
        verbose_name = "谈话调研推荐"
        verbose_name_plural = "谈话调研推荐"
        ordering = ["record", "held_on", "id"]

    def __str__(self) -> str:
        return f"谈话调研推荐（{self.participants} 人）"


class Candidate(models.Model):
    """A person considered for a post: chosen as an inspection candidate (考察对象) or not.

    ``findings`` keeps the eligibility and avoidance findings as checked when the candidates were
    set (rule, citation, message, severity), so the record shows what the officers saw.
    ``approved`` is set from the committee vote; ``appointed`` when the document is issued.
    """

    record = models.ForeignKey(
        SelectionRecord, verbose_name="纪实", on_delete=models.CASCADE, related_name="candidates"
    )
    cadre = models.ForeignKey(
        "registry.Cadre", verbose_name="人选", on_delete=models.PROTECT, related_name="+"
    )
    post = models.ForeignKey(
        "registry.Post", verbose_name="拟任职位", on_delete=models.PROTECT, related_name="+"
    )
    votes = models.PositiveIntegerField("推荐得票", null=True, blank=True)
    findings = models.JSONField("资格与回避审查", default=list, blank=True)
    proposed = models.BooleanField("部务会提出的任用建议人选", default=False)
    approved = models.BooleanField("常委会通过", null=True, blank=True)
    appointed = models.BooleanField("已任职", default=False)
    sort_order = models.PositiveSmallIntegerField("序号", default=0)

    class Meta:
        verbose_name = "考察对象"
        verbose_name_plural = "考察对象"
        ordering = ["record", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["record", "cadre", "post"], name="selection_candidate_once")
        ]

    def __str__(self) -> str:
        return f"{self.cadre.name}（{self.post}）"


class Override(models.Model):
    """A failed check the rules allow to proceed past, with the reason and the approver (never the officer).

    ``rule`` is the rule id (``QUAL-05``, ``EXC-06`` …, ``OPINIONS`` for deciding before every
    opinion is in, ``INSP-EVAL`` for an inspection without its 民主测评); ``finding`` the finding it
    lifts in the system's words, as shown to the leader who chose it; ``cadre`` is the person it
    concerns, empty for record-level overrides.
    """

    record = models.ForeignKey(
        SelectionRecord, verbose_name="纪实", on_delete=models.CASCADE, related_name="overrides"
    )
    cadre = models.ForeignKey(
        "registry.Cadre",
        verbose_name="人选",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rule = models.CharField("规则", max_length=40)
    finding = models.CharField("审查意见", max_length=500, blank=True)
    reason = models.CharField("理由", max_length=500)
    higher_approval_ref = models.CharField("上级批复文号", max_length=100, blank=True)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="批准人", on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField("批准日期")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "审批例外"
        verbose_name_plural = "审批例外"
        ordering = ["record", "id"]

    def __str__(self) -> str:
        return f"{self.finding or self.rule}：{self.reason}"


class PublicNotice(models.Model):
    """A notice published to the public pages: 考察预告 (to the unit) or 任前公示.

    A notice is current from ``start_date`` to ``end_date`` inclusive; the public page shows only
    current notices. ``body`` is the text as published. ``length_reason`` says why a 任前公示
    is longer than the general maximum of the rule in force (APPT-03: 一般为7—15天).
    """

    record = models.ForeignKey(
        SelectionRecord, verbose_name="纪实", on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField("类别", max_length=20, choices=NoticeKind.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文")
    start_date = models.DateField("起始日期")
    end_date = models.DateField("截止日期")
    contact = models.CharField("受理电话及地址", max_length=300, blank=True)
    length_reason = models.CharField("公示期超过一般期限的理由", max_length=300, blank=True)
    team = models.JSONField("考察组成员", default=list, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField("发布时间", auto_now_add=True)

    class Meta:
        verbose_name = "公告"
        verbose_name_plural = "公告"
        ordering = ["-start_date", "-id"]
        constraints = [models.UniqueConstraint(fields=["record", "kind"], name="selection_notice_once")]

    def __str__(self) -> str:
        return self.title


class Objection(models.Model):
    """Something a member of the public sent about a notice, tracked by a random code until resolved.

    ``name`` and ``contact`` are empty when the sender chose to stay anonymous; nothing else about
    the sender (no address, no IP) is kept with it.
    """

    notice = models.ForeignKey(
        PublicNotice, verbose_name="公告", on_delete=models.PROTECT, related_name="objections"
    )
    kind = models.CharField(
        "类别", max_length=20, choices=ObjectionKind.choices, default=ObjectionKind.OBJECTION
    )
    tracking_code = models.CharField("查询码", max_length=20, unique=True)
    about = models.CharField("反映对象", max_length=100, blank=True)
    content = models.TextField("内容")
    name = models.CharField("姓名", max_length=50, blank=True)
    contact = models.CharField("联系方式", max_length=100, blank=True)
    received_at = models.DateTimeField("收到时间", auto_now_add=True)
    status = models.CharField(
        "状态", max_length=20, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN
    )
    resolution = models.TextField("办理结果", blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = "群众反映"
        verbose_name_plural = "群众反映"
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"群众反映 {self.tracking_code}"


class SubmissionThrottle(models.Model):
    """One public submission's keyed address hash and clock hour, for rate limiting only.

    Kept apart from ``Objection`` on purpose: nothing joins a submission to its sender. The key
    changes every hour and ``at`` holds only the hour; rows older than two hours are deleted by
    the next submission (``services.objection_submit``).
    """

    key = models.CharField("来源摘要", max_length=64, db_index=True)
    at = models.DateTimeField("时段（整点）", db_index=True)

    class Meta:
        verbose_name = "提交频率记录"
        verbose_name_plural = "提交频率记录"

    def __str__(self) -> str:
        return self.key[:8]


class InspectionCheck(models.Model):
    """One mandatory check of one inspection candidate (凡提四必 INSP-06; prior audit AUD-06)."""

    candidate = models.ForeignKey(
        Candidate, verbose_name="考察对象", on_delete=models.CASCADE, related_name="checks"
    )
    kind = models.CharField("事项", max_length=30, choices=CheckKind.choices)
    done_on = models.DateField("完成日期")
    result = models.TextField("结论")
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "考察审核事项"
        verbose_name_plural = "考察审核事项"
        ordering = ["candidate", "kind"]
        constraints = [models.UniqueConstraint(fields=["candidate", "kind"], name="inspection_check_once")]

    def __str__(self) -> str:
        return f"{self.candidate}：{self.get_kind_display()}"


class Inspection(models.Model):
    """考察: the team (≥ 2, INSP-04), the dates, the interviews and the materials of one record."""

    record = models.OneToOneField(
        SelectionRecord, verbose_name="纪实", on_delete=models.CASCADE, related_name="inspection"
    )
    team_leader = models.CharField("考察组组长", max_length=50)
    team = models.JSONField("考察组成员")
    started_on = models.DateField("考察开始日期")
    finished_on = models.DateField("考察结束日期", null=True, blank=True)
    interviews = models.PositiveIntegerField("个别谈话人数", default=0)
    audit_required = models.BooleanField("须经济责任审计", default=False)
    materials = models.TextField("考察材料", blank=True)

    class Meta:
        verbose_name = "考察"
        verbose_name_plural = "考察"

    def __str__(self) -> str:
        return f"考察：{self.record}"


class OpinionRequest(models.Model):
    """征求意见: one body asked about the candidates before the decision; it answers in the system."""

    record = models.ForeignKey(
        SelectionRecord, verbose_name="纪实", on_delete=models.CASCADE, related_name="opinion_requests"
    )
    body = models.CharField("征求意见单位", max_length=30, choices=OpinionBody.choices)
    body_name = models.CharField("单位名称", max_length=100)
    addressee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="答复人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_on = models.DateField("发出日期")
    answer = models.CharField("答复", max_length=20, choices=OpinionAnswer.choices, blank=True)
    answer_text = models.TextField("答复意见", blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="答复登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "征求意见"
        verbose_name_plural = "征求意见"
        ordering = ["record", "id"]
        constraints = [models.UniqueConstraint(fields=["record", "body_name"], name="opinion_request_once")]

    def __str__(self) -> str:
        return f"征求{self.body_name}意见"


class Decision(models.Model):
    """部务会 and the standing committee's decision of one record (the vote itself is a ballot)."""

    record = models.OneToOneField(
        SelectionRecord, verbose_name="纪实", on_delete=models.CASCADE, related_name="decision"
    )
    department_meeting_on = models.DateField("部务会日期")
    department_minutes = models.TextField("部务会意见")
    committee_decided_on = models.DateField("常委会决定日期", null=True, blank=True)

    class Meta:
        verbose_name = "讨论决定"
        verbose_name_plural = "讨论决定"

    def __str__(self) -> str:
        return f"讨论决定：{self.record}"


class Announcement(models.Model):
    """第一时间公告提醒: announced at the unit right after the vote, and the reminders acknowledged."""

    record = models.OneToOneField(
        SelectionRecord, verbose_name="纪实", on_delete=models.CASCADE, related_name="announcement_made"
    )
    announced_on = models.DateField("宣布日期")
    place = models.CharField("宣布地点（会议）", max_length=200)
    announced_by = models.CharField("宣布人", max_length=50)
    reminders = models.JSONField("提醒事项（已确认）")
    acknowledged_by = models.CharField("提醒对象签字确认", max_length=200)

    class Meta:
        verbose_name = "第一时间公告提醒"
        verbose_name_plural = "第一时间公告提醒"

    def __str__(self) -> str:
        return f"公告提醒：{self.record}"


class Feedback(models.Model):
    """任后反响: the social reaction collected within a month of the appointment, with a written report."""

    record = models.OneToOneField(
        SelectionRecord, verbose_name="纪实", on_delete=models.CASCADE, related_name="feedback"
    )
    due_on = models.DateField("应报告日期")
    collected_on = models.DateField("报告日期")
    sources = models.CharField("收集范围", max_length=300)
    report = models.TextField("书面报告")

    class Meta:
        verbose_name = "任后反响"
        verbose_name_plural = "任后反响"

    def __str__(self) -> str:
        return f"任后反响：{self.record}"


class Probation(models.Model):
    """试用期 of one appointee: a year from the appointment notice, then an assessment (APPT-04–07)."""

    record = models.ForeignKey(
        SelectionRecord, verbose_name="纪实", on_delete=models.PROTECT, related_name="probations"
    )
    candidate = models.OneToOneField(
        Candidate, verbose_name="任职人", on_delete=models.PROTECT, related_name="probation"
    )
    tenure = models.ForeignKey(
        "registry.Tenure", verbose_name="试用任职", on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField("试用期起始")
    end_date = models.DateField("试用期届满")
    status = models.CharField(
        "状态", max_length=20, choices=ProbationStatus.choices, default=ProbationStatus.RUNNING
    )
    evaluation_ballot = models.ForeignKey(
        "voting.Ballot",
        verbose_name="期满民主测评",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    conclusion = models.TextField("考核结论", blank=True)
    concluded_on = models.DateField("结论日期", null=True, blank=True)
    document = models.ForeignKey(
        "registry.AppointmentDocument",
        verbose_name="正式任职或免职文件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "试用期"
        verbose_name_plural = "试用期"
        ordering = ["end_date", "id"]
        indexes = [models.Index(fields=["status", "end_date"])]

    def __str__(self) -> str:
        return f"试用期：{self.candidate}"
