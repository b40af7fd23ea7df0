"""Data scope through the API: the same rules as the UI (404 for out-of-scope, sensitive fields)."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.core.models import AuditEvent
from ganbu.registry.models import Cadre, FamilyMember

from .conftest import EMPTY_PAGE

pytestmark = pytest.mark.django_db


def test_unit_officer_gets_404_for_a_cadre_outside_the_subtree(unit_officer, people, api_as):
    api = api_as(unit_officer)
    inside = api.get(f"/cadres/{people.zhangsan.pk}")
    assert inside.status_code == 200
    assert inside.json()["name"] == "张三"
    outside = api.get(f"/cadres/{people.lisi.pk}")
    missing = api.get("/cadres/999999")
    assert outside.status_code == missing.status_code == 404
    assert outside.json() == missing.json()


def test_unit_officer_cannot_patch_outside_the_subtree(unit_officer, people, api_as):
    api = api_as(unit_officer)
    before = AuditEvent.objects.count()
    response = api.patch(f"/cadres/{people.lisi.pk}", {"native_place": "外县"})
    assert response.status_code == 404
    assert response.json() == api.get("/cadres/999999").json()
    people.lisi.refresh_from_db()
    assert people.lisi.native_place == "示例县"
    assert AuditEvent.objects.count() == before
    inside = api.patch(f"/cadres/{people.zhangsan.pk}", {"native_place": "林区"})
    assert inside.status_code == 200, inside.content
    assert inside.json()["native_place"] == "林区"


def test_unit_officer_cannot_move_a_cadre_out_of_scope(unit_officer, people, api_as, tree):
    response = api_as(unit_officer).patch(f"/cadres/{people.zhangsan.pk}", {"unit_id": tree.finance.pk})
    assert response.status_code == 422
    assert "unit_id" in response.json()["errors"]
    assert Cadre.objects.get(pk=people.zhangsan.pk).unit_id == people.zhangsan.unit_id


def test_list_excludes_cadres_outside_the_subtree(unit_officer, officer, people, api_as):
    names = {c["name"] for c in api_as(unit_officer).get("/cadres").json()["items"]}
    assert names == {"张三"}
    all_names = {c["name"] for c in api_as(officer).get("/cadres").json()["items"]}
    assert all_names == {"张三", "李四", "王芳"}


def test_units_and_posts_are_scoped(unit_officer, tree, api_as):
    api = api_as(unit_officer)
    units = api.get("/units").json()
    assert {u["name"] for u in units["items"]} == {"县林业局", "第一林业站"}
    assert api.get(f"/units/{tree.finance.pk}").status_code == 404
    refused = api.post(
        "/posts", {"unit_id": tree.finance.pk, "title": "局长", "kind": "head", "rank": "section"}
    )
    assert refused.status_code == 422
    assert list(refused.json()["errors"]) == ["unit_id"]


def test_committee_member_sees_no_id_numbers(committee_member, officer, people, api_as):
    member = api_as(committee_member)
    listed = member.get("/cadres").json()["items"]
    assert len(listed) == 3
    assert all(c["id_number"] is None for c in listed)
    assert member.get(f"/cadres/{people.zhangsan.pk}").json()["id_number"] is None
    detail = api_as(officer).get(f"/cadres/{people.zhangsan.pk}").json()
    assert detail["id_number"] == people.zhangsan.id_number


def test_family_only_for_roles_that_may_see_it(committee_member, officer, people, api_as):
    FamilyMember.objects.create(
        cadre=people.zhangsan, relation="妻子", name="赵敏", birth_date=dt.date(1982, 1, 1)
    )
    family = api_as(officer).get(f"/cadres/{people.zhangsan.pk}/family")
    assert family.status_code == 200
    assert [(m["relation"], m["name"]) for m in family.json()] == [("妻子", "赵敏")]
    hidden = api_as(committee_member).get(f"/cadres/{people.zhangsan.pk}/family")
    assert hidden.status_code == 404
    # The cadre record itself never carries family members.
    assert "family" not in str(api_as(officer).get(f"/cadres/{people.zhangsan.pk}").json().keys())


def test_roles_without_registry_access_see_nothing(make_user, people, api_as):
    auditor = api_as(make_user("auditor"))
    assert auditor.get("/cadres").json() == EMPTY_PAGE
    assert auditor.get(f"/cadres/{people.zhangsan.pk}").status_code == 404


def test_self_service_cadre_sees_only_their_own_record(make_user, people, api_as):
    api = api_as(make_user("cadre", cadre=people.wangfang))
    items = api.get("/cadres").json()["items"]
    assert [c["name"] for c in items] == ["王芳"]
    assert items[0]["id_number"] == people.wangfang.id_number
    assert api.get(f"/cadres/{people.zhangsan.pk}").status_code == 404
