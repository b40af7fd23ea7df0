"""Future-dated document items come into force through ``cadre_refresh_derived``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from ganbu.core.audit import audit_verify
from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.registry.choices import Rank
from ganbu.registry.services import ItemInput, cadre_refresh_derived, document_issue
from ganbu.registry.tests.factories import CadreFactory, PostFactory


def test_an_appointment_effective_later_is_applied_when_its_day_comes(officer, tree, capsys) -> None:
    today = timezone.localdate()
    later = today + dt.timedelta(days=10)
    cadre = CadreFactory(unit=tree.finance, name="李明")
    post = PostFactory(unit=tree.town, title="副镇长")
    document_issue(
        actor=officer,
        number="示委〔2026〕9号",
        title="任免通知",
        issued_on=today,
        issuing_body="中共示例县委",
        items=[
            ItemInput(kind="appoint", cadre=cadre, post=post, effective_on=later),
            ItemInput(kind="rank", cadre=cadre, rank=Rank.DEPUTY_SECTION, effective_on=later),
        ],
    )
    cadre.refresh_from_db()
    assert (cadre.is_leadership, cadre.current_post_text, cadre.rank) == (False, "", Rank.STAFF)

    # The day before: nothing is due yet, and nothing is written.
    assert cadre_refresh_derived(actor=None, on=later - dt.timedelta(days=1), since=today) == []
    events = AuditEvent.objects.count()
    call_command("refresh", "--on", later.isoformat())
    cadre.refresh_from_db()
    assert (cadre.is_leadership, cadre.current_post_text, cadre.rank, cadre.unit) == (
        True,
        "城关镇副镇长",
        Rank.DEPUTY_SECTION,
        tree.town,
    )
    event = AuditEvent.objects.get(event_type="cadre.derived_refreshed")
    assert event.actor is None and event.after["rank"] == Rank.DEPUTY_SECTION
    assert "更新 1 名" in capsys.readouterr().out
    # Idempotent: a second run changes nothing and writes nothing.
    assert cadre_refresh_derived(actor=None, on=later, since=today) == []
    assert AuditEvent.objects.count() == events + 1
    assert audit_verify().ok


def test_refresh_is_refused_to_roles_that_cannot_edit(make_user) -> None:
    with pytest.raises(ServiceError):
        cadre_refresh_derived(
            actor=make_user("committee_member"), on=dt.date(2026, 1, 1), since=dt.date(2025, 12, 1)
        )
