"""Choices of the exchanges app: the kind and direction of an exchange, where a plan stands."""

from __future__ import annotations

from django.db import models


class ExchangeKind(models.TextChoices):
    """How a cadre is exchanged (ROT-11, 《公务员法》第六十九条至第七十二条).

    调任、转任 and 轮岗 move the cadre's post: they end the old tenure and start the new one through
    an appointment document. 挂职 and 党外干部挂任 keep the cadre's own post: the host post is
    recorded with its term, and the registry's tenures do not change.
    """

    TRANSFER_IN = "transfer_in", "调任"
    TRANSFER = "transfer", "转任"
    ROTATION = "rotation", "轮岗"
    SECONDMENT = "secondment", "挂职"
    NONPARTY_SECONDMENT = "nonparty_secondment", "党外干部挂任"


#: Kinds that keep the cadre's own post (no change of tenure).
KEEPS_POST = frozenset({ExchangeKind.SECONDMENT, ExchangeKind.NONPARTY_SECONDMENT})
#: Kinds a rotation plan's moves may have (the ones that change a post).
MOVE_KINDS = (ExchangeKind.TRANSFER_IN, ExchangeKind.TRANSFER, ExchangeKind.ROTATION)


class ExchangeDirection(models.TextChoices):
    """Which way an exchange goes (issue 15: county ↔ town, organ ↔ enterprise, up and down)."""

    COUNTY_TO_TOWN = "county_to_town", "县直单位到乡镇"
    TOWN_TO_COUNTY = "town_to_county", "乡镇到县直单位"
    TOWN_TO_TOWN = "town_to_town", "乡镇之间"
    COUNTY_TO_COUNTY = "county_to_county", "县直单位之间"
    ORGAN_TO_ENTERPRISE = "organ_to_enterprise", "机关到企业"
    ENTERPRISE_TO_ORGAN = "enterprise_to_organ", "企业到机关"
    UPWARD = "upward", "到上级机关"
    DOWNWARD = "downward", "到下级单位"
    OTHER = "other", "其他"


class PlanStatus(models.TextChoices):
    """Where a rotation plan stands: draft → discussed → carried out; or withdrawn."""

    DRAFT = "draft", "草拟中"
    DISCUSSED = "discussed", "已讨论"
    CARRIED_OUT = "carried_out", "已实施"
    WITHDRAWN = "withdrawn", "已撤回"
