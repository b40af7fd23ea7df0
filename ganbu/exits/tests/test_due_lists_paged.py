"""The due lists a page at a time (issue 13): the pages, walked in order, are exactly the whole list.

The whole lists (``due_early_exit``, ``due_retirement``) are proven equal to the implementation
before issue 13 in ``test_due_lists_narrowed``; here every page of the paged selectors, for small
page sizes so that pages split a day's rows, must add up to that reference — nobody due is missed,
nobody is listed twice, the order is the same — around every boundary of the gradual schedule and
across changes of the county's 离岗退养 ages during a year. And the queries do not grow.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ganbu.exits import selectors
from ganbu.exits.selectors import _age_versions
from ganbu.policy.models import PolicyValue
from ganbu.policy.services import policy_set
from ganbu.registry.choices import CadreStatus
from ganbu.registry.models import Cadre
from ganbu.registry.tests.factories import CadreFactory
from ganbu.rules.exits import cadre_retirement_category, early_exit_reach_date
from ganbu.rules.retirement import statutory_retirement_date

from .test_due_lists_narrowed import _births, _key, old_due_early_exit, old_due_retirement

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def twins(tree):
    """Two men and two women leaders born on each boundary day (1st, 28th, last of every month)
    from 1955 to 1990, so that several cadres share a due date (and 29–31 January all retire on
    28 February); a few are 离岗退养, a few not leaders."""
    cadres = []
    for i, birth in enumerate(_births(1955, 1990)):
        for gender in ("M", "F"):
            for twin in range(2):
                cadres.append(
                    CadreFactory.build(
                        unit=tree.finance,
                        birth_date=birth,
                        gender=gender,
                        status=CadreStatus.EARLY_EXIT if (i + twin) % 5 == 0 else CadreStatus.SERVING,
                        is_leadership=(i + twin) % 7 != 0,
                    )
                )
    Cadre.objects.bulk_create(cadres)
    return len(cadres)


def _walk(paged, *, user, year, size):
    """Every page of a paged selector from the first to the last, concatenated."""
    rows, number, pages = [], 1, 0
    while True:
        page = paged(user=user, year=year, number=number, size=size)
        assert page.number == number and len(page.rows) <= size
        assert page.has_next == (number < page.num_pages)
        rows += page.rows
        pages += 1
        if not page.has_next:
            break
        assert len(page.rows) == size
        number += 1
    assert len(rows) == page.total and pages == page.num_pages
    return rows


@pytest.mark.parametrize("size", [1, 7, 50])
def test_the_retirement_pages_are_the_whole_list_before_issue_13(officer, twins, size):
    years = range(2015, 2051) if size == 7 else range(2025, 2032)
    for year in years:
        reference = _key(old_due_retirement(user=officer, year=year))
        walked = _walk(selectors.due_retirement_page, user=officer, year=year, size=size)
        assert _key(walked) == reference, year
    assert reference  # the crowd reaches the years


@pytest.mark.parametrize("size", [3, 50])
def test_the_early_exit_pages_are_the_whole_list_across_policy_changes(officer, make_user, twins, size):
    admin = make_user("admin")
    policy_set(actor=admin, key="exit.age_men", value="57", effective_from=D(2028, 7, 1), note="提高")
    policy_set(actor=admin, key="exit.age_men", value="54", effective_from=D(2030, 3, 1), note="降低")
    policy_set(actor=admin, key="exit.age_women", value="52", effective_from=D(2029, 5, 1), note="提高")
    policy_set(actor=admin, key="exit.age_women", value="50", effective_from=D(2029, 9, 1), note="恢复")
    for year in range(2020, 2041):
        reference = _key(old_due_early_exit(user=officer, year=year))
        walked = _walk(selectors.due_early_exit_page, user=officer, year=year, size=size)
        assert _key(walked) == reference, year
    assert _key(selectors.due_early_exit_page(user=officer, year=2030).rows)


def test_a_page_number_past_the_end_shows_the_last_page_and_an_empty_list_one_page(officer, twins):
    last = selectors.due_retirement_page(user=officer, year=2030, number=10**6, size=7)
    assert last.number == last.num_pages and not last.has_next and last.rows
    empty = selectors.due_retirement_page(user=officer, year=1990, number=3)
    assert (empty.rows, empty.total, empty.number, empty.num_pages) == ([], 0, 1, 1)


def _queries(run):
    with CaptureQueriesContext(connection) as ctx:
        page = run()
        [(r.cadre.unit.name, r.cadre.current_post_text) for r in page.rows]
    return len(ctx.captured_queries)


def test_a_page_asks_the_same_queries_for_a_small_and_a_big_registry(officer, tree):
    def births(n):
        return [D(1966, 1 + i % 12, 1 + i % 28) for i in range(n)]

    def load(n):
        Cadre.objects.bulk_create(
            CadreFactory.build(unit=tree.finance, birth_date=b, gender="M", is_leadership=True)
            for b in births(n)
        )

    def counts():
        return (
            _queries(lambda: selectors.due_retirement_page(user=officer, year=2026, size=5)),
            _queries(lambda: selectors.due_early_exit_page(user=officer, year=2021, size=5)),
        )

    load(12)
    few = counts()
    load(300)
    assert counts() == few == (2, 3)
    assert selectors.due_retirement_page(user=officer, year=2026).total > 5
    assert selectors.due_early_exit_page(user=officer, year=2021).total > 5


# ------------------------------------------------------------- property: the rule alone decides

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@st.composite
def counties(draw: st.DrawFn) -> dict:
    """A year, up to two changes of each 离岗退养 age around it, and a few cadres born near the ages."""
    year = draw(st.integers(2024, 2034))
    changes = []
    for key, ages in (("exit.age_men", (50, 60)), ("exit.age_women", (45, 56))):
        days = draw(st.lists(st.dates(D(year - 1, 1, 1), D(year, 12, 31)), max_size=2, unique=True))
        changes += [(key, str(draw(st.integers(*ages))), day) for day in days]
    people = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["M", "F"]),
                st.dates(D(year - 64, 1, 1), D(year - 44, 12, 31)),
                st.sampled_from([CadreStatus.SERVING, CadreStatus.EARLY_EXIT, CadreStatus.RETIRED]),
                st.booleans(),
                st.sampled_from(["a", "b", "c"]),  # few 拼音 so that a day's rows tie on the date
            ),
            min_size=1,
            max_size=30,
        )
    )
    return {"year": year, "changes": changes, "people": people, "size": draw(st.integers(1, 6))}


def _by_the_rule(cadres, year, versions):
    """Who is due in ``year`` when the rules alone look at every cadre (no database narrowing)."""
    early, retiring = [], []
    as_of = D(year, 12, 31)
    for cadre in cadres:
        if cadre.status == CadreStatus.SERVING and cadre.is_leadership:
            on = early_exit_reach_date(cadre.birth_date, cadre.gender, year, versions)
            if on is not None:
                early.append((on, cadre.name_pinyin, cadre.pk))
        if cadre.status in (CadreStatus.SERVING, CadreStatus.EARLY_EXIT):
            category = cadre_retirement_category(cadre.gender)
            on = statutory_retirement_date(cadre.birth_date, category, as_of=as_of)
            if on.year == year:
                retiring.append((on, cadre.name_pinyin, cadre.pk))
    return sorted(early), sorted(retiring)


@pytest.fixture
def policy_admin(make_user):
    """Who records the county's ages (made once for all the examples)."""
    return make_user("admin")


@SETTINGS
@given(county=counties())
def test_the_pages_list_everyone_the_rules_find_due_and_no_one_else(officer, policy_admin, tree, county):
    year, size = county["year"], county["size"]
    values = [
        policy_set(actor=policy_admin, key=key, value=value, effective_from=day, note="变更")
        for key, value, day in county["changes"]
    ]
    cadres = Cadre.objects.bulk_create(
        CadreFactory.build(
            unit=tree.finance,
            gender=gender,
            birth_date=birth,
            status=status,
            is_leadership=is_leader,
            name_pinyin=pinyin,
        )
        for gender, birth, status, is_leader, pinyin in county["people"]
    )
    try:
        early, retiring = _by_the_rule(cadres, year, _age_versions(year))
        walked = _walk(selectors.due_early_exit_page, user=officer, year=year, size=size)
        assert [(r.reaches_on, r.cadre.name_pinyin, r.cadre.pk) for r in walked] == early
        walked = _walk(selectors.due_retirement_page, user=officer, year=year, size=size)
        assert [(r.retires_on, r.cadre.name_pinyin, r.cadre.pk) for r in walked] == retiring
    finally:
        Cadre.objects.filter(pk__in=[c.pk for c in cadres]).delete()
        PolicyValue.objects.filter(pk__in=[v.pk for v in values]).delete()
