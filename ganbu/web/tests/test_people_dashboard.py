"""The role-aware dashboard: head counts and structure for registry roles, links for the others."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from ganbu.registry import services
from ganbu.registry.selectors import cadre_structure
from ganbu.registry.tests.factories import CadreFactory

from .test_people_support import count_queries, text_of

pytestmark = pytest.mark.django_db


def years_ago(years: int, days: int = 0) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years, day=min(today.day, 28)) - dt.timedelta(days=days)


@pytest.fixture
def county(tree):
    """Serving cadres of known ages and educations, one retired, one reserve, one leader."""
    CadreFactory(unit=tree.finance, birth_date=years_ago(30), gender="F", highest_education="university")
    CadreFactory(unit=tree.finance, birth_date=years_ago(35), gender="M", highest_education="postgraduate")
    CadreFactory(unit=tree.station, birth_date=years_ago(36), gender="M", is_leadership=True, is_reserve=True)
    CadreFactory(unit=tree.town, birth_date=years_ago(56), gender="F", highest_education="college")
    CadreFactory(unit=tree.town, birth_date=years_ago(70), gender="M", status="retired")


def stat(response, name: str) -> str:
    match = re.search(
        rf'data-stat="{name}".*?class="stat-value[^"]*">([^<]*)<', response.content.decode(), re.S
    )
    assert match, name
    return match.group(1).strip()


def test_structure_selector_counts_serving_cadres_in_one_query(officer, county, django_assert_num_queries):
    with django_assert_num_queries(1):
        summary = cadre_structure(user=officer)
    assert (summary.total, summary.serving, summary.leaders, summary.reserve) == (5, 4, 1, 1)
    ages = dict(summary.by_age)
    assert ages["35岁及以下"] == 2 and ages["36—40岁"] == 1 and ages["56岁及以上"] == 1
    assert sum(ages.values()) == 4
    edu = dict(summary.by_education)
    assert (edu["研究生"], edu["大学"], edu["大专"], edu["未填写"]) == (1, 1, 1, 1)
    assert dict(summary.by_gender) == {"男": 2, "女": 2}


def test_officer_dashboard_shows_counts_structure_and_links(client, officer, county):
    client.force_login(officer)
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 200
    assert (stat(response, "serving"), stat(response, "leaders"), stat(response, "reserve")) == (
        "4",
        "1",
        "1",
    )
    assert stat(response, "corrections") == "0"
    text = text_of(response)
    assert "年龄结构" in text and "学历结构" in text and "性别结构" in text
    assert "35岁及以下 2 人 50.0%" in text
    html = response.content.decode()
    for name in (
        "web:cadre-list",
        "web:cadre-create",
        "web:unit-list",
        "web:document-list",
        "web:correction-list",
    ):
        assert f'href="{reverse(name)}' in html, name


def test_dashboard_counts_pending_corrections_for_reviewers(client, officer, tree, make_user):
    own = CadreFactory(unit=tree.finance)
    services.correction_submit(
        actor=make_user("cadre", cadre=own), field_name="health", proposed_value="良好"
    )
    client.force_login(officer)
    assert stat(client.get(reverse("web:dashboard")), "corrections") == "1"


def test_dashboard_query_count_does_not_grow_with_cadres(client, officer, tree):
    CadreFactory.create_batch(3, unit=tree.finance)
    client.force_login(officer)
    few, _ = count_queries(client, reverse("web:dashboard"))
    CadreFactory.create_batch(30, unit=tree.town)
    many, response = count_queries(client, reverse("web:dashboard"))
    assert stat(response, "serving") == "33"
    assert few == many


def test_unit_officer_dashboard_counts_only_their_subtree(client, tree, county, make_user):
    client.force_login(make_user("unit_officer", scope_unit=tree.forestry))
    response = client.get(reverse("web:dashboard"))
    assert (stat(response, "serving"), stat(response, "leaders")) == ("1", "1")
    assert "县林业局及下属单位" in text_of(response)


def test_cadre_dashboard_links_to_their_record_only(client, tree, make_user):
    own = CadreFactory(unit=tree.finance)
    client.force_login(make_user("cadre", cadre=own))
    response = client.get(reverse("web:dashboard"))
    html = response.content.decode()
    assert f'href="{reverse("web:my-record")}"' in html
    assert "查看我的档案" in text_of(response)
    assert 'data-stat="serving"' not in html and reverse("web:cadre-list") not in html


def test_auditor_dashboard_links_to_the_audit_trail(client, tree, county, make_user):
    client.force_login(make_user("auditor"))
    response = client.get(reverse("web:dashboard"))
    html = response.content.decode()
    assert f'href="{reverse("web:audit-list")}"' in html
    assert 'data-stat="serving"' not in html and reverse("web:cadre-list") not in html
