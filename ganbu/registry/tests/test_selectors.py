"""Registry selectors: the cadre list's filters and sorts, scoped lookups (404), quotas and vacancies."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from ganbu.registry import selectors
from ganbu.registry.choices import (
    CadreStatus,
    Education,
    Gender,
    PoliticalStatus,
    PostKind,
    Rank,
)
from ganbu.registry.models import Cadre
from ganbu.registry.selectors import CadreFilter, cadre_get_for_user, cadre_list, unit_quotas
from ganbu.registry.services import ItemInput, document_issue, quota_set
from ganbu.registry.tests.factories import CadreFactory, PostFactory

D = dt.date
ON = D(2024, 6, 1)


@pytest.fixture
def people(tree):
    """Six cadres with distinct facts, spread over the tree."""
    make = CadreFactory
    return {
        "zhangsan": make(
            unit=tree.finance,
            name="张三",
            gender=Gender.MALE,
            birth_date=D(1980, 6, 1),
            rank=Rank.SECTION,
            is_leadership=True,
            highest_education=Education.UNIVERSITY,
        ),
        "zhangsi": make(
            unit=tree.forestry,
            name="张思",
            gender=Gender.FEMALE,
            birth_date=D(1980, 6, 2),
            rank=Rank.DEPUTY_SECTION,
            is_leadership=True,
            political_status=PoliticalStatus.NON_PARTY,
            highest_education=Education.POSTGRADUATE,
        ),
        "lisi": make(
            unit=tree.station,
            name="李四",
            birth_date=D(1990, 1, 1),
            is_reserve=True,
            highest_education=Education.COLLEGE,
        ),
        "wangwu": make(unit=tree.town, name="王五", birth_date=D(1964, 6, 1), status=CadreStatus.RETIRED),
        "zhaoliu": make(
            unit=tree.station,
            name="赵六",
            gender=Gender.FEMALE,
            birth_date=D(2000, 2, 29),
            political_status=PoliticalStatus.MASSES,
        ),
        "shan": make(unit=tree.root, name="单雄信", birth_date=D(1975, 3, 3)),
    }


def names(filters: CadreFilter, user) -> list[str]:
    return list(cadre_list(user=user, filters=filters).values_list("name", flat=True))


def test_no_filter_lists_everyone_in_pinyin_order(officer, people) -> None:
    assert names(CadreFilter(), officer) == ["李四", "单雄信", "王五", "张三", "张思", "赵六"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("张", {"张三", "张思"}),
        ("张 三", {"张三"}),
        ("zs", {"张三", "张思"}),
        ("ZS", {"张三", "张思"}),
        ("zhangs", {"张三", "张思"}),
        ("zhangsan", {"张三"}),
        ("sxx", {"单雄信"}),  # 单 read as the surname shan
        ("雄", {"单雄信"}),
        ("不存在", set()),
    ],
)
def test_q_matches_names_initials_and_pinyin(officer, people, q: str, expected: set[str]) -> None:
    assert set(names(CadreFilter(q=q), officer)) == expected


def test_unit_filter_takes_the_subtree(officer, tree, people) -> None:
    assert set(names(CadreFilter(unit_id=tree.forestry.pk), officer)) == {"张思", "李四", "赵六"}
    assert set(names(CadreFilter(unit_id=tree.station.pk), officer)) == {"李四", "赵六"}


def test_unit_filter_outside_scope_gives_nothing(make_user, tree, people) -> None:
    user = make_user("unit_officer", scope_unit=tree.forestry)
    assert names(CadreFilter(unit_id=tree.finance.pk), user) == []
    assert names(CadreFilter(unit_id=tree.root.pk), user) == []
    assert set(names(CadreFilter(), user)) == {"张思", "李四", "赵六"}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (CadreFilter(gender=Gender.FEMALE), {"张思", "赵六"}),
        (CadreFilter(rank=Rank.SECTION), {"张三"}),
        (CadreFilter(leadership=True), {"张三", "张思"}),
        (CadreFilter(leadership=False), {"李四", "王五", "赵六", "单雄信"}),
        (CadreFilter(political_status=PoliticalStatus.NON_PARTY), {"张思"}),
        (CadreFilter(education=Education.POSTGRADUATE), {"张思"}),
        (CadreFilter(status=CadreStatus.RETIRED), {"王五"}),
        (CadreFilter(reserve=True), {"李四"}),
        (CadreFilter(reserve=False, gender=Gender.FEMALE), {"张思", "赵六"}),
    ],
)
def test_field_filters(officer, people, filters: CadreFilter, expected: set[str]) -> None:
    assert set(names(filters, officer)) == expected


@pytest.mark.parametrize(
    ("age_min", "age_max", "expected"),
    [
        # On 2024-06-01 张三 (1980-06-01) has just turned 44; 张思 (1980-06-02) is still 43.
        (44, 44, {"张三"}),
        (43, 43, {"张思"}),
        (60, None, {"王五"}),  # 1964-06-01: 60 on the day
        (None, 24, {"赵六"}),  # born 29 Feb 2000
        (34, 49, {"张三", "张思", "李四", "单雄信"}),
        (50, 40, set()),
    ],
)
def test_age_range_on_a_date(officer, people, age_min, age_max, expected: set[str]) -> None:
    filters = CadreFilter(age_min=age_min, age_max=age_max, age_on=ON)
    assert set(names(filters, officer)) == expected
    # The database filter agrees with computing each age.
    for cadre in cadre_list(user=officer, filters=filters):
        age = cadre.age_on(ON)
        assert (age_min is None or age >= age_min) and (age_max is None or age <= age_max)


def test_leap_day_birth_in_age_filter(officer, people) -> None:
    # 赵六 born 2000-02-29 turns 23 on 2023-03-01 (a common year), not on 28 February.
    assert "赵六" not in names(CadreFilter(age_min=23, age_on=D(2023, 2, 28)), officer)
    assert "赵六" in names(CadreFilter(age_min=23, age_on=D(2023, 3, 1)), officer)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["李四", "单雄信", "王五", "张三", "张思", "赵六"]),
        ("-name", ["赵六", "张思", "张三", "王五", "单雄信", "李四"]),
        ("age", ["赵六", "李四", "张思", "张三", "单雄信", "王五"]),
        ("-age", ["王五", "单雄信", "张三", "张思", "李四", "赵六"]),
        ("rank", ["张三", "张思", "李四", "单雄信", "王五", "赵六"]),
        ("nonsense", ["李四", "单雄信", "王五", "张三", "张思", "赵六"]),
    ],
)
def test_sorts(officer, people, sort: str, expected: list[str]) -> None:
    assert names(CadreFilter(sort=sort), officer) == expected


def test_unit_sort_follows_the_tree(officer, people) -> None:
    ordered = list(cadre_list(user=officer, filters=CadreFilter(sort="unit")))
    paths = [c.unit.path for c in ordered]
    assert paths == sorted(paths)
    assert ordered[0].name == "单雄信"


def test_cadre_search_limits_and_ignores_blank(officer, people) -> None:
    assert selectors.cadre_search(user=officer, term="  ") == []
    assert [c.name for c in selectors.cadre_search(user=officer, term="z", limit=2)] == ["张三", "张思"]


# ---------------------------------------------------------------- one cadre: 404 for missing and forbidden


def test_cadre_get_for_user_in_scope(make_user, tree, people) -> None:
    user = make_user("unit_officer", scope_unit=tree.forestry)
    assert cadre_get_for_user(user=user, cadre_id=people["lisi"].pk) == people["lisi"]


def test_cadre_get_for_user_forbidden_and_missing_look_the_same(make_user, tree, people) -> None:
    user = make_user("unit_officer", scope_unit=tree.forestry)
    missing_id = Cadre.objects.order_by("-pk").first().pk + 1000
    with pytest.raises(Http404) as forbidden:
        cadre_get_for_user(user=user, cadre_id=people["zhangsan"].pk)
    with pytest.raises(Http404) as missing:
        cadre_get_for_user(user=user, cadre_id=missing_id)
    assert type(forbidden.value) is type(missing.value)
    assert str(forbidden.value) == str(missing.value) == "干部不存在或不在您的管理范围内。"


def test_self_service_cadre_gets_only_their_own(make_user, people) -> None:
    user = make_user("cadre", cadre=people["lisi"])
    assert cadre_get_for_user(user=user, cadre_id=people["lisi"].pk) == people["lisi"]
    with pytest.raises(Http404):
        cadre_get_for_user(user=user, cadre_id=people["zhaoliu"].pk)
    assert names(CadreFilter(), user) == ["李四"]


def test_auditor_gets_no_cadre(make_user, people) -> None:
    user = make_user("auditor")
    with pytest.raises(Http404):
        cadre_get_for_user(user=user, cadre_id=people["lisi"].pk)
    assert names(CadreFilter(), user) == []


# ---------------------------------------------------------------- quotas and vacancies


def test_unit_quotas_vacancies_are_quota_minus_filled(officer, tree) -> None:
    quota_set(actor=officer, unit=tree.finance, kind=PostKind.HEAD, number=1)
    quota_set(actor=officer, unit=tree.finance, kind=PostKind.DEPUTY, number=3)
    deputy_a = PostFactory(unit=tree.finance, title="副局长", kind=PostKind.DEPUTY)
    deputy_b = PostFactory(unit=tree.finance, title="副局长（兼）", kind=PostKind.DEPUTY)
    adviser = PostFactory(
        unit=tree.finance,
        title="调研员",
        kind=PostKind.NON_LEADERSHIP,
        is_leadership=False,
        counts_toward_quota=False,
    )
    middle = PostFactory(
        unit=tree.finance, title="办公室主任", kind=PostKind.MIDDLE_HEAD, rank=Rank.MIDDLE_HEAD
    )
    a, b, c, d = (CadreFactory(unit=tree.finance) for _ in range(4))
    document_issue(
        actor=officer,
        number="示委〔2024〕20号",
        title="任免",
        issued_on=D(2024, 1, 1),
        issuing_body="中共示例县委",
        items=[
            ItemInput(kind="appoint", cadre=a, post=deputy_a, effective_on=D(2023, 1, 1)),
            ItemInput(kind="appoint", cadre=b, post=deputy_b, effective_on=D(2023, 1, 1)),
            ItemInput(kind="remove", cadre=b, post=deputy_b, effective_on=D(2024, 1, 1)),
            ItemInput(kind="appoint", cadre=c, post=adviser, effective_on=D(2023, 1, 1)),
            ItemInput(kind="appoint", cadre=d, post=middle, effective_on=D(2023, 1, 1)),
        ],
    )
    rows = {r.kind: r for r in unit_quotas(user=officer, unit=tree.finance, on=ON)}
    assert set(rows) == {PostKind.HEAD, PostKind.DEPUTY, PostKind.MIDDLE_HEAD}
    assert (rows[PostKind.HEAD].quota, rows[PostKind.HEAD].filled, rows[PostKind.HEAD].vacancies) == (1, 0, 1)
    assert (rows[PostKind.DEPUTY].quota, rows[PostKind.DEPUTY].filled, rows[PostKind.DEPUTY].vacancies) == (
        3,
        1,
        2,
    )
    # A kind filled without an approved quota shows as over the quota.
    assert (rows[PostKind.MIDDLE_HEAD].quota, rows[PostKind.MIDDLE_HEAD].filled) == (0, 1)
    assert rows[PostKind.MIDDLE_HEAD].vacancies == -1
    assert rows[PostKind.DEPUTY].kind_label == "领导副职"
    # Back in 2023 both deputies were in post.
    past = {r.kind: r for r in unit_quotas(user=officer, unit=tree.finance, on=D(2023, 6, 1))}
    assert past[PostKind.DEPUTY].filled == 2


def test_unit_quotas_out_of_scope_is_404(make_user, tree) -> None:
    user = make_user("unit_officer", scope_unit=tree.forestry)
    with pytest.raises(Http404):
        unit_quotas(user=user, unit=tree.finance)


# ---------------------------------------------------------------- career history


def test_cadre_career_marks_current_by_each_tenures_dates(officer, tree) -> None:
    cadre = CadreFactory(unit=tree.finance, name="钱进")
    old = PostFactory(unit=tree.finance, title="科长", kind=PostKind.MIDDLE_HEAD, rank=Rank.MIDDLE_HEAD)
    deputy = PostFactory(unit=tree.finance, title="副局长")
    later = PostFactory(unit=tree.town, title="副镇长")
    document_issue(
        actor=officer,
        number="示委〔2024〕30号",
        title="任免",
        issued_on=D(2024, 1, 1),
        issuing_body="中共示例县委",
        items=[
            ItemInput(kind="appoint", cadre=cadre, post=old, effective_on=D(2015, 1, 1)),
            ItemInput(kind="remove", cadre=cadre, post=old, effective_on=D(2019, 7, 1)),
            ItemInput(kind="appoint", cadre=cadre, post=deputy, effective_on=D(2019, 7, 1)),
            # Removal dated after ON: still in post on ON.
            ItemInput(kind="remove", cadre=cadre, post=deputy, effective_on=D(2024, 9, 1)),
            # Appointment dated after ON: not yet in post on ON.
            ItemInput(kind="appoint", cadre=cadre, post=later, effective_on=D(2024, 9, 1)),
        ],
    )
    career = selectors.cadre_career(user=officer, cadre=cadre, on=ON)
    rows = [(v.tenure.post.title, v.is_current, v.years) for v in career]
    assert rows == [("副镇长", False, 0.0), ("副局长", True, 4.9), ("科长", False, 4.5)]


def test_cadre_career_is_scoped(make_user, tree) -> None:
    user = make_user("unit_officer", scope_unit=tree.forestry)
    with pytest.raises(Http404):
        selectors.cadre_career(user=user, cadre=CadreFactory(unit=tree.finance))
