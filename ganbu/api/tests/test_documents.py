"""Appointment documents through the API: tenures created, all-or-nothing, scoped items."""

from __future__ import annotations

import pytest

from ganbu.core.models import AuditEvent
from ganbu.registry.models import AppointmentDocument, DocumentItem, Tenure
from ganbu.registry.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def posts(tree):
    """A head post in the forestry bureau and a deputy post in the finance bureau."""
    return {
        "forestry_head": PostFactory(unit=tree.forestry, title="局长", kind="head", rank="section"),
        "finance_deputy": PostFactory(unit=tree.finance, title="副局长"),
    }


def document(*items, number="示组〔2025〕1号"):
    """A ``POST /documents`` body with these items."""
    return {
        "number": number,
        "title": "关于张三等同志任免职的通知",
        "issued_on": "2025-03-01",
        "items": list(items),
    }


def test_issue_creates_tenures(officer, api_as, people, posts):
    api = api_as(officer)
    response = api.post(
        "/documents",
        document(
            {
                "kind": "appoint",
                "cadre_id": people.zhangsan.pk,
                "post_id": posts["forestry_head"].pk,
                "effective_on": "2025-03-01",
            },
            {"kind": "rank", "cadre_id": people.zhangsan.pk, "rank": "section", "effective_on": "2025-03-01"},
        ),
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["number"] == "示组〔2025〕1号"
    assert [(i["kind"], i["cadre"]["name"]) for i in data["items"]] == [("appoint", "张三"), ("rank", "张三")]
    assert data["items"][0]["post"] == {"id": posts["forestry_head"].pk, "name": "局长"}
    tenure = Tenure.objects.get(cadre=people.zhangsan)
    assert tenure.post == posts["forestry_head"] and tenure.end_date is None

    career = api.get(f"/cadres/{people.zhangsan.pk}/tenures").json()
    assert len(career) == 1
    assert career[0]["is_current"] is True
    assert career[0]["start_document"] == "示组〔2025〕1号"
    assert career[0]["unit"]["name"] == "县林业局"
    current = api.get("/tenures", {"cadre": people.zhangsan.pk, "current": "true"}).json()
    assert current["count"] == 1 and current["items"][0]["post"]["name"] == "局长"
    cadre = api.get(f"/cadres/{people.zhangsan.pk}").json()
    assert cadre["rank"] == "section" and cadre["is_leadership"] is True
    unit = api.get(f"/units/{posts['forestry_head'].unit_id}").json()
    head = next(q for q in unit["quotas"] if q["kind"] == "head")
    assert head["filled"] == 1


def test_a_failing_item_writes_nothing(officer, api_as, people, posts):
    api = api_as(officer)
    events = AuditEvent.objects.count()
    response = api.post(
        "/documents",
        document(
            {
                "kind": "appoint",
                "cadre_id": people.zhangsan.pk,
                "post_id": posts["forestry_head"].pk,
                "effective_on": "2025-03-01",
            },
            # 李四 does not hold this post: the removal fails, so the appointment above must not stay.
            {
                "kind": "remove",
                "cadre_id": people.lisi.pk,
                "post_id": posts["finance_deputy"].pk,
                "effective_on": "2025-03-01",
            },
        ),
    )
    assert response.status_code == 422
    assert "第 2 项" in response.json()["detail"]
    assert not AppointmentDocument.objects.exists()
    assert not DocumentItem.objects.exists()
    assert not Tenure.objects.exists()
    assert AuditEvent.objects.count() == events


def test_items_about_invisible_cadres_are_refused(unit_officer, api_as, people, posts):
    response = api_as(unit_officer).post(
        "/documents",
        document(
            {
                "kind": "appoint",
                "cadre_id": people.zhangsan.pk,
                "post_id": posts["forestry_head"].pk,
                "effective_on": "2025-03-01",
            },
            {
                "kind": "appoint",
                "cadre_id": people.lisi.pk,
                "post_id": posts["forestry_head"].pk,
                "effective_on": "2025-03-01",
            },
        ),
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["items.1.cadre_id"]
    assert not Tenure.objects.exists()


def test_appoint_without_post_and_empty_items(officer, api_as, people):
    api = api_as(officer)
    no_post = api.post(
        "/documents",
        document({"kind": "appoint", "cadre_id": people.zhangsan.pk, "effective_on": "2025-03-01"}),
    )
    assert no_post.status_code == 422
    assert "须选择职位" in no_post.json()["detail"]
    empty = api.post("/documents", document())
    assert empty.status_code == 422
    assert empty.json()["errors"] == {"items": ["至少需要 1 项。"]}
    assert not AppointmentDocument.objects.exists()


def test_duplicate_number_is_a_field_error(officer, api_as, people, posts):
    api = api_as(officer)
    item = {
        "kind": "rank",
        "cadre_id": people.lisi.pk,
        "rank": "deputy_section",
        "effective_on": "2025-03-01",
    }
    assert api.post("/documents", document(item)).status_code == 201
    again = api.post("/documents", document(item))
    assert again.status_code == 422
    assert list(again.json()["errors"]) == ["number"]
    assert AppointmentDocument.objects.count() == 1


def test_documents_and_items_are_scoped(officer, unit_officer, api_as, people, posts):
    api = api_as(officer)
    shared = api.post(
        "/documents",
        document(
            {
                "kind": "appoint",
                "cadre_id": people.zhangsan.pk,
                "post_id": posts["forestry_head"].pk,
                "effective_on": "2025-03-01",
            },
            {
                "kind": "appoint",
                "cadre_id": people.lisi.pk,
                "post_id": posts["finance_deputy"].pk,
                "effective_on": "2025-03-01",
            },
        ),
    ).json()
    other = api.post(
        "/documents",
        document(
            {
                "kind": "rank",
                "cadre_id": people.lisi.pk,
                "rank": "deputy_section",
                "effective_on": "2025-03-01",
            },
            number="示组〔2025〕2号",
        ),
    ).json()
    scoped = api_as(unit_officer)
    listed = scoped.get("/documents").json()
    assert [d["number"] for d in listed["items"]] == ["示组〔2025〕1号"]
    detail = scoped.get(f"/documents/{shared['id']}").json()
    assert [i["cadre"]["name"] for i in detail["items"]] == ["张三"]
    assert scoped.get(f"/documents/{other['id']}").status_code == 404
    assert len(api.get(f"/documents/{shared['id']}").json()["items"]) == 2
    tenures = scoped.get("/tenures").json()
    assert [t["cadre"]["name"] for t in tenures["items"]] == ["张三"]
