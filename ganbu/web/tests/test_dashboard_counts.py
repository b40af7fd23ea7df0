"""The dashboard asks the database as often with ten times the cadres, for every role (issue 13).

Its structure comes from ``registry.structure`` (the summary the database keeps), so neither the
number of queries nor what they read grows with the registry.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ganbu.registry.choices import CadreStatus
from ganbu.registry.tests.factories import CadreFactory

pytestmark = pytest.mark.django_db


def people(tree, n: int, offset: int = 0) -> None:
    units = [tree.finance, tree.station, tree.town, tree.forestry]
    for i in range(offset, offset + n):
        CadreFactory(
            unit=units[i % 4],
            birth_date=dt.date(1960 + i % 40, 1 + i % 12, 1 + i % 28),
            gender="F" if i % 2 else "M",
            highest_education=["university", "college", ""][i % 3],
            is_leadership=i % 7 == 0,
            status=CadreStatus.RETIRED if i % 11 == 0 else CadreStatus.SERVING,
        )


def due_this_year(unit) -> None:
    """A leader reaching the early-exit age and a cadre reaching retirement this year, in ``unit``.

    A due list with nobody on its page skips reading the page, so both sizes hold someone due:
    the counts compared are then those of the same queries. The births are found by the rules.
    """
    from django.utils import timezone

    from ganbu.exits.selectors import _age_versions
    from ganbu.rules.exits import cadre_retirement_category, early_exit_reach_date
    from ganbu.rules.retirement import statutory_retirement_date

    year = timezone.localdate().year
    versions = _age_versions(year)
    days = [dt.date(year - 70, 1, 1) + dt.timedelta(days=d) for d in range(0, 25 * 366, 7)]
    early = next(b for b in days if early_exit_reach_date(b, "M", year, versions) is not None)
    men = cadre_retirement_category("M")
    end = dt.date(year, 12, 31)
    retiring = next(b for b in days if statutory_retirement_date(b, men, as_of=end).year == year)
    CadreFactory(unit=unit, birth_date=early, gender="M", is_leadership=True, status=CadreStatus.SERVING)
    CadreFactory(unit=unit, birth_date=retiring, gender="M", status=CadreStatus.SERVING)


def count(client) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("web:dashboard"))
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("role", ["org_officer", "unit_officer", "cadre"])
def test_the_dashboard_takes_the_same_queries_with_ten_times_the_cadres(client, tree, make_user, role):
    people(tree, 8)
    due_this_year(tree.forestry)
    own = CadreFactory(unit=tree.station)
    scope = {"scope_unit": tree.forestry} if role == "unit_officer" else {}
    user = make_user(role, cadre=own if role == "cadre" else None, **scope)
    client.force_login(user)
    client.get(reverse("web:dashboard"))  # warm the per-process caches (policy, calendar)
    small = count(client)
    people(tree, 80, offset=8)
    large = count(client)
    assert len(small) == len(large), "\n".join(large)


def test_the_dashboard_shows_the_summary_figures(client, tree, officer):
    people(tree, 30)
    client.force_login(officer)
    html = client.get(reverse("web:dashboard")).content.decode()
    from ganbu.registry.selectors import cadre_structure

    summary = cadre_structure(user=officer)
    assert f">{summary.serving}<" in html.replace(" ", "").replace("\n", "")
