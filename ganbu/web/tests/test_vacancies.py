"""空缺职位: the posts nobody holds, scoped, filtered by unit and 职级, paginated in the database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ganbu.registry import services
from ganbu.registry.choices import PostKind, Rank
from ganbu.registry.models import Cadre
from ganbu.registry.tests.factories import CadreFactory

from .test_org_support import appoint, count_queries, make_post, remove, text_of

pytestmark = pytest.mark.django_db

URL = "/posts/vacant/"


def rows(response) -> dict[str, str]:
    """The table's rows as ``{"unit post": row text}``."""
    import re

    html = response.content.decode()
    found = {}
    for body in re.findall(r'<tr data-post="\d+">(.*?)</tr>', html, flags=re.S):
        cells = [
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", body, flags=re.S)
        ]
        found[f"{cells[0]} {cells[1].split()[0]}"] = " | ".join(cells[2:])
    return found


@pytest.fixture
def county(tree, officer):
    """县财政局: a held deputy post, a deputy post vacated on 2024-06-01, a head post never filled,
    an inactive post; 第一林业站: a vacant 站长. Quota of three deputies at 县财政局."""
    services.quota_set(actor=officer, unit=tree.finance, kind=PostKind.DEPUTY, number=3)
    held = make_post(officer, tree.finance, "副局长")
    vacated = make_post(officer, tree.finance, "副局长（分管预算）")
    make_post(officer, tree.finance, "局长", PostKind.HEAD, Rank.SECTION)
    make_post(officer, tree.finance, "旧职位", is_active=False)
    make_post(officer, tree.station, "站长", PostKind.MIDDLE_HEAD, Rank.MIDDLE_HEAD)
    a, b = CadreFactory(unit=tree.finance, name="甲在任"), CadreFactory(unit=tree.finance, name="乙离任")
    appoint(officer, "示委〔2024〕1号", [(a, held), (b, vacated)])
    remove(officer, "示委〔2024〕9号", b, vacated, dt.date(2024, 6, 1))
    return tree


def test_lists_the_unheld_posts_with_quota_and_since_when(client, county, officer):
    client.force_login(officer)
    response = client.get(URL)
    assert response.status_code == 200
    today = timezone.localdate()
    assert rows(response) == {
        "县财政局 副局长（分管预算）": "副科级 | 3 / 1 | 2024-06-01 前任离任",
        "县财政局 局长": f"正科级 | 未核定 | {today:%Y-%m-%d} 设立，未曾任职",
        "第一林业站 站长": f"中层正职 | 未核定 | {today:%Y-%m-%d} 设立，未曾任职",
    }


def test_scoped_to_the_users_units_and_filtered_by_unit_and_rank(client, county, officer, make_user):
    client.force_login(make_user("unit_officer", scope_unit=county.forestry))
    assert list(rows(client.get(URL))) == ["第一林业站 站长"]
    # Another unit's id in the query string is not a way out of the scope.
    assert list(rows(client.get(URL, {"unit": county.finance.pk}))) == ["第一林业站 站长"]

    client.force_login(officer)
    assert list(rows(client.get(URL, {"unit": county.forestry.pk}))) == ["第一林业站 站长"]
    assert list(rows(client.get(URL, {"rank": Rank.SECTION}))) == ["县财政局 局长"]
    assert list(rows(client.get(URL, {"unit": county.finance.pk, "rank": Rank.MIDDLE_HEAD}))) == []
    assert "没有符合条件的空缺职位" in text_of(
        client.get(URL, {"unit": county.finance.pk, "rank": Rank.MIDDLE_HEAD})
    )


def test_same_queries_for_few_and_many_posts_one_page_at_a_time(client, tree, officer, settings):
    settings.GANBU_PAGE_SIZE = 5
    make_post(officer, tree.finance, "局长", PostKind.HEAD, Rank.SECTION)
    client.force_login(officer)
    small, _ = count_queries(client, URL)
    services.quota_set(actor=officer, unit=tree.finance, kind=PostKind.DEPUTY, number=2)
    for i in range(12):
        post = make_post(officer, tree.finance if i % 2 else tree.town, f"副职{i}")
        if i % 3 == 0:
            cadre = CadreFactory(unit=post.unit)
            appoint(officer, f"示委〔2024〕{10 + i}号", [(cadre, post)])
            remove(officer, f"示委〔2024〕{50 + i}号", cadre, post, dt.date(2024, 5, i + 1))
    large, response = count_queries(client, URL)
    assert small == large
    assert len(rows(response)) == 5 and "1 / 3" in text_of(response)
    assert len(rows(client.get(URL, {"page": 3}))) == 3


def test_reachable_from_the_menu_and_the_selection_form_not_by_a_cadre(client, county, officer, make_user):
    client.force_login(officer)
    assert f'href="{URL}"' in client.get(reverse("web:dashboard")).content.decode()
    assert f'href="{URL}"' in client.get(reverse("web:selection-create")).content.decode()
    client.force_login(make_user("cadre", cadre=Cadre.objects.first()))
    assert client.get(URL).status_code in (403, 404)
    assert f'href="{URL}"' not in client.get(reverse("web:my-record")).content.decode()
