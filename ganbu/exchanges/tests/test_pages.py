"""干部交流 pages: the records list (filters, fixed queries), recording a 挂职, a record's return, the
plans list and a plan's page (add a move, the checks in words, before/after, discuss, carry out), and
who gets 404."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ganbu.exchanges import services
from ganbu.exchanges.choices import ExchangeKind, PlanStatus
from ganbu.exchanges.models import ExchangeRecord, PlanMove, RotationPlan
from ganbu.registry.models import Tenure

ON = dt.date(2026, 3, 2)


def _secondment(officer, cadre, unit, start=ON, **kw):
    return services.exchange_record(
        actor=officer,
        cadre=cadre,
        kind=kw.pop("kind", ExchangeKind.SECONDMENT),
        start_on=start,
        to_unit=unit,
        host_post_title=kw.pop("host", "镇长助理"),
        planned_end_on=start + dt.timedelta(days=365),
        **kw,
    )


def test_list_filters_and_fixed_queries(client, officer, scene):
    client.force_login(officer)
    _secondment(officer, scene.bureau.cadres[4], scene.town.unit)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/exchanges/").status_code == 200
    for n, cadre in enumerate(scene.bureau.cadres[5:9]):
        _secondment(officer, cadre, scene.town.unit, start=dt.date(2025, 1, 1 + n))
    _secondment(
        officer, scene.nonparty, scene.town.unit, kind=ExchangeKind.NONPARTY_SECONDMENT, host="局长助理"
    )
    with CaptureQueriesContext(connection) as many:
        page = client.get("/exchanges/").content.decode()
    assert len(many) == len(few)
    assert "党外干部挂任" in page and scene.nonparty.name in page
    filtered = client.get(
        "/exchanges/", {"kind": ExchangeKind.NONPARTY_SECONDMENT, "year": "2026"}
    ).content.decode()
    assert scene.nonparty.name in filtered and scene.bureau.cadres[5].name not in filtered
    assert client.get("/exchanges/", {"kind": "x", "year": "abc"}).status_code == 200


def test_record_a_secondment_through_the_form_and_its_return(client, officer, scene):
    client.force_login(officer)
    assert client.get("/exchanges/new/?kind=secondment").status_code == 200
    cadre = scene.bureau.cadres[4]
    data = {
        "kind": ExchangeKind.SECONDMENT,
        "cadre": cadre.pk,
        "start_on": "2026-03-02",
        "to_unit": scene.town.unit.pk,
        "host_post_title": "镇长助理",
        "planned_end_on": "2027-03-01",
    }
    bad = client.post("/exchanges/new/", {**data, "planned_end_on": ""}).content.decode()
    assert "挂职须填写挂职期满日期" in bad and not ExchangeRecord.objects.exists()
    response = client.post("/exchanges/new/", data)
    record = ExchangeRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exchanges/{record.pk}/"
    page = client.get(f"/exchanges/{record.pk}/").content.decode()
    assert (
        "镇长助理" in page
        and "保留原职务" in page
        and "第七十二条" in page
        and "ROT-11" not in page.split("<details")[0]
    )
    assert Tenure.objects.filter(cadre=cadre, end_date__isnull=True).count() == 1
    client.post(f"/exchanges/{record.pk}/", {"ended_on": "2027-03-01"})
    record.refresh_from_db()
    assert record.ended_on == dt.date(2027, 3, 1)


def test_plan_page_add_check_discuss_and_carry_out(client, officer, scene):
    client.force_login(officer)
    response = client.post("/exchanges/plans/", {"title": "春季交流", "planned_on": "2026-03-02"})
    plan = RotationPlan.objects.get()
    assert response["Location"] == f"/exchanges/plans/{plan.pk}/"
    url = f"/exchanges/plans/{plan.pk}/"
    for cadre, post in zip(scene.town.cadres[2:5], scene.spare_bureau, strict=False):
        client.post(
            url, {"action": "add", "add-cadre": cadre.pk, "add-to_post": post.pk, "add-kind": "transfer"}
        )
    assert PlanMove.objects.count() == 3
    with CaptureQueriesContext(connection) as three:
        page = client.get(url).content.decode()
    assert "不能实施" in page and "一次交流人数一般不超过班子成员的三分之一" in page
    assert "石桥镇领导班子" in page and "调整前" in page and "调整后" in page
    assert "ROT-12" not in page.split("<details")[0]
    client.post(
        url,
        {
            "action": "add",
            "add-cadre": scene.bureau.cadres[2].pk,
            "add-to_post": scene.spare_town[0].pk,
            "add-kind": "rotation",
        },
    )
    with CaptureQueriesContext(connection) as four:
        client.get(url)
    assert len(four) == len(three)
    client.post(
        url, {"action": "discuss", "discuss-discussed_on": "2026-02-20", "discuss-meeting": "县委常委会"}
    )
    refused = client.post(
        url,
        {
            "action": "carry_out",
            "carry-document_number": "示委干〔2026〕3号",
            "carry-document_title": "交流任职",
            "carry-issued_on": "2026-02-25",
        },
    ).content.decode()
    assert "不能实施" in refused and "交流出3人" in refused
    move = PlanMove.objects.get(plan=plan, cadre=scene.town.cadres[4])
    client.post(url, {"action": "remove", "move": move.pk})
    client.post(
        url, {"action": "discuss", "discuss-discussed_on": "2026-02-21", "discuss-meeting": "县委常委会"}
    )
    response = client.post(
        url,
        {
            "action": "carry_out",
            "carry-document_number": "示委干〔2026〕3号",
            "carry-document_title": "交流任职",
            "carry-issued_on": "2026-02-25",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CARRIED_OUT and ExchangeRecord.objects.filter(plan=plan).count() == 3
    assert client.get(url).status_code == 200
    assert "春季交流" in client.get("/exchanges/plans/").content.decode()


def test_readers_see_and_may_not_write_others_get_404(
    client, officer, leader, unit_officer, make_user, scene
):
    record = _secondment(officer, scene.bureau.cadres[4], scene.town.unit)
    town_record = _secondment(officer, scene.town.cadres[4], scene.bureau.unit)
    plan = services.plan_create(actor=officer, title="方案", planned_on=ON)
    services.move_add(actor=officer, plan=plan, cadre=scene.town.cadres[3], to_post=scene.spare_bureau[0])
    for user in (leader, unit_officer):
        client.force_login(user)
        assert client.get("/exchanges/").status_code == 200
        assert client.get(f"/exchanges/{record.pk}/").status_code == 200
        assert client.get("/exchanges/new/").status_code == 404
        assert client.post(f"/exchanges/{record.pk}/", {"ended_on": "2026-05-01"}).status_code == 404
        assert client.post("/exchanges/plans/", {"title": "x", "planned_on": "2026-03-02"}).status_code == 404
    client.force_login(unit_officer)
    assert client.get(f"/exchanges/{town_record.pk}/").status_code == 404
    # The plan's one move lands in the bureau, but the cadre is a town cadre: out of the officer's scope.
    assert client.get(f"/exchanges/plans/{plan.pk}/").status_code == 404
    # A bureau cadre's move to the town: the bureau's officer sees the plan, not the town's team.
    services.move_add(actor=officer, plan=plan, cadre=scene.bureau.cadres[4], to_post=scene.spare_town[0])
    page = client.get(f"/exchanges/plans/{plan.pk}/").content.decode()
    assert scene.bureau.cadres[4].name in page and scene.town.cadres[3].name not in page
    assert "不在您的管理范围内，不显示调整前后的结构" in page
    client.force_login(leader)
    assert client.get(f"/exchanges/plans/{plan.pk}/").status_code == 200
    assert (
        client.post(
            f"/exchanges/plans/{plan.pk}/", {"action": "withdraw", "withdraw-reason": "x"}
        ).status_code
        == 404
    )
    for role in ("committee_member", "cadre", "supervisor", "auditor"):
        client.force_login(make_user(role))
        assert client.get("/exchanges/").status_code == 404
        assert client.get("/exchanges/plans/").status_code == 404
