"""The rotation due list and the terms ending: reasons and dates, filters, scope, fixed queries, to-do."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ganbu.policy.services import policy_set
from ganbu.registry.choices import PostKind, Rank
from ganbu.registry.tests.factories import CadreFactory, PostFactory
from ganbu.rotation import selectors
from ganbu.rotation.todo import TODO_ROTATION_DUE, TODO_TERM_ENDING, todo_groups
from ganbu.rules.retirement import add_age
from ganbu.rules.rotation import Urgency

from .conftest import years_ago
from .helpers import tenure


def _by_name(rows):
    return {r.name: r for r in rows}


def test_who_is_due_why_and_since_when(officer, county):
    rows = _by_name(selectors.rotation_due(user=officer, today=county.today))
    assert "李副镇长" not in rows  # ten years tomorrow
    head = rows["张镇长"]
    assert head.urgency is Urgency.SHOULD and head.since == county.today
    rules = {r.rule for r in head.reasons}
    assert {"ROT-07", "ROT-08", "ROT-10"} <= rules
    deputy = rows["王副县长"]
    assert deputy.urgency is Urgency.MUST and deputy.reasons[0].rule == "ROT-07"
    assert deputy.reasons[0].since == years_ago(county.today, 1)
    assert "第五条" in deputy.reasons[0].citation and "ROT-07" not in deputy.reasons[0].citation
    assert "ROT-07" in deputy.reasons[0].citation_full
    assert "ROT-10" in {r.rule for r in deputy.reasons}  # eleven years in the county's own units
    assert "赵科员" not in rows  # twelve years in the bureau, but not a leader
    accountant = rows["钱股长"]
    assert accountant.urgency is Urgency.MUST and "孙局长" in accountant.reasons[0].message
    assert accountant.since == years_ago(county.today, 2)
    # Must first, then the longest due.
    order = [r.name for r in selectors.rotation_due(user=officer, today=county.today)]
    assert order.index("王副县长") < order.index("张镇长") and order.index("钱股长") < order.index("周站长")


def test_the_countys_unit_years_are_read_from_its_policy(officer, county, make_user):
    policy_set(
        actor=make_user("admin"),
        key="rotation.unit_years",
        value="15",
        effective_from=county.today,
        note="县委常委会",
    )
    rows = _by_name(selectors.rotation_due(user=officer, today=county.today))
    assert "ROT-10" not in {r.rule for r in rows["张镇长"].reasons}
    assert "ROT-10" not in {r.rule for r in rows["王副县长"].reasons}  # eleven years, short of 15


def test_filters_by_unit_subtree_rank_and_urgency(officer, county, tree):
    forestry = _by_name(selectors.rotation_due(user=officer, today=county.today, unit_id=tree.forestry.pk))
    assert set(forestry) == {"周站长"}
    deputies = _by_name(selectors.rotation_due(user=officer, today=county.today, rank=Rank.DEPUTY_SECTION))
    assert set(deputies) == {"周站长"}
    must = _by_name(selectors.rotation_due(user=officer, today=county.today, urgency="must"))
    assert set(must) == {"王副县长", "钱股长"}
    assert all(r.urgency is Urgency.MUST for row in must.values() for r in row.reasons)


def test_scope_unit_officers_see_their_subtree_and_others_nothing(county, forestry_officer, make_user, tree):
    assert set(_by_name(selectors.rotation_due(user=forestry_officer, today=county.today))) == {"周站长"}
    # A unit outside the officer's subtree filters to nothing rather than widening the scope.
    assert selectors.rotation_due(user=forestry_officer, today=county.today, unit_id=tree.town.pk) == []
    for role in ("cadre", "committee_member", "supervisor"):
        assert selectors.rotation_due(user=make_user(role), today=county.today) == []
        assert selectors.terms_ending(user=make_user(role), today=county.today) == []
    assert todo_groups(make_user("cadre"), county.today) == []


def test_the_due_list_takes_the_same_queries_for_more_cadres(officer, county, tree):
    with CaptureQueriesContext(connection) as few:
        selectors.rotation_due(user=officer, today=county.today)
    for n in range(6):
        post = PostFactory(unit=tree.town, title=f"副镇长{n}", kind=PostKind.DEPUTY, rank=Rank.DEPUTY_SECTION)
        cadre = CadreFactory(unit=tree.town, name=f"新增{n}")
        tenure(cadre, post, years_ago(county.today, 12))
    with CaptureQueriesContext(connection) as many:
        rows = selectors.rotation_due(user=officer, today=county.today)
    assert len(many) == len(few) <= 10
    assert {f"新增{n}" for n in range(6)} <= {r.name for r in rows}


def test_terms_ending_within_months(officer, county):
    rows = _by_name(selectors.terms_ending(user=officer, today=county.today, months=3))
    assert set(rows) == {"吴副局长", "张镇长", "周站长", "李副镇长"}
    row = rows["吴副局长"]
    assert row.term_number == 1 and row.full_on == add_age(county.today, 0, 2)
    assert rows["李副镇长"].full_on == county.today + dt.timedelta(days=1)
    assert "吴副局长" not in _by_name(selectors.terms_ending(user=officer, today=county.today, months=1))


def test_a_term_full_today_is_listed_today(officer, county):
    rows = _by_name(selectors.terms_ending(user=officer, today=county.today, months=1))
    head = rows["张镇长"]  # ten years today: the second term is full today
    assert head.term_number == 2 and head.full_on == county.today
    assert head.term_start == years_ago(county.today, 5)


def test_todo_groups(officer, county):
    groups = {g.kind: g for g in todo_groups(officer, county.today)}
    due = groups[TODO_ROTATION_DUE]
    assert due.count == len(selectors.rotation_due(user=officer, today=county.today))
    assert due.items[0].text.startswith("王副县长") or due.items[0].text.startswith("钱股长")
    assert "ROT-" not in " ".join(i.text for i in due.items)
    ending = groups[TODO_TERM_ENDING]
    assert any("吴副局长" in i.text for i in ending.items) and ending.title == "三个月内任期届满"
