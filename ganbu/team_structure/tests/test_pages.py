"""班子结构 pages: the overview with its filters and fixed queries, one team, the what-if; who gets 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ganbu.registry.tests.factories import CadreFactory, PostFactory

from .scene import ON, hold

pytestmark = pytest.mark.django_db
DAY = ON.isoformat()


def test_overview_filters_and_fixed_queries(client, officer, tree, teams) -> None:
    client.force_login(officer)
    with CaptureQueriesContext(connection) as few:
        page = client.get("/team-structure/", {"on": DAY}).content.decode()
    assert "县财政局" in page and "县林业局" in page
    assert "班子中至少配备 1 名女干部（班子 3 人，女性 0 人，目标至少 1 人）" in page
    for n in range(6):
        post = PostFactory(unit=tree.town, title=f"副镇长{n}")
        hold(CadreFactory(unit=tree.town, name=f"镇干{n}"), post, dt.date(2021, 1, 1))
    with CaptureQueriesContext(connection) as many:
        page = client.get("/team-structure/", {"on": DAY}).content.decode()
    assert len(many) == len(few)
    assert "城关镇" in page
    missing = client.get("/team-structure/", {"on": DAY, "target": "women"}).content.decode()
    assert f'href="/team-structure/{tree.forestry.pk}/' in missing
    assert f'href="/team-structure/{tree.finance.pk}/' not in missing
    under = client.get("/team-structure/", {"on": DAY, "unit": tree.finance.pk}).content.decode()
    assert f'href="/team-structure/{tree.finance.pk}/' in under
    assert f'href="/team-structure/{tree.town.pk}/' not in under
    bad = client.get("/team-structure/", {"on": "2025-99-01", "unit": "x", "target": "zz"})
    assert bad.status_code == 200 and "格式不正确" in bad.content.decode()


def test_one_team_page(client, officer, tree, teams, django_assert_max_num_queries) -> None:
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        page = client.get(f"/team-structure/{tree.forestry.pk}/", {"on": DAY}).content.decode()
    assert "林甲" in page and "林前任" not in page
    assert "未达到" in page and "班子 3 人，党外干部 0 人，目标至少 1 人" in page
    assert "依据：本县政策（地方规定）" in page
    assert "领导副职核定 3、现配 2、空缺 1" in page
    assert client.get("/team-structure/999999/").status_code == 404


def test_what_if_page_shows_teams_before_and_after(client, officer, tree, teams) -> None:
    client.force_login(officer)
    page = client.get("/team-structure/what-if/").content.decode()
    assert 'data-picker="cadres"' in page and 'data-picker="posts"' in page
    extra = CadreFactory(
        unit=tree.finance, name="钱副", birth_date=dt.date(1975, 1, 1), political_status="cpc"
    )
    hold(extra, teams.finance_deputies[1], dt.date(2021, 1, 1))
    query = {"cadre": [teams.woman.pk, ""], "post": [teams.forestry_deputies[2].pk, ""], "on": DAY}
    page = client.get("/team-structure/what-if/", query).content.decode()
    assert "涉及的领导班子（2 个）" in page
    assert "打破：班子中至少配备 1 名女干部" in page
    assert "满足：班子中至少配备 1 名女干部" in page
    assert 'data-picker-label="李女"' in page
    assert f'data-picker-label="县林业局 {teams.forestry_deputies[2].title}"' in page
    wrong = client.get(
        "/team-structure/what-if/", {"cadre": [teams.woman.pk, teams.woman.pk], "post": ["", ""]}
    )
    assert "同一名干部只能列一项调整" in wrong.content.decode()
    assert client.post("/team-structure/what-if/").status_code == 405


def test_what_if_out_of_scope_is_an_error_not_a_500(client, make_user, tree, teams) -> None:
    client.force_login(make_user("unit_officer", scope_unit=tree.finance))
    page = client.get(
        "/team-structure/what-if/", {"cadre": teams.forestry[0].pk, "post": ""}
    ).content.decode()
    assert "不在您的管理范围内" in page
    assert client.get(f"/team-structure/{tree.forestry.pk}/").status_code == 404
    assert client.get(f"/team-structure/{tree.finance.pk}/").status_code == 200


def test_roles_without_the_capability_get_404(client, make_user, tree, teams) -> None:
    for role in ("supervisor", "cadre", "committee_member"):
        client.force_login(make_user(role))
        for url in ("/team-structure/", f"/team-structure/{tree.finance.pk}/", "/team-structure/what-if/"):
            assert client.get(url).status_code == 404, (role, url)


def test_what_if_page_queries_do_not_grow_with_moves(client, officer, tree, teams) -> None:
    client.force_login(officer)
    one = {"cadre": [teams.woman.pk], "post": [teams.forestry_deputies[2].pk], "on": DAY}
    with CaptureQueriesContext(connection) as few:
        assert "涉及的领导班子（2 个）" in client.get("/team-structure/what-if/", one).content.decode()
    town_post = PostFactory(unit=tree.town, title="副镇长")
    three = {
        "cadre": [teams.woman.pk, teams.forestry[1].pk, teams.forestry[2].pk],
        "post": [teams.forestry_deputies[2].pk, town_post.pk, ""],
        "on": DAY,
    }
    with CaptureQueriesContext(connection) as many:
        assert "涉及的领导班子（3 个）" in client.get("/team-structure/what-if/", three).content.decode()
    assert len(many) == len(few)
