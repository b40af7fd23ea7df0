"""The in-transaction variants other apps' services use: they refuse to run outside a transaction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from ganbu.core.models import AuditEvent
from ganbu.registry import services
from ganbu.registry.choices import CadreStatus, DocumentItemKind
from ganbu.registry.models import Tenure
from ganbu.registry.tests.factories import CadreFactory, PostFactory


# Outside any transaction only with transaction=True: ordinary tests run inside one.
@pytest.mark.django_db(transaction=True)
def test_document_issue_within_needs_the_callers_transaction(officer, tree):
    cadre = CadreFactory(unit=tree.finance)
    post = PostFactory(unit=tree.finance)
    item = services.ItemInput(
        kind=DocumentItemKind.APPOINT, cadre=cadre, post=post, effective_on=dt.date(2026, 1, 5)
    )
    kwargs = {
        "actor": officer,
        "number": "示组〔2026〕1号",
        "title": "任职",
        "issued_on": dt.date(2026, 1, 5),
    }
    with pytest.raises(RuntimeError):
        services.document_issue_within(**kwargs, issuing_body="中共示例县委", items=[item])
    with transaction.atomic():
        services.document_issue_within(**kwargs, issuing_body="中共示例县委", items=[item])
    assert Tenure.objects.get(cadre=cadre).post == post


@pytest.mark.django_db(transaction=True)
def test_status_set_within_is_audited_and_checked(officer, tree):
    cadre = CadreFactory(unit=tree.finance)
    with pytest.raises(RuntimeError):
        services.cadre_status_set_within(
            actor=officer, cadre=cadre, status="retired", on=dt.date(2026, 1, 1), reason="到龄"
        )
    with transaction.atomic():
        services.cadre_status_set_within(
            actor=officer, cadre=cadre, status=CadreStatus.RETIRED, on=dt.date(2026, 1, 1), reason="到龄退休"
        )
    cadre.refresh_from_db()
    assert cadre.status == CadreStatus.RETIRED
    event = AuditEvent.objects.get(event_type="cadre.status_changed")
    assert event.before == {"status": "serving"} and event.reason == "到龄退休"
