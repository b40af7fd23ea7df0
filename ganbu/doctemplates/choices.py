"""The kinds of document the system produces (the registry in ``kinds`` describes each and its source)."""

from django.db import models


class DocKind(models.TextChoices):
    """A kind of document; the value is used in URLs and in the API."""

    PREANNOUNCEMENT = "preannouncement", "考察预告"
    PUBLIC_NOTICE = "public_notice", "任前公示公告"
    APPOINTMENT_NOTICE = "appointment_notice", "任职通知"
    INSPECTION_OUTLINE = "inspection_outline", "考察材料提纲"
    DECISION_LIST = "decision_list", "常委会讨论决定任免干部名单"
    JOINT_MEETING_MINUTES = "joint_meeting_minutes", "会议纪要"
    TALK_RECORD = "talk_record", "谈话记录"
    AUDIT_COMMISSION = "audit_commission", "经济责任审计委托书"
    EXCHANGE_DECISION = "exchange_decision", "交流任职决定"
    TRAINING_ROSTER = "training_roster", "培训班花名册"
    TRAINING_CERTIFICATE = "training_certificate", "结业证书"
