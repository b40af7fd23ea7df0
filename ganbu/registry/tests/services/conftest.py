"""Helpers for registry service tests: valid ID numbers, a snapshot of everything services write."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ganbu.core.models import AuditEvent
from ganbu.registry.models import (
    AppointmentDocument,
    Cadre,
    DocumentItem,
    RankRecord,
    Tenure,
)
from ganbu.rules.idcard import check_char


def id_number(birth: dt.date, gender: str = "M", *, region: str = "320102", want_x: bool = False) -> str:
    """A valid 18-character ID number for a birth date and gender (17th digit odd = male)."""
    for seq in range(1000):
        if (seq % 2 == 1) != (gender == "M"):
            continue
        first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
        check = check_char(first17)
        if not want_x or check == "X":
            return first17 + check
    raise AssertionError("no sequence code gives the wanted check character")


def cadre_data(unit: Any, **overrides: Any) -> dict[str, Any]:
    """The fields of a valid new cadre record in ``unit``."""
    data: dict[str, Any] = {
        "name": "张三",
        "gender": "M",
        "birth_date": dt.date(1980, 5, 17),
        "native_place": "示例县",
        "unit": unit,
    }
    data.update(overrides)
    return data


def written_state() -> dict[str, Any]:
    """Everything a registry service may write, as comparable plain data."""
    return {
        "documents": list(AppointmentDocument.objects.order_by("id").values()),
        "items": list(DocumentItem.objects.order_by("id").values()),
        "tenures": list(Tenure.objects.order_by("id").values()),
        "ranks": list(RankRecord.objects.order_by("id").values()),
        "cadres": list(Cadre.objects.order_by("id").values()),
        "audit": list(AuditEvent.objects.order_by("seq").values_list("seq", "hash")),
    }


@pytest.fixture
def unit_officer(make_user, tree):
    """A unit personnel officer whose scope is 县林业局 and its station."""
    return make_user("unit_officer", scope_unit=tree.forestry, display_name="林业局人事干部")
