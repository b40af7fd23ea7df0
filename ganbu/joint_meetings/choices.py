"""Coded values of the joint meeting (联席会议): its status, the member bodies, agenda sources, follow-ups."""

from django.db import models


class MeetingStatus(models.TextChoices):
    """Where a meeting stands: planned, held, minutes settled (then only follow-ups change)."""

    PLANNED = "planned", "筹备中"
    HELD = "held", "已召开"
    MINUTED = "minuted", "纪要已定稿"


class Body(models.TextChoices):
    """The member bodies of the county's joint meeting (seed 一(五)) and the department."""

    DISCIPLINE = "discipline", "纪检"
    SUPERVISION = "supervision", "监察"
    PETITION = "petition", "信访"
    AUDIT = "audit", "审计"
    POLICE = "police", "公安"
    PROCURATORATE = "procuratorate", "检察"
    COURT = "court", "法院"
    ORGANIZATION = "organization", "组织部"


class AgendaSource(models.TextChoices):
    """Where an agenda item comes from: an open case of another app, or typed by the officer."""

    PETITION = "petition", "信访举报"
    TALK = "talk", "函询"
    AUDIT = "audit", "经济责任审计"
    FREE = "free", "其他议题"


class FollowUpStatus(models.TextChoices):
    """A follow-up item is open until its owner reports it done."""

    OPEN = "open", "未办结"
    DONE = "done", "已办结"
