"""Keyset pagination (``ganbu.core.keyset``): every row once, in order, in fixed queries, cursors checked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models.functions import Lower
from django.test.utils import CaptureQueriesContext

from ganbu.core import keyset
from ganbu.registry.models import Cadre, FamilyMember
from ganbu.registry.selectors import SORTS
from ganbu.registry.tests.factories import CadreFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cadres(tree):
    """37 cadres over four units with many ties (names repeat every 64, birth dates every 5)."""
    units = [tree.finance, tree.forestry, tree.station, tree.town]
    made = []
    for i in range(37):
        made.append(
            CadreFactory(
                unit=units[i % 4],
                name="张三" if i % 3 == 0 else f"李{'甲乙丙丁戊'[i % 5]}",
                birth_date=dt.date(1970 + i % 5, 1, 1),
                rank=["staff", "section", "deputy_section", "deputy_division"][i % 4],
            )
        )
    return made


def walk_forward(qs, size):
    """Every row by following ``next_cursor`` from the first page; also the pages' positions."""
    page = keyset.paginate(qs, size=size)
    rows, numbers = list(page), [page.number]
    while page.has_next():
        page = keyset.paginate(qs, size=size, cursor=page.next_cursor)
        rows += list(page)
        numbers.append(page.number)
    return rows, numbers


def walk_backward(qs, size):
    """Every row by following ``previous_cursor`` from the last page, in list order."""
    first = keyset.paginate(qs, size=size)
    page = keyset.paginate(qs, size=size, cursor=first.last_cursor)
    rows = list(page)
    while page.has_previous():
        page = keyset.paginate(qs, size=size, cursor=page.previous_cursor)
        rows = list(page) + rows
    return rows


@pytest.mark.parametrize("sort", sorted(SORTS))
def test_walking_next_and_previous_yields_every_row_once_in_order_under_each_sort(cadres, sort):
    qs = Cadre.objects.select_related("unit").order_by(*SORTS[sort])
    expected = [c.pk for c in qs]
    forward, numbers = walk_forward(qs, 5)
    assert [c.pk for c in forward] == expected
    assert numbers == list(range(1, 9))  # 37 rows, 5 a page: 第 1 … 8 页
    assert [c.pk for c in walk_backward(qs, 5)] == expected


@pytest.mark.parametrize("sort", sorted(SORTS))
def test_rows_inserted_during_a_walk_neither_repeat_nor_skip_existing_rows(cadres, tree, sort):
    qs = Cadre.objects.select_related("unit").order_by(*SORTS[sort])
    expected = [c.pk for c in qs]
    page = keyset.paginate(qs, size=6)
    seen = list(page)
    page = keyset.paginate(qs, size=6, cursor=page.next_cursor)
    seen += list(page)
    # New cadres sorting everywhere: before the boundary, on its ties, after it.
    for i in range(8):
        CadreFactory(
            unit=tree.station if i % 2 else tree.finance,
            name="张三" if i % 2 else "阿布",
            birth_date=dt.date(1960 + i * 3, 1, 1),
        )
    while page.has_next():
        page = keyset.paginate(qs, size=6, cursor=page.next_cursor)
        seen += list(page)
    ids = [c.pk for c in seen]
    assert len(ids) == len(set(ids))
    assert [i for i in ids if i in set(expected)] == expected


@pytest.mark.parametrize("order", [("birth_date", "id"), ("-birth_date", "id"), ("-birth_date", "-id")])
def test_nulls_in_a_sort_column_are_walked_where_the_database_sorts_them(tree, order):
    cadre = CadreFactory(unit=tree.finance)
    for i in range(23):
        born = None if i % 3 == 0 else dt.date(1950 + i % 4, 1, 1)
        FamilyMember.objects.create(cadre=cadre, relation="子女", name=f"成员{i}", birth_date=born)
    qs = FamilyMember.objects.order_by(*order)
    expected = [m.pk for m in qs]
    assert [m.pk for m in walk_forward(qs, 4)[0]] == expected
    assert [m.pk for m in walk_backward(qs, 4)] == expected


def test_an_order_not_made_of_columns_still_walks_by_offset(cadres):
    qs = Cadre.objects.order_by(Lower("name_pinyin").desc(), "id")
    assert keyset.sort_keys(qs) is None
    expected = [c.pk for c in qs]
    assert [c.pk for c in walk_forward(qs, 10)[0]] == expected
    last = keyset.paginate(qs, size=10, cursor=keyset.paginate(qs, size=10).last_cursor)
    assert [c.pk for c in last] == expected[-10:] and not last.has_next()


def test_the_order_gets_a_unique_last_key(cadres):
    keys = keyset.sort_keys(Cadre.objects.order_by("-birth_date"))
    assert [(k.name, k.descending) for k in keys] == [("birth_date", True), ("pk", True)]
    assert [k.name for k in keyset.sort_keys(Cadre.objects.all())] == ["name_pinyin", "id"]  # Meta.ordering
    assert keyset.sort_keys(Cadre.objects.order_by("unit")) is None  # sorts by the unit model's order


def test_old_page_numbers_read_by_offset_and_land_on_the_same_rows(cadres):
    qs = Cadre.objects.order_by(*SORTS["name"])
    second = keyset.paginate(qs, size=10, page_number=2)
    by_cursor = keyset.paginate(qs, size=10, cursor=keyset.paginate(qs, size=10).next_cursor)
    assert list(second) == list(by_cursor) and second.number == 2 and second.label == "第 2 / 4 页"
    beyond = keyset.paginate(qs, size=10, page_number=99)  # past the end: the last page, as before
    assert [c.pk for c in beyond] == [c.pk for c in qs][-10:]
    assert keyset.paginate(qs, size=10, cursor=second.next_cursor).number == 3


def test_the_total_is_exact_up_to_the_cap_then_capped(cadres):
    qs = Cadre.objects.order_by(*SORTS["name"])
    exact = keyset.paginate(qs, size=10, cap=37)
    assert (exact.total, exact.total_capped, exact.total_text, exact.label) == (
        37,
        False,
        "共 37",
        "第 1 / 4 页",
    )
    capped = keyset.paginate(qs, size=10, cap=20)
    assert (capped.total, capped.total_capped, capped.total_text, capped.label) == (
        20,
        True,
        "超过 20",
        "第 1 页",
    )
    last = keyset.paginate(qs, size=10, cap=20, cursor=capped.last_cursor)
    assert last.label == "末页" and last.total_text == "超过 20"
    assert keyset.paginate(qs, size=10, cap=20, cursor=last.previous_cursor).label == "倒数第 2 页"


def test_a_deep_page_costs_the_queries_of_the_second_and_no_more_than_the_first(cadres):
    qs = Cadre.objects.select_related("unit").order_by(*SORTS["unit"])

    def queries(cursor=None):
        with CaptureQueriesContext(connection) as ctx:
            page = keyset.paginate(qs, size=3, cursor=cursor)
        return len(ctx.captured_queries), page

    first_count, page = queries()
    second_count, page = queries(page.next_cursor)
    for _ in range(8):
        page = keyset.paginate(qs, size=3, cursor=page.next_cursor)
    deep_count, deep = queries(page.next_cursor)
    last_count, _ = queries(deep.last_cursor)
    assert first_count == 2  # the page and the capped count
    assert second_count == deep_count == last_count == 1  # the total rides in the cursor
    assert deep.number == 11


def test_a_cursor_that_was_not_handed_out_for_this_list_is_refused(cadres, tree):
    qs = Cadre.objects.order_by(*SORTS["name"])
    good = keyset.paginate(qs, size=5).next_cursor
    body, _, signature = good.rpartition(".")
    tampered = [
        body[:-2] + ("AA" if body[-2:] != "AA" else "BB") + "." + signature,
        "garbage",
        "",  # empty is simply the first page
        "x" * 5000,
        good + "x",
    ]
    for cursor in tampered:
        if cursor:
            with pytest.raises(keyset.InvalidCursor):
                keyset.paginate(qs, size=5, cursor=cursor)
    # The same cursor on another filter, another sort, another model: refused too.
    for other in (
        qs.filter(unit=tree.finance),
        Cadre.objects.order_by(*SORTS["age"]),
        UnitFactory._meta.model.objects.all(),
    ):
        with pytest.raises(keyset.InvalidCursor):
            keyset.paginate(other, size=5, cursor=good)


def test_the_capped_count_reads_only_the_key_not_the_annotations_and_keeps_their_filters(tree, make_user):
    from ganbu.registry import selectors
    from ganbu.registry.tests.factories import PostFactory

    for unit in (tree.finance, tree.forestry, tree.town):
        PostFactory.create_batch(2, unit=unit)
    officer = make_user("org_officer")
    qs = selectors.vacant_posts(user=officer)  # annotated with correlated subqueries, one of audit events
    with CaptureQueriesContext(connection) as ctx:
        assert keyset.count_capped(qs, 100) == (6, False)
    (count_sql,) = [q["sql"] for q in ctx.captured_queries]
    assert "core_auditevent" not in count_sql and "registry_quota" not in count_sql  # before: in it
    # A filter on an annotation still narrows the count; a values() list is counted as it is.
    assert keyset.count_capped(qs.filter(quota_number__isnull=False), 100) == (0, False)
    assert keyset.count_capped(qs.filter(last_end__isnull=True), 3) == (3, True)
    units = Cadre.objects.filter(unit__in=[tree.finance, tree.town]).values("unit").distinct()
    CadreFactory.create_batch(3, unit=tree.finance)
    assert keyset.count_capped(units, 100) == (1, False)


def test_an_identity_binds_the_cursor_without_compiling_the_query(cadres, tree):
    from unittest import mock

    from django.db.models.sql.query import Query

    qs = Cadre.objects.order_by(*SORTS["name"])
    with mock.patch.object(Query, "sql_with_params", side_effect=AssertionError("compiled")):
        cursor = keyset.paginate(qs, size=5, identity="list a").next_cursor
        assert len(keyset.paginate(qs, size=5, cursor=cursor, identity="list a")) == 5
        for other_qs, identity in (
            (qs, "list b"),  # another identity
            (Cadre.objects.order_by(*SORTS["age"]), "list a"),  # another order under the same name
            (UnitFactory._meta.model.objects.order_by("id"), "list a"),  # another model
        ):
            with pytest.raises(keyset.InvalidCursor):
                keyset.paginate(other_qs, size=5, cursor=cursor, identity=identity)
    with pytest.raises(keyset.InvalidCursor):
        keyset.paginate(qs, size=5, cursor=cursor)  # bound to the identity, not to the SQL
