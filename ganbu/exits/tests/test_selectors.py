"""Exit reads: the due lists (dates, policy changes, scope), the list, the secrecy of proceedings,
and fixed query counts at two data sizes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from ganbu.exits import selectors, services
from ganbu.policy.services import policy_set
from ganbu.registry.choices import CadreStatus
from ganbu.registry.tests.factories import CadreFactory

from .helpers import appoint, decision

pytestmark = pytest.mark.django_db

D = dt.date


def early_rows(user, year):
    return [(r.cadre.name, r.reaches_on, r.age) for r in selectors.due_early_exit(user=user, year=year)]


def test_due_early_exit_lists_leaders_reaching_the_age_in_the_year_with_the_date(officer, make_leader, posts):
    make_leader(D(1970, 3, 10), name="男甲")  # 55 in 2025
    make_leader(D(1975, 8, 1), gender="F", name="女乙", post=posts.head)  # 50 in 2025
    make_leader(D(1975, 8, 1), name="男丙", post=posts.station_head)  # a man at 50: not due
    make_leader(D(1969, 12, 31), gender="F", name="女丁")  # reached 50 in 2019: not "this year"
    staff = CadreFactory(unit=posts.clerk.unit, birth_date=D(1970, 5, 5), name="非领导")
    appoint(officer, staff, posts.clerk)
    assert early_rows(officer, 2025) == [("男甲", D(2025, 3, 10), 55), ("女乙", D(2025, 8, 1), 50)]
    assert early_rows(officer, 2024) == []


def test_due_early_exit_follows_a_policy_change_during_the_year(officer, make_user, make_leader):
    make_leader(D(1970, 3, 10), name="男甲")
    make_leader(D(1970, 9, 10), name="男乙")
    policy_set(
        actor=make_user("admin"), key="exit.age_men", value="56", effective_from=D(2025, 7, 1), note="调整"
    )
    assert early_rows(officer, 2025) == [("男甲", D(2025, 3, 10), 55)]
    # 男甲 was due at 55 in March 2025; still a leader after the raise, he is due again at 56.
    assert early_rows(officer, 2026) == [("男甲", D(2026, 3, 10), 56), ("男乙", D(2026, 9, 10), 56)]


def test_leaders_who_left_are_no_longer_due(officer, make_leader):
    cadre = make_leader(D(1970, 3, 10), name="男甲")
    services.early_exit_record(
        actor=officer, cadre=cadre, decision=decision("示委〔2025〕71号", D(2025, 3, 10))
    )
    assert early_rows(officer, 2025) == []


def test_due_retirement_uses_the_statutory_schedule_and_includes_early_exit_cadres(officer, posts, tree):
    CadreFactory(unit=tree.finance, birth_date=D(1965, 1, 15), name="男甲")  # 60y1m → 2025-02-15
    CadreFactory(unit=tree.finance, birth_date=D(1964, 12, 15), name="男乙")  # 2024-12-15
    CadreFactory(unit=tree.finance, birth_date=D(1965, 12, 1), name="男丙")  # 60y3m → 2026-03-01
    CadreFactory(
        unit=tree.finance, birth_date=D(1970, 1, 31), gender="F", name="女丁"
    )  # 55y1m → February 2025 (28th)
    CadreFactory(
        unit=tree.finance, birth_date=D(1970, 5, 1), gender="F", name="女戊", status=CadreStatus.EARLY_EXIT
    )  # 55y2m → 2025-07-01
    CadreFactory(unit=tree.finance, birth_date=D(1965, 2, 1), name="已退", status=CadreStatus.RETIRED)
    rows = [(r.cadre.name, r.retires_on, r.age) for r in selectors.due_retirement(user=officer, year=2025)]
    assert rows == [
        ("男甲", D(2025, 2, 15), "60周岁1个月"),
        ("女丁", D(2025, 2, 28), "55周岁1个月"),
        ("女戊", D(2025, 7, 1), "55周岁2个月"),
    ]
    assert [r.cadre.name for r in selectors.due_retirement(user=officer, year=2024)] == ["男乙"]


def test_due_lists_and_the_exit_list_are_scoped(officer, unit_officer, make_leader, posts):
    finance = make_leader(D(1970, 3, 10), name="财政")
    station = make_leader(D(1970, 4, 10), name="林站", post=posts.station_head)
    assert [r.cadre for r in selectors.due_early_exit(user=unit_officer, year=2025)] == [station]
    services.early_exit_record(
        actor=officer, cadre=finance, decision=decision("示委〔2025〕72号", D(2025, 3, 10))
    )
    record = services.early_exit_record(
        actor=officer, cadre=station, decision=decision("示委〔2025〕73号", D(2025, 4, 10))
    )
    assert list(selectors.exit_list(user=unit_officer)) == [record]
    assert selectors.exit_list(user=officer).count() == 2
    first = selectors.exit_list(user=officer).last()
    with pytest.raises(Http404):
        selectors.exit_get_for_user(user=unit_officer, exit_id=first.pk)
    assert [r.cadre for r in selectors.due_retirement(user=unit_officer, year=2031)] == [station]


def test_proceedings_are_invisible_to_roles_without_the_supervision_capability(
    officer, supervisor, unit_officer, make_user, make_leader, posts
):
    cadre = make_leader(D(1980, 1, 1), post=posts.station_head)
    services.proceeding_open(
        actor=supervisor, cadre=cadre, kind="discipline_review", body="县纪委", started_on=D(2025, 1, 1)
    )
    assert [p.body for p in selectors.cadre_open_proceedings(user=officer, cadre_id=cadre.pk)] == ["县纪委"]
    assert selectors.proceeding_list(user=make_user("org_leader")).count() == 1
    for blind in (unit_officer, make_user("committee_member")):
        assert not selectors.proceeding_list(user=blind).exists()
        with pytest.raises(Http404):
            selectors.cadre_open_proceedings(user=blind, cadre_id=cadre.pk)


# ---------------------------------------------------------------- query counts at two sizes


def queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def populate(officer, make_leader, posts, n, start):
    for i in range(n):
        cadre = make_leader(D(1970, 1 + i % 12, 1 + i), name=f"干部{start + i}")
        CadreFactory(unit=posts.head.unit, birth_date=D(1965, 1 + i % 12, 1), name=f"退休{start + i}")
        services.early_exit_record(
            actor=officer, cadre=cadre, decision=decision(f"示委〔2025〕{start + i}号", D(2025, 12, 31))
        )
        make_leader(D(1970, 1 + i % 12, 2 + i), name=f"待退{start + i}")


def test_list_and_due_lists_run_a_fixed_number_of_queries(officer, make_leader, posts):
    def page():
        return [
            (r.cadre.unit.name, r.document.number, r.created_by.pk)
            for r in selectors.exit_list(user=officer)[:50]
        ]

    counts = []
    for n, start in ((2, 100), (6, 200)):
        populate(officer, make_leader, posts, n, start)
        counts.append(
            (
                queries(page),
                queries(
                    lambda: [r.cadre.unit.name for r in selectors.due_early_exit(user=officer, year=2025)]
                ),
                queries(
                    lambda: [r.cadre.unit.name for r in selectors.due_retirement(user=officer, year=2025)]
                ),
            )
        )
    assert counts[0] == counts[1]
    assert counts[0] == (1, 2, 1)
    assert len(selectors.due_early_exit(user=officer, year=2025)) == 8
    assert len(selectors.due_retirement(user=officer, year=2025)) >= 8
