"""The campaign statistics and applications pages ask the database as often at any size (issue 13)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ganbu.campaigns.choices import ApplicationStatus
from ganbu.campaigns.models import Application
from ganbu.campaigns.tests.scene import open_campaign, register
from ganbu.registry.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def grow(scene, start: int, n: int) -> None:
    apps = [
        register(scene, seq, post=seq % 2, age=25 + seq % 12, female=bool(seq % 3))
        for seq in range(start, start + n)
    ]
    Application.objects.filter(pk__in=[a.pk for a in apps[::2]]).update(status=ApplicationStatus.QUALIFIED)


@pytest.mark.parametrize("page", ["web:campaign-statistics", "web:campaign-applications"])
def test_the_page_takes_the_same_queries_with_ten_times_the_applicants(client, tree, officer, page):
    scene = open_campaign(tree, officer)
    grow(scene, 1, 3)
    client.force_login(officer)
    url = reverse(page, args=[scene.campaign.pk])
    client.get(url)  # warm the per-process caches (policy, calendar)
    small = queries(client, url)
    grow(scene, 100, 30)
    for n in range(20):
        UnitFactory(name=f"新增单位{n}", parent=tree.forestry)  # more units in scope: the filter stays lean
    large = queries(client, url)
    assert len(small) == len(large), "\n".join(large)


def test_the_unit_filter_offers_the_top_of_the_tree_and_the_chosen_unit(client, tree, officer):
    scene = open_campaign(tree, officer)
    deep = UnitFactory(name="林业站下属所", parent=tree.station)
    client.force_login(officer)
    url = reverse("web:campaign-applications", args=[scene.campaign.pk])
    html = client.get(url).content.decode()
    offered = re.findall(
        r'<option value="(\d+)"[^>]*>[^<]*</option>', html.split('name="unit"')[1].split("</select>")[0]
    )
    assert str(tree.forestry.pk) in offered and str(tree.station.pk) not in offered
    html = client.get(url, {"unit": tree.station.pk}).content.decode()
    unit_select = html.split('name="unit"')[1].split("</select>")[0]
    assert f'value="{tree.station.pk}" selected' in unit_select and f'value="{deep.pk}"' in unit_select
