"""Fixtures for API tests: tokens, a client that sends them, and a small scoped population."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from ganbu.accounts.services import api_token_create
from ganbu.registry.choices import Gender
from ganbu.registry.tests.factories import CadreFactory
from ganbu.rules.idcard import check_char


def id_number(birth: dt.date, *, male: bool = True, region: str = "110101", seq: int = 12) -> str:
    """A valid 18-digit ID number for a birth date and gender (GB 11643-1999)."""
    sequence = f"{seq:02d}{1 if male else 2}"
    first17 = f"{region}{birth:%Y%m%d}{sequence}"
    return first17 + check_char(first17)


# An empty list page: no rows, an exact total of 0, no neighbours.
EMPTY_PAGE = {"items": [], "count": 0, "count_capped": False, "next": None, "previous": None}


class ApiClient:
    """A test client that authenticates with a bearer token and speaks JSON."""

    def __init__(self, key: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """GET ``/api/v1{path}`` with query parameters."""
        return self.client.get(f"/api/v1{path}", params or {}, headers=self.headers)

    def post(self, path: str, data: Any) -> Any:
        """POST a JSON body."""
        return self.client.post(
            f"/api/v1{path}", json.dumps(data), content_type="application/json", headers=self.headers
        )

    def put(self, path: str, data: Any) -> Any:
        """PUT a JSON body."""
        return self.client.put(
            f"/api/v1{path}", json.dumps(data), content_type="application/json", headers=self.headers
        )

    def delete(self, path: str) -> Any:
        """DELETE a resource."""
        return self.client.delete(f"/api/v1{path}", headers=self.headers)

    def patch(self, path: str, data: Any) -> Any:
        """PATCH a JSON body."""
        return self.client.patch(
            f"/api/v1{path}", json.dumps(data), content_type="application/json", headers=self.headers
        )


@pytest.fixture
def token_for(db):
    """``token_for(user)`` → a fresh API key of that user (through the service)."""

    def _make(user: Any, name: str = "测试集成") -> str:
        _token, key = api_token_create(actor=None, user=user, name=name)
        return key

    return _make


@pytest.fixture
def api_as(token_for):
    """``api_as(user)`` → an :class:`ApiClient` authenticated as that user."""

    def _make(user: Any) -> ApiClient:
        return ApiClient(token_for(user))

    return _make


@dataclass
class People:
    """张三 in the forestry station, 李四 in the finance bureau, 王芳 (woman) in the town."""

    zhangsan: Any
    lisi: Any
    wangfang: Any


@pytest.fixture
def people(tree) -> People:
    """Three cadres with valid ID numbers in three parts of the tree."""
    zhangsan = CadreFactory(
        name="张三",
        unit=tree.station,
        birth_date=dt.date(1980, 5, 17),
        id_number=id_number(dt.date(1980, 5, 17)),
    )
    lisi = CadreFactory(
        name="李四",
        unit=tree.finance,
        birth_date=dt.date(1970, 3, 1),
        id_number=id_number(dt.date(1970, 3, 1), seq=34),
    )
    wangfang = CadreFactory(
        name="王芳",
        unit=tree.town,
        gender=Gender.FEMALE,
        birth_date=dt.date(1990, 8, 8),
        id_number=id_number(dt.date(1990, 8, 8), male=False),
    )
    return People(zhangsan=zhangsan, lisi=lisi, wangfang=wangfang)


@pytest.fixture
def unit_officer(make_user, tree):
    """A unit personnel officer of the forestry bureau (scope: forestry and its station)."""
    return make_user("unit_officer", scope_unit=tree.forestry, display_name="林业局人事")


@pytest.fixture
def committee_member(make_user):
    """A standing committee member: sees the registry, not ID numbers or families."""
    return make_user("committee_member", display_name="常委")
