"""The cadre list: filters, search by pinyin initials, unit subtree, sorting, paging, query count, scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ganbu.registry.tests.factories import CadreFactory

from .test_people_support import count_queries, listed_ids, text_of

pytestmark = pytest.mark.django_db
URL = "/cadres/"


def test_list_url_name():
    assert reverse("web:cadre-list") == URL


@pytest.fixture
def people(tree):
    """Five cadres in different units, genders, ages and statuses."""
    return {
        "zhang": CadreFactory(name="张三", unit=tree.finance, birth_date=dt.date(1980, 5, 17), gender="M"),
        "li": CadreFactory(
            name="李四",
            unit=tree.forestry,
            birth_date=dt.date(1990, 1, 1),
            gender="F",
            political_status="masses",
            highest_education="university",
        ),
        "wang": CadreFactory(
            name="王五",
            unit=tree.station,
            birth_date=dt.date(1970, 7, 1),
            gender="M",
            rank="section",
            is_leadership=True,
            current_post_text="第一林业站站长",
        ),
        "zhao": CadreFactory(
            name="赵六",
            unit=tree.town,
            birth_date=dt.date(1985, 2, 2),
            gender="F",
            status="retired",
            is_reserve=True,
        ),
        "zhou": CadreFactory(name="周明", unit=tree.town, birth_date=dt.date(1975, 3, 3), gender="M"),
    }


def ids(*cadres):
    return sorted(c.pk for c in cadres)


def test_list_shows_columns_and_all_cadres_in_scope(client, officer, people):
    client.force_login(officer)
    response = client.get(URL)
    assert response.status_code == 200
    assert sorted(listed_ids(response)) == ids(*people.values())
    text = text_of(response)
    for header in (
        "姓名",
        "性别",
        "出生年月（年龄）",
        "所在单位",
        "现任职务",
        "职级",
        "学历",
        "政治面貌",
        "状态",
    ):
        assert header in text
    assert "1970.07" in text and "第一林业站站长" in text and "正科级" in text and "退休" in text


def test_filter_by_gender(client, officer, people):
    client.force_login(officer)
    assert sorted(listed_ids(client.get(URL, {"gender": "F"}))) == ids(people["li"], people["zhao"])


def test_filter_by_age_range_on_a_given_date(client, officer, people):
    client.force_login(officer)
    # On 2024-06-01: 张三 44, 李四 34, 王五 53, 赵六 39, 周明 49.
    response = client.get(URL, {"age_min": 40, "age_max": 50, "age_on": "2024-06-01"})
    assert sorted(listed_ids(response)) == ids(people["zhang"], people["zhou"])
    assert "（44岁）" in text_of(response)  # the age column is computed on the chosen date too
    # The boundary is inclusive in full years: 王五 turns 54 on 2024-07-01, so on 2024-06-30 he is 53.
    response = client.get(URL, {"age_min": 53, "age_max": 53, "age_on": "2024-06-30"})
    assert listed_ids(response) == [people["wang"].pk]
    response = client.get(URL, {"age_min": 54, "age_on": "2024-07-01"})
    assert listed_ids(response) == [people["wang"].pk]


def test_search_by_pinyin_initials_and_by_name(client, officer, people):
    client.force_login(officer)
    assert listed_ids(client.get(URL, {"q": "zs"})) == [people["zhang"].pk]
    assert listed_ids(client.get(URL, {"q": "ZS"})) == [people["zhang"].pk]
    assert listed_ids(client.get(URL, {"q": "李四"})) == [people["li"].pk]
    assert listed_ids(client.get(URL, {"q": "zhaoliu"})) == [people["zhao"].pk]


def test_filter_by_unit_includes_the_subtree(client, officer, tree, people):
    client.force_login(officer)
    response = client.get(URL, {"unit": tree.forestry.pk})
    assert sorted(listed_ids(response)) == ids(people["li"], people["wang"])
    # The unit select lists units, indented by depth, and keeps the choice.
    html = response.content.decode()
    assert f'<option value="{tree.forestry.pk}" selected>' in html
    assert f'<option value="{tree.station.pk}">　　第一林业站</option>' in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"rank": "section"}, ["wang"]),
        ({"leadership": "1"}, ["wang"]),
        ({"leadership": "0"}, ["zhang", "li", "zhao", "zhou"]),
        ({"political_status": "masses"}, ["li"]),
        ({"education": "university"}, ["li"]),
        ({"status": "retired"}, ["zhao"]),
        ({"reserve": "1"}, ["zhao"]),
        ({"gender": "M", "unit": "town"}, ["zhou"]),
    ],
)
def test_other_filters(client, officer, tree, people, params, expected):
    client.force_login(officer)
    params = {k: (tree.town.pk if v == "town" else v) for k, v in params.items()}
    assert sorted(listed_ids(client.get(URL, params))) == ids(*(people[k] for k in expected))


def test_sorting_by_age_and_name_keeps_filters_in_links(client, officer, people):
    client.force_login(officer)
    by_age = listed_ids(client.get(URL, {"sort": "age"}))  # youngest first
    assert by_age == [people[k].pk for k in ("li", "zhao", "zhang", "zhou", "wang")]
    by_age_desc = listed_ids(client.get(URL, {"sort": "-age"}))
    assert by_age_desc == list(reversed(by_age))
    by_name = listed_ids(client.get(URL, {"sort": "name"}))  # pinyin order: li, wang, zhang, zhao, zhou
    assert by_name == [people[k].pk for k in ("li", "wang", "zhang", "zhao", "zhou")]
    html = client.get(URL, {"gender": "M", "sort": "name"}).content.decode()
    # The name header now links to the descending sort, keeping the gender filter.
    assert 'href="?gender=M&amp;sort=-name"' in html


def test_invalid_filter_values_are_shown_and_ignored_not_a_500(client, officer, people):
    client.force_login(officer)
    response = client.get(
        URL, {"age_min": "abc", "gender": "X", "unit": "999999", "page": "zz", "sort": "evil"}
    )
    assert response.status_code == 200
    assert sorted(listed_ids(response)) == ids(*people.values())
    assert "有误的条件未生效" in text_of(response)
    reversed_range = client.get(URL, {"age_min": 50, "age_max": 40})
    assert "年龄上限不能小于下限" in text_of(reversed_range)


def test_pagination_is_50_per_page_in_the_database_and_keeps_filters(client, officer, tree):
    CadreFactory.create_batch(55, unit=tree.finance, gender="F")
    CadreFactory(unit=tree.finance, gender="M")
    client.force_login(officer)
    first = client.get(URL, {"gender": "F"})
    assert len(listed_ids(first)) == 50
    assert "第 1 / 2 页" in text_of(first) and "共 55 人" in text_of(first)
    # The next link carries the filters and a cursor (the last row's sort key), no page number.
    cursor = first.context["page"].next_cursor
    assert f'href="?gender=F&amp;cursor={cursor}"' in first.content.decode()
    second = client.get(URL, {"gender": "F", "cursor": cursor})
    assert len(listed_ids(second)) == 5 and "第 2 / 2 页" in text_of(second)
    assert not set(listed_ids(first)) & set(listed_ids(second))
    # Old ``?page=N`` links still land on the same rows.
    assert listed_ids(client.get(URL, {"gender": "F", "page": 2})) == listed_ids(second)


@pytest.mark.parametrize("sort", ["name", "-name", "age", "-age", "rank", "unit"])
def test_a_deep_page_and_the_last_page_cost_no_more_queries_than_the_first(client, officer, tree, sort):
    units = [tree.finance, tree.forestry, tree.station, tree.town]
    for i in range(230):
        CadreFactory(
            unit=units[i % 4], name="张三" if i % 2 else "李四", birth_date=dt.date(1970 + i % 7, 1, 1)
        )
    client.force_login(officer)
    first_count, page = count_queries(client, f"{URL}?sort={sort}")
    seen = listed_ids(page)
    cursor, last_cursor = page.context["page"].next_cursor, page.context["page"].last_cursor
    counts = []
    while cursor:
        count, page = count_queries(client, f"{URL}?sort={sort}&cursor={cursor}")
        counts.append(count)
        seen += listed_ids(page)
        cursor = page.context["page"].next_cursor
    assert len(seen) == len(set(seen)) == 230  # every cadre once, page after page
    assert "第 5 / 5 页" in text_of(page)
    last_count, last = count_queries(client, f"{URL}?sort={sort}&cursor={last_cursor}")
    assert listed_ids(last) == seen[-50:]
    # Page 1 counts the list (capped); the later pages carry the total in the cursor.
    assert set(counts) == {last_count} and last_count == first_count - 1


def test_a_cursor_altered_or_left_over_from_other_filters_shows_the_first_page(client, officer, tree):
    CadreFactory.create_batch(60, unit=tree.finance, gender="F")
    client.force_login(officer)
    first = client.get(URL, {"gender": "F"})
    cursor = first.context["page"].next_cursor
    for params in (
        {"gender": "F", "cursor": cursor[:-3] + "abc"},
        {"gender": "F", "cursor": "绝不是游标"},
        {"gender": "M", "cursor": cursor},
        {"gender": "F", "sort": "age", "cursor": cursor},
    ):
        response = client.get(URL, params)
        assert response.status_code == 200
        without_cursor = {k: v for k, v in params.items() if k != "cursor"}
        assert listed_ids(response) == listed_ids(client.get(URL, without_cursor))


def test_query_count_is_the_same_for_5_and_40_cadres(client, officer, tree, make_user):
    CadreFactory.create_batch(5, unit=tree.station, is_reserve=True, current_post_text="站长")
    client.force_login(officer)
    few, response = count_queries(client, URL + "?sort=rank")
    assert len(listed_ids(response)) == 5
    CadreFactory.create_batch(35, unit=tree.forestry, status="retired")
    many, response = count_queries(client, URL + "?sort=rank")
    assert len(listed_ids(response)) == 40
    assert few == many
    # The same holds for a unit officer (scoped) with every filter applied.
    scoped = make_user("unit_officer", scope_unit=tree.forestry)
    client.force_login(scoped)
    query = f"?unit={tree.forestry.pk}&gender=M&age_min=20&age_max=60&leadership=0&q=z"
    small, response = count_queries(client, URL + query)
    CadreFactory.create_batch(10, unit=tree.station)
    large, response2 = count_queries(client, URL + query)
    assert len(listed_ids(response2)) > len(listed_ids(response))
    assert small == large


def test_unit_officer_sees_only_their_subtree(client, tree, people, make_user):
    client.force_login(make_user("unit_officer", scope_unit=tree.forestry))
    response = client.get(URL)
    assert sorted(listed_ids(response)) == ids(people["li"], people["wang"])
    # A unit outside the subtree is not offered; asking for it anyway is refused as an invalid
    # choice and never widens the scope.
    assert f'<option value="{tree.finance.pk}"' not in response.content.decode()
    outside = client.get(URL, {"unit": tree.finance.pk})
    assert sorted(listed_ids(outside)) == ids(people["li"], people["wang"])
    assert "有误的条件未生效" in text_of(outside)


@pytest.mark.parametrize("role", ["auditor", "cadre", "admin"])
def test_list_is_404_for_roles_without_registry(client, tree, make_user, role):
    client.force_login(make_user(role))
    assert client.get(URL).status_code == 404
