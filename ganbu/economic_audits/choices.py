"""Coded values of the economic-responsibility audits. Triggers, regulations, roles and
commissioning bodies are the pure rules' identifiers (``ganbu.rules.audit``), so the columns and
the checks agree."""

from django.db import models

from ganbu.rules.audit import Commissioner, Move, Regulation, Role

#: 任中审计 (AUD-05): not a move, the county's in-term plan.
IN_TERM = "in_term"

TRIGGER_CHOICES = [(m.value, f"离任审计：{m.label}") for m in Move] + [(IN_TERM, "任中审计")]
REGULATION_CHOICES = [
    (Regulation.R1999.value, "1999年暂行规定"),
    (Regulation.R2010.value, "2010年规定"),
    (Regulation.R2019.value, "2019年规定"),
]
ROLE_CHOICES = [(r.value, r.label) for r in Role]
COMMISSIONER_CHOICES = [(c.value, c.label) for c in Commissioner if c is not Commissioner.OTHER]


class Status(models.TextChoices):
    """Where an engagement stands; it moves forward only, one step at a time."""

    TO_COMMISSION = "to_commission", "待委托"
    COMMISSIONED = "commissioned", "已委托"
    IN_PROGRESS = "in_progress", "实施中"
    REPORTED = "reported", "已出具审计报告"
    CLOSED = "closed", "整改完成"


#: Statuses during which the audit is open (its proceeding blocks a resignation, DISC-14).
OPEN_STATUSES = (Status.COMMISSIONED, Status.IN_PROGRESS)
#: Statuses of an engagement that is under way or planned (not yet reported).
PENDING_STATUSES = (Status.TO_COMMISSION, Status.COMMISSIONED, Status.IN_PROGRESS)
#: Statuses of an engagement whose report is in.
DONE_STATUSES = (Status.REPORTED, Status.CLOSED)
