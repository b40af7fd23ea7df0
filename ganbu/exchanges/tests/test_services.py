"""Exchanges services: plans (moves, checks, discussion, carrying out as one document), single
exchanges that issue a document, 挂职 and 党外干部挂任 that keep the post, refusals that write nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.exchanges import services
from ganbu.exchanges.choices import ExchangeDirection, ExchangeKind, PlanStatus
from ganbu.exchanges.models import ExchangeRecord, PlanMove, RotationPlan
from ganbu.policy.models import PolicyValue
from ganbu.registry.models import AppointmentDocument, Tenure

ON = dt.date(2026, 3, 2)


def _plan(officer, **kw):
    return services.plan_create(
        actor=officer, title=kw.pop("title", "2026年春季乡镇班子交流"), planned_on=ON, **kw
    )


def _current(cadre, on=ON):
    return {
        t.post_id for t in Tenure.objects.filter(cadre=cadre, start_date__lte=on).exclude(end_date__lte=on)
    }


def test_plan_of_moves_checked_and_carried_out_as_one_document(officer, scene):
    plan = _plan(officer)
    a, b = scene.town.cadres[3], scene.bureau.cadres[2]
    services.move_add(actor=officer, plan=plan, cadre=a, to_post=scene.spare_bureau[0])
    services.move_add(
        actor=officer, plan=plan, cadre=b, to_post=scene.spare_town[0], kind=ExchangeKind.ROTATION
    )
    assert services.plan_check(user=officer, plan=plan) == []
    services.plan_discuss(actor=officer, plan=plan, discussed_on=dt.date(2026, 2, 20), meeting="县委常委会")
    services.plan_carry_out(
        actor=officer,
        plan=plan,
        document_number="示组干〔2026〕5号",
        document_title="关于交流任职的通知",
        issued_on=dt.date(2026, 2, 25),
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CARRIED_OUT and plan.carried_out_on == ON
    doc = AppointmentDocument.objects.get(number="示组干〔2026〕5号")
    assert plan.document == doc and doc.items.count() == 4
    assert _current(a) == {scene.spare_bureau[0].pk}
    assert _current(b) == {scene.spare_town[0].pk}
    ended = Tenure.objects.get(cadre=a, post=scene.town.posts[3])
    assert ended.end_date == ON and ended.end_item.document == doc
    a.refresh_from_db()
    assert a.unit == scene.bureau.unit and "县农业农村局副局长" in a.current_post_text
    records = ExchangeRecord.objects.filter(plan=plan).order_by("cadre__name")
    assert {r.direction for r in records} == {
        ExchangeDirection.TOWN_TO_COUNTY,
        ExchangeDirection.COUNTY_TO_TOWN,
    }
    assert all(r.document == doc for r in records)
    assert AuditEvent.objects.filter(event_type="exchanges.plan_carried_out").count() == 1


def test_more_than_a_third_of_a_team_refused_with_basis_and_fact(officer, scene):
    plan = _plan(officer)
    for cadre, post in zip(scene.town.cadres[2:5], scene.spare_bureau, strict=False):
        services.move_add(actor=officer, plan=plan, cadre=cadre, to_post=post)
    (finding,) = services.plan_check(user=officer, plan=plan)
    assert finding.rule == "ROT-12" and finding.blocks
    services.plan_discuss(actor=officer, plan=plan, discussed_on=ON, meeting="部务会")
    with pytest.raises(ServiceError) as err:
        services.plan_carry_out(
            actor=officer, plan=plan, document_number="示组干〔2026〕6号", document_title="交流", issued_on=ON
        )
    text = " ".join(err.value.messages)
    assert "一次交流人数一般不超过班子成员的三分之一" in text
    assert "石桥镇领导班子现有成员7人" in text and "交流出3人" in text
    assert "ROT-12" not in text
    assert AppointmentDocument.objects.count() == 1 and not ExchangeRecord.objects.exists()
    assert RotationPlan.objects.get().status == PlanStatus.DISCUSSED


def test_two_chiefs_and_minimum_tenure(officer, scene):
    plan = _plan(officer)
    services.move_add(actor=officer, plan=plan, cadre=scene.bureau.cadres[0], to_post=scene.spare_town[0])
    services.move_add(actor=officer, plan=plan, cadre=scene.bureau.cadres[1], to_post=scene.spare_town[1])
    rules = [f.rule for f in services.plan_check(user=officer, plan=plan)]
    assert rules == ["ROT-09"]
    recent = scene.enterprise.cadres[1]
    Tenure.objects.filter(cadre=recent).update(start_date=dt.date(2023, 3, 3))
    services.move_add(actor=officer, plan=plan, cadre=recent, to_post=scene.spare_bureau[0])
    tenure = [f for f in services.plan_check(user=officer, plan=plan) if "任职不满" in f.message]
    assert [f.cadre_ids for f in tenure] == [(recent.pk,)] and "任职不满3年" in tenure[0].message
    # The county may shorten the minimum: 2 years from 2026.
    PolicyValue.objects.create(
        key="exchange.min_years_other", value="2", effective_from=dt.date(2026, 1, 1), set_by=officer
    )
    assert not [f for f in services.plan_check(user=officer, plan=plan) if "任职不满" in f.message]


def test_changing_a_discussed_plan_returns_it_to_draft(officer, scene):
    plan = _plan(officer)
    move = services.move_add(
        actor=officer, plan=plan, cadre=scene.town.cadres[2], to_post=scene.spare_bureau[0]
    )
    services.move_add(actor=officer, plan=plan, cadre=scene.town.cadres[3], to_post=scene.spare_bureau[1])
    services.plan_discuss(actor=officer, plan=plan, discussed_on=ON, meeting="部务会")
    services.move_remove(actor=officer, move=move)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.discussed_on is None
    with pytest.raises(ServiceError, match="须经会议讨论后才能实施"):
        services.plan_carry_out(
            actor=officer, plan=plan, document_number="x1", document_title="x", issued_on=ON
        )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": ExchangeKind.SECONDMENT}, "挂职请单独登记"),
        ({"from_post": "other"}, "未担任"),
        ({"to_post": "same"}, "拟任职务与原任职务相同"),
        ({"reason": "长" * 301}, "不能超过300字"),
    ],
)
def test_move_refusals_write_nothing(officer, scene, change, message):
    plan = _plan(officer)
    cadre = scene.town.cadres[2]
    args = {"to_post": scene.spare_bureau[0], "kind": ExchangeKind.TRANSFER}
    args.update(change)
    if args.get("from_post") == "other":
        args["from_post"] = scene.bureau.posts[3]
    if args.get("to_post") == "same":
        args["to_post"] = scene.town.posts[2]
    with pytest.raises(ServiceError, match=message):
        services.move_add(actor=officer, plan=plan, cadre=cadre, **args)
    assert not PlanMove.objects.exists()


def test_a_cadre_once_per_plan(officer, scene):
    plan = _plan(officer)
    services.move_add(actor=officer, plan=plan, cadre=scene.town.cadres[2], to_post=scene.spare_bureau[0])
    with pytest.raises(ServiceError, match="已在本方案中"):
        services.move_add(actor=officer, plan=plan, cadre=scene.town.cadres[2], to_post=scene.spare_bureau[1])


def test_readers_may_not_write(leader, unit_officer, scene):
    for user in (leader, unit_officer):
        with pytest.raises(ServiceError, match="只有组织部干部科"):
            _plan(user)
    assert not RotationPlan.objects.exists()


def test_withdraw_and_then_nothing_changes(officer, scene):
    plan = _plan(officer)
    with pytest.raises(ServiceError, match="撤回原因"):
        services.plan_withdraw(actor=officer, plan=plan, reason=" ")
    services.plan_withdraw(actor=officer, plan=plan, reason="人选调整")
    with pytest.raises(ServiceError, match="已撤回"):
        services.move_add(actor=officer, plan=plan, cadre=scene.town.cadres[2], to_post=scene.spare_bureau[0])


def test_single_transfer_issues_a_document(officer, scene):
    cadre = scene.enterprise.cadres[1]
    record = services.exchange_record(
        actor=officer,
        cadre=cadre,
        kind=ExchangeKind.TRANSFER_IN,
        start_on=ON,
        to_post=scene.spare_bureau[0],
        document_number="示组干〔2026〕9号",
        document_title="关于调任的通知",
        issued_on=ON,
    )
    assert record.direction == ExchangeDirection.ENTERPRISE_TO_ORGAN
    assert record.from_post == scene.enterprise.posts[1]
    assert _current(cadre) == {scene.spare_bureau[0].pk}
    assert record.document.items.count() == 2


def test_single_transfer_without_document_refused(officer, scene):
    with pytest.raises(ServiceError, match="文号"):
        services.exchange_record(
            actor=officer,
            cadre=scene.town.cadres[2],
            kind=ExchangeKind.TRANSFER,
            start_on=ON,
            to_post=scene.spare_bureau[0],
        )
    assert not ExchangeRecord.objects.exists() and AppointmentDocument.objects.count() == 1


def test_nonparty_secondment_keeps_the_post(officer, scene):
    cadre = scene.nonparty
    before = _current(cadre)
    record = services.exchange_record(
        actor=officer,
        cadre=cadre,
        kind=ExchangeKind.NONPARTY_SECONDMENT,
        start_on=ON,
        to_unit=scene.town.unit,
        host_post_title="镇长助理",
        planned_end_on=dt.date(2027, 3, 2),
        decision_number="示组〔2026〕12号",
    )
    assert record.document is None and record.host_post_title == "镇长助理"
    assert _current(cadre) == before
    assert record.direction == ExchangeDirection.COUNTY_TO_TOWN
    services.secondment_end(actor=officer, record=record, ended_on=dt.date(2027, 3, 2))
    with pytest.raises(ServiceError, match="已于"):
        services.secondment_end(actor=officer, record=record, ended_on=dt.date(2027, 3, 3))


@pytest.mark.parametrize(
    ("who", "change", "message"),
    [
        ("party", {}, "只适用于非中共党员干部"),
        ("nonparty", {"host_post_title": ""}, "挂职单位和挂职职务"),
        ("nonparty", {"planned_end_on": ON}, "挂职期满日期"),
        ("nonparty", {"planned_end_on": None}, "挂职期满日期"),
        ("nonparty", {"kind": "loan"}, "交流方式"),
        ("nonparty", {"direction": "sideways"}, "交流方向"),
    ],
)
def test_secondment_refusals(officer, scene, who, change, message):
    cadre = scene.nonparty if who == "nonparty" else scene.bureau.cadres[3]
    args = {
        "kind": ExchangeKind.NONPARTY_SECONDMENT,
        "start_on": ON,
        "to_unit": scene.town.unit,
        "host_post_title": "镇长助理",
        "planned_end_on": dt.date(2027, 3, 2),
    }
    args.update(change)
    with pytest.raises(ServiceError, match=message):
        services.exchange_record(actor=officer, cadre=cadre, **args)
    assert not ExchangeRecord.objects.exists()
