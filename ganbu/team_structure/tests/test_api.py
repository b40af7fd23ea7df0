"""The team-structure API: the overview, one team, the what-if (a reading), scope and refusals."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.accounts.services import api_token_create
from ganbu.api.tests.conftest import ApiClient
from ganbu.core.models import AuditEvent
from ganbu.registry.tests.factories import CadreFactory

from .scene import ON, hold

pytestmark = pytest.mark.django_db
DAY = ON.isoformat()


def api(user) -> ApiClient:
    _token, key = api_token_create(actor=None, user=user, name="测试")
    return ApiClient(key)


def test_overview_and_one_team(officer, tree, teams) -> None:
    client = api(officer)
    body = client.get("/team-structure/teams", {"on": DAY}).json()
    assert [t["unit"]["name"] for t in body["teams"]] == ["县财政局", "县林业局"]
    assert (body["scope_count"], body["truncated"], body["on"]) == (2, False, DAY)
    forestry = body["teams"][1]
    assert {f["code"] for f in forestry["broken"]} == {"STR-01", "STR-02", "STR-03", "STR-04"}
    assert forestry["structure"]["size"] == 3
    only = client.get("/team-structure/teams", {"on": DAY, "target": "STR-01"}).json()
    assert [t["unit"]["name"] for t in only["teams"]] == ["县林业局"]
    assert client.get("/team-structure/teams", {"target": "X"}).status_code == 422
    team = client.get(f"/team-structure/teams/{tree.finance.pk}", {"on": DAY}).json()
    assert [m["name"] for m in team["members"]] == ["王正", "李女", "赵副"]
    assert team["members"][1]["political_status"] == "无党派人士"
    assert len(team["findings"]) == 6  # STR-01…04 and STR-05 for each of the two post kinds
    assert client.get("/team-structure/teams/999999").status_code == 404
    assert client.get("/team-structure/teams", {"on": "1800-01-01"}).status_code == 422


def test_what_if_breaks_and_heals_and_writes_nothing(officer, tree, teams) -> None:
    extra = CadreFactory(
        unit=tree.finance, name="钱副", birth_date=dt.date(1975, 1, 1), political_status="cpc"
    )
    hold(extra, teams.finance_deputies[1], dt.date(2021, 1, 1))
    client = api(officer)
    events = AuditEvent.objects.count()
    body = {"moves": [{"cadre_id": teams.woman.pk, "to_post_id": teams.forestry_deputies[2].pk}], "on": DAY}
    answer = client.post("/team-structure/what-if", body)
    assert answer.status_code == 200, answer.content
    finance, forestry = answer.json()
    assert "STR-01" in {f["code"] for f in finance["broken"]}
    assert "STR-01" in {f["code"] for f in forestry["healed"]}
    assert forestry["joining"] == ["李女"] and finance["leaving"] == ["李女"]
    assert (forestry["before"]["size"], forestry["after"]["size"]) == (3, 4)
    assert AuditEvent.objects.count() == events
    twice = {"moves": [{"cadre_id": teams.woman.pk}, {"cadre_id": teams.woman.pk, "to_post_id": None}]}
    refused = client.post("/team-structure/what-if", twice)
    assert refused.status_code == 422 and "同一名干部" in str(refused.json())
    assert client.post("/team-structure/what-if", {"moves": []}).status_code == 422
    assert client.post("/team-structure/what-if", {"moves": [{"cadre_id": 999999}]}).status_code == 404


def test_scope_and_roles(make_user, tree, teams) -> None:
    unit_officer = api(make_user("unit_officer", scope_unit=tree.finance))
    names = [t["unit"]["name"] for t in unit_officer.get("/team-structure/teams").json()["teams"]]
    assert names == ["县财政局"]
    assert unit_officer.get(f"/team-structure/teams/{tree.forestry.pk}").status_code == 404
    move = {"moves": [{"cadre_id": teams.forestry[0].pk}]}
    assert unit_officer.post("/team-structure/what-if", move).status_code == 404
    supervisor = api(make_user("supervisor"))
    assert supervisor.get("/team-structure/teams").status_code == 404
    assert supervisor.post("/team-structure/what-if", move).status_code == 404
