"""The team-structure summary kept by the database: equal to a direct count after every kind of write.

``structure.drift()`` compares every figure of the summary with the same figure counted from the
cadres; ``structure_for`` must give the dashboard exactly what ``cadre_structure`` (the full scan)
gives, on any day (the age bands move with the day, the summary does not).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.db.models import Sum

from ganbu.registry import services, structure
from ganbu.registry.choices import CadreStatus
from ganbu.registry.models import Cadre, StructureCount
from ganbu.registry.selectors import cadre_structure
from ganbu.registry.tests.factories import CadreFactory

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def people(tree):
    """Cadres around every age boundary of 2026-12-07 and of other days, in three units."""
    births = [
        D(1990, 12, 7),
        D(1990, 12, 8),
        D(1990, 12, 31),
        D(1985, 12, 1),
        D(1985, 12, 7),
        D(1985, 12, 8),
        D(1980, 2, 29),
        D(1976, 3, 1),
        D(1970, 12, 7),
        D(1970, 12, 8),
        D(1960, 1, 1),
        D(2000, 6, 15),
    ]
    units = [tree.finance, tree.station, tree.town]
    made = []
    for n, birth in enumerate(births):
        made.append(
            CadreFactory(
                unit=units[n % 3],
                birth_date=birth,
                gender="F" if n % 2 else "M",
                highest_education=["university", "postgraduate", "college", ""][n % 4],
                is_leadership=n % 5 == 0,
                is_reserve=n % 4 == 1,
                management_authority="org_department" if n % 3 else "unit",
            )
        )
    CadreFactory(unit=tree.town, birth_date=D(1950, 1, 1), status=CadreStatus.RETIRED)
    return made


def assert_same(user, on: dt.date) -> None:
    kept, scanned = structure.structure_for(user=user, on=on), cadre_structure(user=user, on=on)
    assert kept == scanned


def test_the_triggers_are_installed():
    assert structure.triggers_present()


DAYS = [D(2026, 12, 7), D(2026, 12, 8), D(2027, 2, 28), D(2028, 2, 29), D(2026, 1, 1), D(2030, 12, 31)]


@pytest.mark.parametrize("on", DAYS)
def test_the_summary_gives_the_dashboard_the_full_scan_figures_on_any_day(officer, people, on):
    assert structure.drift() == {}
    assert_same(officer, on)


def test_scoped_users_see_the_figures_of_their_units_and_authorities(make_user, tree, people):
    unit_officer = make_user("unit_officer", scope_unit=tree.forestry)
    authority_officer = make_user("org_officer", scope_authorities=["unit"])
    for user in (unit_officer, authority_officer):
        for on in DAYS:
            assert_same(user, on)
    assert structure.structure_for(user=unit_officer, on=DAYS[0]).total == 4


def test_a_cadre_sees_only_their_own_record(make_user, people):
    own = make_user("cadre", cadre=people[0])
    assert structure.structure_for(user=own, on=DAYS[0]).total == 1


def test_reading_is_two_queries_whatever_the_size(officer, tree, people, django_assert_num_queries):
    with django_assert_num_queries(2):  # the summary rows; the cadres of the boundary months
        structure.structure_for(user=officer, on=D(2026, 12, 7))
    for n in range(30):
        CadreFactory(unit=tree.finance, birth_date=D(1960 + n, 1 + n % 12, 1 + n % 28))
    with django_assert_num_queries(2):
        structure.structure_for(user=officer, on=D(2026, 12, 7))


def test_orm_updates_deletes_and_bulk_writes_keep_it_exact(tree, people):
    Cadre.objects.filter(pk=people[0].pk).update(status=CadreStatus.RETIRED)
    Cadre.objects.filter(pk=people[1].pk).update(unit=tree.forestry, birth_date=D(1991, 1, 1))
    Cadre.objects.filter(pk=people[2].pk).update(name="改名不改结构")
    people[3].delete()
    Cadre.objects.bulk_create(
        [CadreFactory.build(unit=tree.finance, birth_date=D(1979, 7, n)) for n in range(1, 9)]
    )
    Cadre.objects.filter(unit=tree.finance).update(highest_education="university", is_reserve=True)
    assert structure.drift() == {}


def test_raw_sql_writes_keep_it_exact(tree, people):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE registry_cadre SET gender = 'F', is_leadership = %s", [True])
        cursor.execute("DELETE FROM registry_cadre WHERE birth_date < %s", [D(1975, 1, 1)])
    assert structure.drift() == {}


def test_services_create_update_status_and_documents_keep_it_exact(officer, tree):
    cadre = services.cadre_create(
        actor=officer,
        data={
            "name": "王结构",
            "gender": "M",
            "birth_date": D(1985, 12, 9),
            "native_place": "示例县",
            "unit": tree.finance,
        },
    )
    assert structure.drift() == {}
    services.cadre_update(actor=officer, cadre=cadre, data={"birth_date": D(1986, 1, 2), "unit": tree.town})
    assert structure.drift() == {}
    with transaction.atomic():
        services.cadre_status_set_within(
            actor=officer,
            cadre=Cadre.objects.get(pk=cadre.pk),
            status=CadreStatus.RETIRED,
            on=D(2026, 1, 1),
            reason="到龄",
        )
    assert structure.drift() == {}


def test_rebuild_repairs_a_summary_that_missed_writes(tree, people):
    StructureCount.objects.all().delete()
    assert structure.drift() != {}
    structure.rebuild()
    assert structure.drift() == {}


def test_ensure_recreates_dropped_triggers_and_rebuilds(tree, people):
    structure.uninstall()
    assert not structure.triggers_present()
    CadreFactory(unit=tree.finance)  # not counted: no trigger
    assert structure.drift() != {}
    structure.ensure(connection)
    assert structure.triggers_present()
    assert structure.drift() == {}


def test_an_appointment_document_keeps_it_exact(officer, tree):
    from ganbu.registry.choices import DocumentItemKind, PostKind, Rank
    from ganbu.registry.services import ItemInput, document_issue
    from ganbu.registry.tests.factories import PostFactory

    cadre = CadreFactory(unit=tree.forestry)
    deputy = PostFactory(unit=tree.finance, title="副局长", kind=PostKind.DEPUTY, rank=Rank.DEPUTY_SECTION)
    document_issue(
        actor=officer,
        number="示委〔2024〕9号",
        title="关于干部任免的通知",
        issued_on=D(2024, 5, 1),
        issuing_body="中共示例县委",
        items=[
            ItemInput(kind=DocumentItemKind.APPOINT, cadre=cadre, post=deputy, effective_on=D(2024, 5, 10))
        ],
    )
    cadre.refresh_from_db()
    assert cadre.is_leadership and cadre.unit == tree.finance  # derived: leadership and unit changed
    assert structure.drift() == {}
    assert structure.structure_for(user=officer).leaders == 1


def test_the_excel_roster_import_keeps_it_exact(officer, tree, people):
    from ganbu.interop.roster.services import roster_import
    from ganbu.interop.roster.validate import UNCHANGED, confirmed
    from ganbu.interop.tests.roster_helpers import plan_of, row, sheet

    data = sheet(
        [row("孙新人", D(1995, 3, 4), "城关镇", seq=7), row("周新人", D(1970, 12, 9), "县财政局", seq=8)]
    )
    plan = plan_of(officer, data)
    assert plan.errors == []
    roster_import(
        actor=officer, rows=confirmed(plan, {}), filename="干部.xlsx", unchanged=plan.counts()[UNCHANGED]
    )
    assert Cadre.objects.filter(name__in=["孙新人", "周新人"]).count() == 2
    assert structure.drift() == {}


def test_the_lrmx_import_keeps_it_exact(officer, tree, people):
    from ganbu.interop.services import lrmx_import_batch
    from ganbu.interop.tests.test_services import lrmx

    [outcome] = lrmx_import_batch(actor=officer, files=[("张三.lrmx", lrmx())], unit_id=tree.finance.pk)
    assert outcome.outcome == "created", outcome.message
    assert structure.drift() == {}


# ---------------------------------------------------------------- subtree totals (migration 0009)


def _rows_read(user) -> int:
    """How many summary rows the dashboard's summary query reads for ``user``: its own FROM and
    WHERE, counted instead of summed."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        structure.structure_for(user=user, on=D(2026, 12, 7))
    [sql] = [q["sql"] for q in queries.captured_queries if structure.TABLE in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*)" + sql[sql.index(" FROM ") : sql.index(" GROUP BY ")])
        return int(cursor.fetchone()[0])


def test_each_unit_holds_its_whole_subtree(tree, people):
    def total(unit) -> int:
        return sum(StructureCount.objects.filter(unit=unit, dimension="total").values_list("n", flat=True))

    assert total(tree.root) == Cadre.objects.count() == 13
    assert total(tree.forestry) == total(tree.station) == Cadre.objects.filter(unit=tree.station).count() == 4
    assert total(tree.town) == 5
    assert total(tree.finance) == 4
    assert structure.drift() == {}


def test_the_rows_read_do_not_grow_with_the_units(make_user, officer, tree, people):
    from ganbu.registry.tests.factories import UnitFactory

    forestry_officer = make_user("unit_officer", scope_unit=tree.forestry)
    before = {user: _rows_read(user) for user in (officer, forestry_officer)}
    rows_before = StructureCount.objects.count()
    for n in range(12):  # twelve more units under the forestry bureau, each with a cadre like those there
        unit = UnitFactory(name=f"林业站{n}", parent=tree.station if n % 2 else tree.forestry)
        CadreFactory(unit=unit, birth_date=people[1].birth_date, gender="F", highest_education="postgraduate")
    assert StructureCount.objects.count() > rows_before + 12 * 4  # the summary grew by every new unit…
    assert {user: _rows_read(user) for user in (officer, forestry_officer)} == before  # …the reads did not
    for user in (officer, forestry_officer):
        assert_same(user, DAYS[0])
    assert structure.drift() == {}


def test_moves_between_units_authority_and_status_changes_keep_every_subtree_exact(make_user, tree, people):
    users = [
        make_user("org_officer"),
        make_user("unit_officer", scope_unit=tree.forestry),
        make_user("unit_officer", scope_unit=tree.station),
        make_user("unit_officer", scope_unit=tree.town),
        make_user("org_officer", scope_authorities=["unit"]),
    ]
    station_cadre = next(c for c in people if c.unit_id == tree.station.pk)
    Cadre.objects.filter(pk=station_cadre.pk).update(unit=tree.town)  # out of the forestry subtree
    Cadre.objects.filter(pk=people[0].pk).update(unit=tree.station)  # into it, two levels down
    Cadre.objects.filter(pk=people[3].pk).update(management_authority="unit")
    Cadre.objects.filter(unit=tree.town).update(management_authority="org_department", is_leadership=True)
    Cadre.objects.filter(pk=people[4].pk).update(status=CadreStatus.RETIRED, unit=tree.forestry)
    assert structure.drift() == {}
    for user in users:
        for on in DAYS[:3]:
            assert_same(user, on)


def _move(unit, parent) -> None:
    """Re-parent ``unit`` and rewrite its subtree's paths in one statement, as a SQL console or a
    future service would (no service moves units yet)."""
    from django.db.models import F, Value
    from django.db.models.functions import Concat, Substr

    from ganbu.registry.models import Unit

    old = Unit.objects.get(pk=unit.pk).path
    new = f"{parent.path}{unit.pk:06d}."
    Unit.objects.filter(pk=unit.pk).update(parent=parent)
    Unit.objects.filter(path__startswith=old).update(
        path=Concat(Value(new), Substr(F("path"), len(old) + 1)),
        depth=F("depth") + new.count(".") - old.count("."),
    )


def test_a_unit_moved_in_the_tree_takes_its_subtree_figures_along(make_user, tree, people):
    from ganbu.registry.tests.factories import UnitFactory

    post = UnitFactory(name="护林点", parent=tree.station)
    CadreFactory(unit=post, birth_date=D(1988, 4, 4), management_authority="unit")
    users = {
        unit: make_user("unit_officer", scope_unit=unit)
        for unit in (tree.forestry, tree.finance, tree.station)
    }
    _move(tree.station, tree.finance)  # the station and its post, from the forestry bureau to finance
    assert structure.drift() == {}
    for user in [*users.values(), make_user("org_officer")]:
        if user.scope_unit is not None:
            user.scope_unit.refresh_from_db()  # the path moved under the cached object
        assert_same(user, DAYS[0])
    assert structure.structure_for(user=users[tree.forestry], on=DAYS[0]).total == 0
    post.refresh_from_db()
    post.path = f"{tree.town.path}{post.pk:06d}."  # one unit saved on its own, by the ORM
    post.parent = tree.town
    post.save()
    assert structure.drift() == {}


def test_the_triggers_for_the_subtree_are_the_ones_installed():
    assert structure.expected_variant() == structure.TREE
    assert structure.triggers_present(variant=structure.TREE)
    assert not structure.triggers_present(variant=structure.UNIT)


@pytest.fixture
def migrator(transactional_db):
    from django.db.migrations.executor import MigrationExecutor

    yield MigrationExecutor(connection)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_0009_goes_back_to_per_unit_rows_and_forward_to_subtree_totals(migrator, tree, people):
    from django.db.migrations.executor import MigrationExecutor

    migrator.migrate([("registry", "0008_cadre_updated_sort")])
    assert structure.expected_variant() == structure.UNIT
    assert structure.triggers_present(variant=structure.UNIT)
    assert not structure.triggers_present(variant=structure.TREE)
    CadreFactory(unit=tree.station)  # counted by 0006's triggers, in its own unit only
    per_unit = dict(
        StructureCount.objects.filter(dimension="total")
        .values_list("unit_id")
        .annotate(t=Sum("n"))
        .order_by()
    )
    assert per_unit == {tree.finance.pk: 4, tree.station.pk: 5, tree.town.pk: 5}
    MigrationExecutor(connection).migrate([("registry", "0009_structure_subtree")])
    assert structure.triggers_present(variant=structure.TREE)
    assert not structure.triggers_present(variant=structure.UNIT)
    assert structure.drift() == {}
