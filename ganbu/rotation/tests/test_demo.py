"""The demo county has cadres due to rotate and terms ending, from the generator's own dates.

The generated careers already reach the thresholds (ten years in a post, long service in one
department …), so the demo needs no rotation workflow of its own: this test proves the lists are
populated for ``zzb`` and scoped for the forestry bureau's officer.
"""

from __future__ import annotations

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from ganbu.accounts.models import User
from ganbu.rotation import selectors
from ganbu.rules.rotation import Urgency


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo county at a tenth of its size with its workflows; flushed after the module."""
    with django_db_blocker.unblock():
        call_command("demo", "--scale", "0.1", stdout=io.StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)
        ContentType.objects.clear_cache()


@pytest.mark.django_db
def test_demo_has_cadres_due_and_terms_ending(demo):
    zzb = User.objects.get(username="zzb")
    today = timezone.localdate()
    rows = selectors.rotation_due(user=zzb, today=today)
    reasons = [r for row in rows for r in row.reasons]
    assert {"ROT-08", "ROT-10"} <= {r.rule for r in reasons}
    # The generator's married couples in one town's team: avoidance, 必须交流.
    must = [row for row in rows if row.urgency is Urgency.MUST]
    assert must and all(any("任职回避" in r.message for r in row.reasons) for row in must)
    assert all(r.since <= today for r in reasons)
    assert selectors.terms_ending(user=zzb, today=today, months=12)
    officer = User.objects.get(username="rsj")
    scoped = selectors.rotation_due(user=officer, today=today)
    assert len(scoped) < len(rows) and {r.cadre_id for r in scoped} <= {r.cadre_id for r in rows}
