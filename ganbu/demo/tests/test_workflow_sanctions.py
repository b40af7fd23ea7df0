"""The demo's combined sanction (issue 14, item 3): a 记过 recorded by jiwei during a running 警告."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ganbu.core.models import AuditEvent
from ganbu.registry.models import RewardSanction
from ganbu.registry.sanction_selectors import state_of

pytestmark = pytest.mark.django_db


def test_a_new_sanction_during_a_running_period_is_combined(loaded):
    newer = RewardSanction.objects.select_related("combined_with").get(combined_with__isnull=False)
    older = newer.combined_with
    assert (older.sanction_type, newer.sanction_type) == ("warning", "demerit")
    assert older.decided_on < newer.decided_on <= older.effective_until < newer.effective_until
    state = state_of(newer, timezone.localdate())
    assert state.status.in_force and "合并计算" in newer.period_basis and state.running_deadlines
    assert state_of(older, timezone.localdate()).status == "combined"
    actors = set(
        AuditEvent.objects.filter(
            event_type="reward_sanction.recorded", target_id__in=[str(older.pk), str(newer.pk)]
        ).values_list("actor__username", flat=True)
    )
    assert actors == {"jiwei"}
