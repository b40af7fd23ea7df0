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
    """The queries that count cadres grouped by unit (what the unit tree did before its summary table)."""
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


def test_the_check_sees_a_count_of_cadres_by_unit_when_there_is_one(tree):
    """The check above can fail: a count of cadres grouped by unit is what it looks for."""
    from django.db.models import Count

    from ganbu.registry.models import Unit

    CadreFactory(unit=tree.finance)
    with CaptureQueriesContext(connection) as queries:
        list(Unit.objects.annotate(n=Count("cadres")).values_list("n", flat=True))
    assert _counting_cadres(queries)
