"""``reward_sanction_record_within``: a sanction recorded inside the caller's transaction (issue 14).

The talks proceeding records a 诫勉 in its own durable transaction; the within-variant does the
same checks and writes the same audit event as ``reward_sanction_record``.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.registry.choices import RewardSanctionKind, SanctionType
from ganbu.registry.models import RewardSanction
from ganbu.registry.services import reward_sanction_record_within
from ganbu.registry.tests.factories import CadreFactory

D = dt.date


@pytest.fixture
def cadre(tree):
    return CadreFactory(unit=tree.station, name="王林", birth_date=D(1980, 5, 17))


def admonishment(**fields):
    data = {
        "kind": RewardSanctionKind.SANCTION,
        "sanction_type": SanctionType.ADMONISHMENT,
        "decided_on": D(2024, 3, 15),
        "effective_until": D(2024, 9, 14),
        "approving_body": "中共示例县纪委",
        "reason": "履职不力",
    }
    data.update(fields)
    return data


@pytest.mark.django_db(transaction=True)
def test_within_records_inside_the_callers_transaction_with_the_audit_event(officer, cadre) -> None:
    with transaction.atomic(durable=True):
        saved = reward_sanction_record_within(actor=officer, cadre=cadre, data=admonishment())
    saved.refresh_from_db()
    assert (saved.name, saved.effective_until) == ("诫勉", D(2024, 9, 14))
    assert AuditEvent.objects.filter(event_type="reward_sanction.recorded", target_id=str(saved.pk)).exists()


@pytest.mark.django_db(transaction=True)
def test_within_refuses_like_the_durable_service_and_rolls_back_with_the_caller(officer, cadre) -> None:
    with pytest.raises(ServiceError) as exc, transaction.atomic(durable=True):
        reward_sanction_record_within(actor=officer, cadre=cadre, data=admonishment(effective_until=None))
    assert "effective_until" in exc.value.message_dict
    assert not RewardSanction.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_within_outside_a_transaction_is_a_programming_error(officer, cadre) -> None:
    with pytest.raises(RuntimeError):
        reward_sanction_record_within(actor=officer, cadre=cadre, data=admonishment())
