"""The due lists read only the births that can be due in the year, and only the fields they show.

The reference below is the implementation before issue 13 (a multi-year birth range per gender, full
cadre rows): the narrowed selectors must list exactly the same cadres, dates and ages for births on
the first, 28th and last day of every month around every boundary of the gradual schedule, and
across a change of the county's 离岗退养 ages during a year.
"""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from ganbu.core.access import cadres_for
from ganbu.exits import selectors
from ganbu.exits.selectors import DueEarlyExit, DueRetirement, _age_versions
from ganbu.policy.services import policy_set
from ganbu.registry.choices import CadreStatus
from ganbu.registry.models import Cadre
from ganbu.registry.tests.factories import CadreFactory
from ganbu.rules.exits import age_text, cadre_retirement_category, early_exit_reach_date
from ganbu.rules.retirement import statutory_retirement_age, statutory_retirement_date

pytestmark = pytest.mark.django_db

D = dt.date


# ------------------------------------------------------------- the reference (before issue 13)


def _old_birth_years(year, ages):
    return dt.date(year - max(ages), 1, 1), dt.date(year - min(ages), 12, 31)


def old_due_early_exit(*, user, year):
    versions = _age_versions(year)
    men_from, men_to = _old_birth_years(year, [v.men for v in versions])
    women_from, women_to = _old_birth_years(year, [v.women for v in versions])
    candidates = (
        cadres_for(user)
        .filter(status=CadreStatus.SERVING, is_leadership=True)
        .filter(
            Q(gender="M", birth_date__gte=men_from, birth_date__lte=men_to)
            | Q(gender="F", birth_date__gte=women_from, birth_date__lte=women_to)
        )
        .select_related("unit")
        .order_by("birth_date", "id")
    )
    rows = []
    for cadre in candidates:
        reaches_on = early_exit_reach_date(cadre.birth_date, cadre.gender, year, versions)
        if reaches_on is not None:
            rows.append(DueEarlyExit(cadre=cadre, reaches_on=reaches_on, age=cadre.age_on(reaches_on)))
    return sorted(rows, key=lambda r: (r.reaches_on, r.cadre.name_pinyin, r.cadre.pk))


def old_due_retirement(*, user, year):
    as_of = dt.date(year, 12, 31)
    men_from, men_to = _old_birth_years(year, [60, 63])
    women_from, women_to = _old_birth_years(year, [55, 58])
    candidates = (
        cadres_for(user)
        .filter(status__in=[CadreStatus.SERVING, CadreStatus.EARLY_EXIT])
        .filter(
            Q(gender="M", birth_date__gte=men_from, birth_date__lte=men_to)
            | Q(gender="F", birth_date__gte=women_from, birth_date__lte=women_to)
        )
        .select_related("unit")
        .order_by("birth_date", "id")
    )
    rows = []
    for cadre in candidates:
        category = cadre_retirement_category(cadre.gender)
        retires_on = statutory_retirement_date(cadre.birth_date, category, as_of=as_of)
        if retires_on.year != year:
            continue
        years, months = statutory_retirement_age(cadre.birth_date, category, as_of=as_of)
        rows.append(
            DueRetirement(
                cadre=cadre, retires_on=retires_on, age=age_text(years, months), category=category.label
            )
        )
    return sorted(rows, key=lambda r: (r.retires_on, r.cadre.name_pinyin, r.cadre.pk))


# ------------------------------------------------------------- data


def _births(first_year: int, last_year: int) -> list[dt.date]:
    """The 1st, 28th and last day of every month (29 February in leap years) of the years."""
    days = []
    for year in range(first_year, last_year + 1):
        for month in range(1, 13):
            last = calendar.monthrange(year, month)[1]
            days += [D(year, month, 1), D(year, month, 28), D(year, month, last)]
    return sorted(set(days))


@pytest.fixture
def crowd(tree):
    """Men and women leaders, serving and 离岗退养, born on every boundary from 1950 to 1992."""
    cadres = []
    for i, birth in enumerate(_births(1950, 1992)):
        for gender in ("M", "F"):
            status = CadreStatus.EARLY_EXIT if i % 5 == 0 else CadreStatus.SERVING
            cadres.append(
                CadreFactory.build(
                    unit=tree.finance, birth_date=birth, gender=gender, status=status, is_leadership=True
                )
            )
    Cadre.objects.bulk_create(cadres)
    return len(cadres)


def _key(rows):
    return [
        (
            r.cadre.pk,
            *(getattr(r, f) for f in ("reaches_on", "retires_on", "age", "category") if hasattr(r, f)),
        )
        for r in rows
    ]


# ------------------------------------------------------------- tests


def test_due_retirement_lists_the_same_rows_as_before_around_every_boundary(officer, crowd):
    for year in range(2015, 2056):
        new = selectors.due_retirement(user=officer, year=year)
        assert _key(new) == _key(old_due_retirement(user=officer, year=year)), year
    assert _key(selectors.due_retirement(user=officer, year=2030))  # the crowd reaches the years


def test_due_early_exit_lists_the_same_rows_as_before_across_policy_changes(officer, make_user, crowd):
    admin = make_user("admin")
    policy_set(actor=admin, key="exit.age_men", value="57", effective_from=D(2028, 7, 1), note="提高")
    policy_set(actor=admin, key="exit.age_men", value="54", effective_from=D(2030, 3, 1), note="降低")
    policy_set(actor=admin, key="exit.age_women", value="52", effective_from=D(2029, 5, 1), note="提高")
    policy_set(actor=admin, key="exit.age_women", value="50", effective_from=D(2029, 9, 1), note="恢复")
    for year in range(2000, 2046):
        new = selectors.due_early_exit(user=officer, year=year)
        assert _key(new) == _key(old_due_early_exit(user=officer, year=year)), year
    assert _key(selectors.due_early_exit(user=officer, year=2030))


def _select_sql(run) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        run()
    return [q["sql"] for q in ctx.captured_queries if "registry_cadre" in q["sql"]]


def test_due_lists_read_one_year_of_births_and_only_the_fields_shown(officer, crowd):
    for run in (
        lambda: selectors.due_retirement(user=officer, year=2030),
        lambda: selectors.due_early_exit(user=officer, year=2030),
    ):
        (sql,) = _select_sql(run)
        assert "id_number" not in sql and "native_place" not in sql
    # Men retiring in 2030 were born January–September 1969 (61y … 61y2m), women in the same months of
    # 1974: the query asks for those months, not 1967–1970 and 1972–1975.
    with CaptureQueriesContext(connection) as ctx:
        rows = selectors.due_retirement(user=officer, year=2030)
    assert len(ctx.captured_queries) == 1
    (sql,) = [q["sql"] for q in ctx.captured_queries]
    assert "1967-01-01" not in sql and "1970-12-31" not in sql
    assert "1969-01-01" in sql and "1969-09-30" in sql and "1974-09-30" in sql
    assert {r.cadre.birth_date.year for r in rows} == {1969, 1974}
    with CaptureQueriesContext(connection) as ctx:
        [(r.cadre.unit.name, r.cadre.current_post_text, r.cadre.get_gender_display()) for r in rows]
    assert ctx.captured_queries == []
