"""Existing sanctions get their kind and their computed 影响期 (issue 10, item 6).

Before this, the 影响期截止 was typed by hand and could be left blank, and a blank end blocked
promotion forever. For every sanction:

- the kind is read from its typed name (``rules.sanctions.sanction_type_from_name``);
- a blank end is filled with the end the regulation gives (DISC-01, DISC-06); it stays blank only
  for 开除/开除党籍 (no end) and for kinds without a national number (诫勉, 组织处理, others),
  where only the decision itself can say;
- a typed end that differs from the computed one is kept, and recorded as an override whose
  reason says so and names the computed end, for an officer to review.

Reversing keeps the filled ends: a filled end cannot be told from one typed equal to it, and it
is the regulation's end either way (the kinds and override reasons go with 0002's reverse).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

from ganbu.rules.sanctions import impact_period, sanction_type_from_name
from ganbu.rules.workdays import cn_date

LEGACY_REASON = "本系统按处分种类计算影响期之前录入的截止日期，予以保留（依规计算：{computed}）。"


def _computed_text(period: Any) -> str:
    if period.permanent:
        return "影响不因期满而解除"
    return f"至{cn_date(period.until)}"


def compute_periods(apps: Any, schema_editor: Any) -> None:
    """Set the kind of every sanction, fill blank ends, mark differing typed ends as overrides."""
    RewardSanction = apps.get_model("registry", "RewardSanction")
    for row in RewardSanction.objects.filter(kind="sanction").order_by("pk"):
        kind = sanction_type_from_name(row.name)
        period = impact_period(kind, row.decided_on)
        row.sanction_type = kind.value
        if row.effective_until is None:
            row.effective_until = period.until
        elif period.prescribed and row.effective_until != period.until:
            row.period_override_reason = LEGACY_REASON.format(computed=_computed_text(period))
        row.save(update_fields=["sanction_type", "effective_until", "period_override_reason"])


def keep_periods(apps: Any, schema_editor: Any) -> None:
    """Reverse: nothing to undo (see the module docstring)."""


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_sanction_type_and_period_override")]

    operations = [migrations.RunPython(compute_periods, keep_periods)]
