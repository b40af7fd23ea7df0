"""Unit pickers load on demand (issue 13): the cadre filter renders a few units, the rest are
searched (``web:picker-units``), scoped to the user."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ganbu.registry.choices import UnitKind
from ganbu.registry.tests.factories import CadreFactory, UnitFactory

pytestmark = pytest.mark.django_db
PICKER = reverse("web:picker-units")
LIST = reverse("web:cadre-list")


def found(client, q: str) -> list[str]:
    response = client.get(PICKER, {"q": q})
    assert response.status_code == 200
    return [row["name"] for row in response.json()["results"]]


def unit_options(html: str) -> list[str]:
    select = re.search(r'<select name="unit".*?</select>', html, re.S)
    assert select is not None
    return re.findall(r'<option value="(\d*)"', select.group(0))


@pytest.fixture
def offices(tree):
    """25 offices deep in the tree (depth 2), under 县财政局."""
    return [
        UnitFactory(name=f"办公室{i:02d}", parent=tree.finance, kind=UnitKind.INTERNAL) for i in range(25)
    ]


def test_the_picker_finds_units_by_name_or_short_name_at_most_20(client, officer, tree, offices):
    client.force_login(officer)
    assert found(client, "林业") == ["县林业局", "第一林业站"]
    assert len(found(client, "办公室")) == 20
    tree.town.short_name = "城关"
    tree.town.save()
    assert found(client, "城 关") == ["城关镇"]
    assert found(client, "") == []
    text = client.get(PICKER, {"q": "办公室00"}).json()["results"][0]["text"]
    assert text == "办公室00（县财政局）"  # the parent tells the many 办公室 apart


def test_a_unit_officer_cannot_find_other_units(client, make_user, tree, offices):
    client.force_login(make_user("unit_officer", scope_unit=tree.forestry))
    assert found(client, "县财政局") == []
    assert found(client, "办公室") == []
    assert found(client, "林业") == ["县林业局", "第一林业站"]


def test_the_picker_asks_once_whatever_the_number_of_units(client, officer, tree, offices):
    client.force_login(officer)
    client.get(PICKER, {"q": "办公室"})  # the session and the user are read once warm
    with CaptureQueriesContext(connection) as few:
        client.get(PICKER, {"q": "办公室"})
    UnitFactory.create_batch(30, name="办公室", parent=tree.town, kind=UnitKind.INTERNAL)
    with CaptureQueriesContext(connection) as many:
        client.get(PICKER, {"q": "办公室"})
    assert len(few) == len(many)


def test_the_cadre_filter_renders_a_few_units_and_accepts_any(client, officer, tree, offices):
    deep = offices[7]
    CadreFactory(unit=deep, name="张三")
    CadreFactory(unit=tree.town, name="李四")
    client.force_login(officer)
    html = client.get(LIST).content.decode()
    # 全部单位 and the top two levels only; not the 25 offices.
    top = ["", str(tree.root.pk), str(tree.finance.pk), str(tree.forestry.pk), str(tree.town.pk)]
    assert sorted(unit_options(html)) == sorted(top)
    assert 'data-unit-picker="/pickers/units/"' in html and "ganbu/unit-picker.js" in html
    # A unit the select did not render is still a valid choice, rendered once chosen.
    response = client.get(LIST, {"unit": deep.pk})
    assert [c.name for c in response.context["page"]] == ["张三"]
    assert f'<option value="{deep.pk}" selected>' in response.content.decode()
    # Choosing 县财政局 offers its children, so the tree can be walked down without JavaScript.
    options = unit_options(client.get(LIST, {"unit": tree.finance.pk}).content.decode())
    assert {str(o.pk) for o in offices} <= set(options)


def test_a_unit_outside_scope_is_still_refused(client, make_user, tree, offices):
    client.force_login(make_user("unit_officer", scope_unit=tree.forestry))
    response = client.get(LIST, {"unit": offices[0].pk})
    assert "unit" in response.context["form"].errors


def test_the_cadre_list_asks_the_same_queries_for_few_and_many_units(client, officer, tree):
    """The filter's unit select is built from the units already read (no query per unit)."""
    CadreFactory(unit=tree.station)
    client.force_login(officer)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST, {"unit": tree.forestry.pk, "q": "张"}).status_code == 200
        return len(queries)

    count()  # warm: session, user
    few = count()
    for i in range(30):
        UnitFactory(name=f"股室{i}", parent=tree.forestry, kind=UnitKind.INTERNAL)
    assert count() == few


def test_a_wide_top_level_renders_at_most_the_limit(client, officer, tree, monkeypatch):
    """A province-sized tree has thousands of units right under the root: the select renders a
    bounded number of them (plus the chosen one), and the rest are searched."""
    from ganbu.registry import selectors

    monkeypatch.setattr(selectors, "PICKER_TOP_LIMIT", 6)
    towns = [UnitFactory(name=f"乡镇{i:02d}", parent=tree.root, kind=UnitKind.TOWN) for i in range(12)]
    client.force_login(officer)
    assert len(unit_options(client.get(LIST).content.decode())) == 1 + 6  # 全部单位 + the limit
    last = towns[-1]
    CadreFactory(unit=last, name="王五")
    response = client.get(LIST, {"unit": last.pk})
    assert [c.name for c in response.context["page"]] == ["王五"]
    assert f'<option value="{last.pk}" selected>' in response.content.decode()
