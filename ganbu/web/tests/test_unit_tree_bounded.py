"""The unit tree and the vacancies page stay bounded at province size (issue 13).

A county sees its whole tree; beyond ``selectors.UNIT_TREE_WHOLE_LIMIT`` units the tree shows one
unit's children a page at a time with a breadcrumb. Serving counts come from the structure
summary, never from the cadre table; the export still has every unit. The vacancies filter
renders a few units, not every unit in scope.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ganbu.registry import selectors
from ganbu.registry.models import Unit
from ganbu.registry.tests.factories import CadreFactory, UnitFactory

from .test_org_support import count_queries, text_of

pytestmark = pytest.mark.django_db

URL = "/units/"
VACANT = "/posts/vacant/"


def grow(parent: Unit, n: int, tag: str) -> list[Unit]:
    """``n`` units under ``parent``, each with one serving cadre and one child of its own."""
    made = []
    for i in range(n):
        unit = UnitFactory(name=f"{tag}单位{i}", parent=parent)
        CadreFactory(unit=unit, status="serving")
        UnitFactory(name=f"{tag}下属{i}", parent=unit)
        made.append(unit)
    return made


def crumbs(response) -> list[str]:
    """The breadcrumb's entries as read."""
    html = response.content.decode()
    found = re.search(r'<ol class="breadcrumb[^"]*" id="unit-crumbs">(.*?)</ol>', html, flags=re.S)
    assert found, "no breadcrumb"
    return [
        re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li[^>]*>(.*?)</li>", found[1], re.S)
    ]


@pytest.fixture
def small_limit(monkeypatch):
    """A province in miniature: more than three units in scope is shown a level at a time."""
    monkeypatch.setattr(selectors, "UNIT_TREE_WHOLE_LIMIT", 3)


def test_serving_counts_come_from_the_summary_not_the_cadre_table(client, tree, officer):
    CadreFactory.create_batch(2, unit=tree.finance, status="serving")
    CadreFactory(unit=tree.finance, status="retired")
    client.force_login(officer)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL)
    assert not [q["sql"] for q in ctx.captured_queries if "registry_cadre" in q["sql"]]
    row = re.search(r"县财政局</a>.*?</tr>", response.content.decode(), flags=re.S)
    assert row and re.sub(r"<[^>]+>|\s+", " ", row[0]).split()[-1] == "2"


def test_whole_tree_query_count_is_the_same_for_few_and_many_units(client, tree, officer):
    client.force_login(officer)
    small, response = count_queries(client, URL)
    assert 'id="unit-crumbs"' not in response.content.decode()
    grow(tree.station, 30, "甲")  # 5 units → 65
    large, response = count_queries(client, URL)
    assert text_of(response).count("甲单位") == 30 and "甲下属29" in text_of(response)
    assert small == large


def test_level_at_a_time_query_count_is_the_same_for_few_and_many_units(
    client, tree, officer, small_limit, settings
):
    settings.GANBU_PAGE_SIZE = 10
    client.force_login(officer)
    small_top, _ = count_queries(client, URL)
    small_under, _ = count_queries(client, f"{URL}?under={tree.station.pk}")
    grow(tree.station, 30, "乙")
    large_top, response = count_queries(client, URL)
    assert "乙单位" not in text_of(response)  # three levels below the top: not on the first page
    large_under, response = count_queries(client, f"{URL}?under={tree.station.pk}")
    assert text_of(response).count("乙单位") == 10  # a page of the station's 30 children
    assert (small_top, small_under) == (large_top, large_under)


def test_deep_tree_is_walked_down_and_back_up_without_javascript(
    client, tree, officer, small_limit, settings
):
    settings.GANBU_PAGE_SIZE = 10
    grow(tree.station, 12, "丙")
    client.force_login(officer)
    top = client.get(URL)
    assert crumbs(top) == ["全部单位"]
    assert "示例县" in text_of(top) and "县林业局" not in text_of(top)
    html = top.content.decode()
    assert f'href="/units/?under={tree.root.pk}"' in html

    county = client.get(URL, {"under": tree.root.pk})
    assert crumbs(county) == ["全部单位", "示例县"]
    assert {"县财政局", "县林业局", "城关镇"} <= set(text_of(county).split())
    assert f'href="/units/?under={tree.forestry.pk}"' in county.content.decode()
    assert f'href="/units/?under={tree.finance.pk}"' not in county.content.decode()  # no children

    station = client.get(URL, {"under": tree.station.pk})
    assert crumbs(station) == ["全部单位", "示例县", "县林业局", "第一林业站"]
    assert f'href="/units/?under={tree.forestry.pk}"' in station.content.decode()
    assert "共 25 个单位" in text_of(station)  # the station, its 12 units and their 12
    first = [n for n in text_of(station).split() if n.startswith("丙单位")]
    assert len(first) == 10
    nxt = re.search(r'rel="next" href="([^"]+)"', station.content.decode())
    assert nxt
    second = client.get(URL + nxt[1].replace("&amp;", "&"))
    rest = [n for n in text_of(second).split() if n.startswith("丙单位")]
    assert len(rest) == 2 and not set(rest) & set(first)
    assert crumbs(second)[-1] == "第一林业站"


def test_a_unit_officer_sees_only_their_subtree(client, tree, make_user, small_limit):
    grow(tree.station, 4, "丁")
    client.force_login(make_user("unit_officer", scope_unit=tree.forestry))
    top = client.get(URL)
    assert "县林业局" in text_of(top) and "示例县" not in text_of(top)
    assert crumbs(client.get(URL, {"under": tree.station.pk})) == ["全部单位", "县林业局", "第一林业站"]
    # A unit outside the scope is not a way out of it: the top of the scope is shown.
    outside = client.get(URL, {"under": tree.finance.pk})
    assert outside.status_code == 200
    assert "县财政局" not in text_of(outside) and crumbs(outside) == ["全部单位"]


def test_export_has_every_unit_with_summary_counts_when_the_page_shows_a_level(
    client, tree, officer, small_limit
):
    grow(tree.station, 5, "戊")
    client.force_login(officer)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, {"export": "csv"})
        content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert not [q["sql"] for q in ctx.captured_queries if "registry_cadre" in q["sql"]]
    rows = list(csv.reader(io.StringIO(content)))
    names = {r[0].strip("　 ") for r in rows if r}
    assert {u.name for u in Unit.objects.all()} <= names
    counts = {r[0].strip("　 "): r[4] for r in rows if len(r) > 4}
    assert counts["戊单位0"] == "1" and counts["戊下属0"] == "0"


def test_vacancies_filter_renders_a_few_units_whatever_their_number(client, tree, officer):
    client.force_login(officer)
    small, response = count_queries(client, VACANT)
    options = response.content.decode().count("<option")
    grow(tree.station, 30, "己")
    large, response = count_queries(client, VACANT)
    assert response.content.decode().count("<option") == options
    assert small == large
    # The chosen unit deep in the tree is offered (with its surroundings) and filters.
    deep = Unit.objects.get(name="己单位7")
    response = client.get(VACANT, {"unit": deep.pk})
    assert response.status_code == 200 and f'value="{deep.pk}" selected' in response.content.decode()


def test_a_unit_is_found_by_name_within_the_scope(client, tree, officer, make_user, small_limit):
    grow(tree.station, 3, "庚")
    client.force_login(officer)
    few, response = count_queries(client, f"{URL}?q=庚下属1")
    found = re.search(r'id="unit-found">(.*?)</ul>', response.content.decode(), flags=re.S)
    assert found and "庚下属1" in found[1] and "上级：庚单位1" in found[1]
    assert f'href="/units/?under={Unit.objects.get(name="庚下属1").pk}"' in found[1]
    grow(tree.station, 30, "辛")
    many, response = count_queries(client, f"{URL}?q=辛")
    assert few == many
    assert text_of(response).count("查看下级单位") == 20  # the first twenty, and a hint to narrow
    client.force_login(make_user("unit_officer", scope_unit=tree.forestry))
    assert "没有找到" in text_of(client.get(URL, {"q": "财政"}))
