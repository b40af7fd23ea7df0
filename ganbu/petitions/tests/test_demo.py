"""The demo county's petitions: five cases in every state, one concluded with a 提醒谈话, by the services."""

from __future__ import annotations

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from ganbu.accounts.models import User
from ganbu.core.models import AuditEvent
from ganbu.petitions import selectors
from ganbu.petitions.choices import Conclusion, PetitionStatus
from ganbu.petitions.models import Petition
from ganbu.talks.choices import TalkKind


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo county at a tenth of its size with its workflows; flushed after the module."""
    with django_db_blocker.unblock():
        call_command("demo", "--scale", "0.1", stdout=io.StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)
        ContentType.objects.clear_cache()


@pytest.mark.django_db
def test_demo_petitions_in_every_state_with_a_talk(demo):
    statuses = sorted(Petition.objects.values_list("status", flat=True))
    assert statuses.count(PetitionStatus.CONCLUDED) == 2
    assert {PetitionStatus.RECEIVED, PetitionStatus.ASSIGNED, PetitionStatus.VERIFYING} <= set(statuses)
    talked = Petition.objects.get(conclusion=Conclusion.REMINDER_TALK)
    assert talked.talk is not None and talked.talk.kind == TalkKind.REMINDER
    assert list(talked.cadres.all()) == [talked.talk.cadre]
    events = AuditEvent.objects.filter(event_type__startswith="petitions.")
    assert (
        events.count() >= 14
        and not events.filter(actor__isnull=False).exclude(actor__username__in=["zzb", "jiwei"]).exists()
    )
    today = timezone.localdate()
    zzb, jiwei = User.objects.get(username="zzb"), User.objects.get(username="jiwei")
    assert selectors.todo_petitions_due(zzb, today, 5).count >= 1
    overdue = selectors.todo_petitions_due(jiwei, today, 5)
    assert overdue.count == 1 and overdue.items[0].overdue
