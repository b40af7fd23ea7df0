"""The demo county's talks, made by ``jiwei`` through the services: each kind and the three to-do groups."""

from __future__ import annotations

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from ganbu.accounts.models import User
from ganbu.registry.models import RewardSanction
from ganbu.talks import selectors
from ganbu.talks.choices import TalkKind, TalkStatus
from ganbu.talks.models import Talk


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo county at a tenth of its size with its workflows; flushed after the module."""
    with django_db_blocker.unblock():
        call_command("demo", "--scale", "0.1", stdout=io.StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)
        ContentType.objects.clear_cache()


@pytest.mark.django_db
def test_demo_talks_of_every_kind_and_their_to_dos(demo):
    jiwei, zzb = User.objects.get(username="jiwei"), User.objects.get(username="zzb")
    today = timezone.localdate()
    mine = Talk.objects.filter(recorded_by=jiwei)
    integrity = mine.get(kind=TalkKind.INTEGRITY)
    assert integrity.selection_record is not None and integrity.held_on <= today
    assert mine.filter(kind=TalkKind.REMINDER).exists()
    assert mine.filter(kind=TalkKind.INQUIRY, status=TalkStatus.ANSWERED).count() == 1
    admonished = mine.get(kind=TalkKind.ADMONISHMENT)
    assert admonished.period_months == 6 and today <= admonished.period_end
    assert RewardSanction.objects.get(pk=admonished.sanction_id).effective_until == admonished.period_end
    assert selectors.todo_admonishments_ending(zzb, today, 5).count >= 1
    overdue = selectors.todo_inquiries_overdue(jiwei, today, 5)
    assert overdue.count == 1 and overdue.items[0].overdue
    # The appointee talked to is not due; other decided records' appointees are.
    due = selectors.integrity_talks_due(user=zzb)
    assert not due.filter(record=integrity.selection_record, cadre=integrity.cadre).exists()
