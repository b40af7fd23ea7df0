"""A form's unit select lists the units, never counts their cadres (issue 13: the count was a scan of the
whole cadre table on every ballot, 动议 and campaign form, for numbers the select does not show)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ganbu.registry.tests.factories import CadreFactory

pytestmark = pytest.mark.django_db


def _counting_cadres(queries: CaptureQueriesContext) -> list[str]:
    """The queries that count cadres grouped by unit (what ``unit_list`` does for the unit tree)."""
    return [
        q["sql"]
        for q in queries.captured_queries
        if "registry_cadre" in q["sql"] and "COUNT(" in q["sql"].upper() and "GROUP BY" in q["sql"].upper()
    ]


@pytest.mark.parametrize("name", ["ballot-create", "selection-create", "campaign-create"])
def test_form_unit_selects_do_not_count_cadres(client, officer, tree, name):
    CadreFactory(unit=tree.finance)
    client.force_login(officer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(f"web:{name}"))
    assert response.status_code == 200
    assert tree.finance.name in response.content.decode()  # the units are offered
    assert _counting_cadres(queries) == []


def test_the_unit_tree_still_counts_them(client, officer, tree):
    CadreFactory(unit=tree.finance)
    client.force_login(officer)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("web:unit-list"))
    assert _counting_cadres(queries)  # the check above can see a count when there is one
