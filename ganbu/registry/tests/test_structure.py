"""The team-structure summary kept by the database: equal to a direct count after every kind of write.

``structure.drift()`` compares every figure of the summary with the same figure counted from the
cadres; ``structure_for`` must give the dashboard exactly what ``cadre_structure`` (the full scan)
gives, on any day (the age bands move with the day, the summary does not).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction

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
