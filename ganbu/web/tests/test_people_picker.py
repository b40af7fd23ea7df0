"""The cadre picker's JSON contract (the document form and picker.js depend on it)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ganbu.registry.tests.factories import CadreFactory

from .test_people_support import appoint, make_cadre

pytestmark = pytest.mark.django_db
URL = "/pickers/cadres/"


def test_picker_url_name():
    assert reverse("web:picker-cadres") == URL


def test_picker_returns_the_contract_shape(client, officer, tree):
    zhang = make_cadre(officer, tree.finance, "张三")
    appoint(officer, zhang, tree.finance, "副局长")
    plain = CadreFactory(name="张山", unit=tree.town)
    CadreFactory(name="李四", unit=tree.town)
    client.force_login(officer)
    response = client.get(URL, {"q": "zs"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    results = response.json()["results"]
    assert {"id": zhang.pk, "text": "张三（县财政局 副局长）", "name": "张三", "unit": "县财政局"} in results
    assert {"id": plain.pk, "text": "张山（城关镇）", "name": "张山", "unit": "城关镇"} in results
    assert len(results) == 2
    assert "张三（县财政局 副局长）" in response.content.decode()  # UTF-8, not \u escapes
    assert client.get(URL, {"q": "李"}).json()["results"][0]["name"] == "李四"
    assert client.get(URL, {"q": ""}).json() == {"results": []}
    assert client.get(URL).json() == {"results": []}


def test_picker_returns_at_most_20(client, officer, tree):
    CadreFactory.create_batch(25, unit=tree.finance)  # every factory name starts with 张 (z…)
    client.force_login(officer)
    assert len(client.get(URL, {"q": "z"}).json()["results"]) == 20


def test_picker_is_scoped_to_the_user(client, tree, make_user):
    inside = CadreFactory(name="张林", unit=tree.station)
    CadreFactory(name="张财", unit=tree.finance)
    client.force_login(make_user("unit_officer", scope_unit=tree.forestry))
    assert [r["id"] for r in client.get(URL, {"q": "张"}).json()["results"]] == [inside.pk]


@pytest.mark.parametrize("role", ["auditor", "cadre", "admin"])
def test_picker_is_404_without_registry_view(client, tree, make_user, role):
    CadreFactory(name="张三", unit=tree.finance)
    client.force_login(make_user(role))
    assert client.get(URL, {"q": "zs"}).status_code == 404


def test_picker_leaves_out_the_excluded_cadre_and_still_fills_the_list(client, officer, tree):
    people = CadreFactory.create_batch(22, unit=tree.finance)
    client.force_login(officer)
    first = client.get(URL, {"q": "z"}).json()["results"][0]["id"]
    results = client.get(URL, {"q": "z", "exclude": str(first)}).json()["results"]
    assert first not in {r["id"] for r in results}
    assert len(results) == 20 and len(people) == 22
