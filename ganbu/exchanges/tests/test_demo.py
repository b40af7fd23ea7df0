"""The demo county's exchanges, made by ``zzb`` through the services: five 党外干部挂任 with host posts
and terms, moves between county units and towns through documents, a plan discussed and not carried out."""

from __future__ import annotations

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from ganbu.accounts.models import User
from ganbu.exchanges import selectors
from ganbu.exchanges.choices import ExchangeKind, PlanStatus
from ganbu.exchanges.models import ExchangeRecord, RotationPlan
from ganbu.registry.choices import PoliticalStatus
from ganbu.registry.models import Tenure


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo county at a tenth of its size with its workflows; flushed after the module."""
    with django_db_blocker.unblock():
        call_command("demo", "--scale", "0.1", stdout=io.StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)
        ContentType.objects.clear_cache()


@pytest.mark.django_db
def test_demo_exchanges_and_plan(demo):
    zzb = User.objects.get(username="zzb")
    today = timezone.localdate()
    nonparty = ExchangeRecord.objects.filter(kind=ExchangeKind.NONPARTY_SECONDMENT)
    assert nonparty.count() == 5
    for record in nonparty.select_related("cadre"):
        assert record.cadre.political_status != PoliticalStatus.CPC
        assert record.host_post_title in ("局长助理", "校长助理") and record.planned_end_on > record.start_on
        assert record.document is None and record.recorded_by == zzb
    moves = ExchangeRecord.objects.filter(kind__in=[ExchangeKind.TRANSFER, ExchangeKind.ROTATION])
    assert moves.count() == 2
    for record in moves:
        assert record.document is not None
        assert Tenure.objects.get(cadre=record.cadre, post=record.to_post, end_date__isnull=True)
        assert Tenure.objects.get(cadre=record.cadre, post=record.from_post).end_date == record.start_on
    assert {m.direction for m in moves} == {"town_to_county", "county_to_town"}
    assert ExchangeRecord.objects.filter(kind=ExchangeKind.SECONDMENT).count() == 1
    plan = RotationPlan.objects.get()
    assert plan.status == PlanStatus.DISCUSSED and plan.moves.count() == 2 and plan.planned_on > today
    assert not [f for f in selectors.plan_checks(user=zzb, plan=plan) if f.blocks]
    groups = {g.kind: g for g in selectors.todo_groups(zzb, today)}
    assert groups[selectors.TODO_SECONDMENT_ENDING].count >= 1
    assert groups[selectors.TODO_PLAN_PENDING].count == 1
