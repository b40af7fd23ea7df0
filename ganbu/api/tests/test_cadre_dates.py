"""Issue 10, item 2 through the API: the services' plausibility checks are 422s naming the field."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ganbu.core.models import AuditEvent
from ganbu.registry.choices import PostKind, Rank
from ganbu.registry.models import Cadre, Tenure
from ganbu.registry.tests.factories import CadreFactory, PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(officer, api_as):
    return api_as(officer)


def body(tree, **overrides):
    data = {"name": "赵六", "gender": "M", "birth_date": "1985-03-12", "native_place": "示例县"}
    data["unit_id"] = tree.finance.pk
    data.update(overrides)
    return data


def test_a_cadre_aged_eleven_is_a_422_naming_the_birth_date(api, tree):
    today = timezone.localdate()
    events = AuditEvent.objects.count()
    response = api.post(
        "/cadres", body(tree, birth_date=today.replace(year=today.year - 11, day=1).isoformat())
    )
    assert response.status_code == 422
    (message,) = response.json()["errors"]["birth_date"]
    assert "年仅 11 周岁" in message and "《中华人民共和国劳动法》第十五条" in message
    assert not Cadre.objects.exists() and AuditEvent.objects.count() == events


def test_work_start_before_birth_is_a_422_naming_the_field(api, tree):
    response = api.post("/cadres", body(tree, work_start_date="1970-01-01"))
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "work_start_date": ["参加工作时间 1970年1月 早于出生日期 1985年3月12日。"]
    }
    assert not Cadre.objects.exists()


def test_party_join_in_the_future_is_a_422(api, tree):
    later = timezone.localdate().replace(day=1) + dt.timedelta(days=40)
    response = api.post("/cadres", body(tree, party_join_date=later.isoformat()))
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["party_join_date"]


def test_patching_the_work_start_after_a_tenure_is_a_422(api, tree):
    cadre = CadreFactory(
        unit=tree.finance, birth_date=dt.date(1985, 3, 12), work_start_date=dt.date(2007, 7, 1)
    )
    post = PostFactory(unit=tree.finance, title="副局长", kind=PostKind.DEPUTY, rank=Rank.DEPUTY_SECTION)
    issued = api.post(
        "/documents",
        {
            "number": "示委〔2010〕1号",
            "title": "任职通知",
            "issued_on": "2010-03-01",
            "items": [
                {"kind": "appoint", "cadre_id": cadre.pk, "post_id": post.pk, "effective_on": "2010-03-01"}
            ],
        },
    )
    assert issued.status_code == 201, issued.content
    response = api.patch(f"/cadres/{cadre.pk}", {"work_start_date": "2012-09-01"})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["work_start_date"]
    cadre.refresh_from_db()
    assert cadre.work_start_date == dt.date(2007, 7, 1)


def test_an_appointment_before_the_work_start_is_a_422(api, tree):
    cadre = CadreFactory(
        unit=tree.finance, birth_date=dt.date(1985, 3, 12), work_start_date=dt.date(2007, 7, 1)
    )
    post = PostFactory(unit=tree.finance, title="副局长", kind=PostKind.DEPUTY, rank=Rank.DEPUTY_SECTION)
    response = api.post(
        "/documents",
        {
            "number": "示委〔2006〕1号",
            "title": "任职通知",
            "issued_on": "2006-03-01",
            "items": [
                {"kind": "appoint", "cadre_id": cadre.pk, "post_id": post.pk, "effective_on": "2006-03-01"}
            ],
        },
    )
    assert response.status_code == 422
    assert "早于参加工作时间 2007年7月" in response.json()["detail"]
    assert not Tenure.objects.exists()
