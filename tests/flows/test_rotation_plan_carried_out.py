"""Acceptance (issue 15): a rotation plan of several moves shows the before/after structure of every
team it touches, is refused when it moves more than a third of one team (naming the rule, its basis
and the fact), and once corrected is carried out as documents whose tenures appear in the registry.
"""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.core.errors import ServiceError
from ganbu.exchanges import selectors, services
from ganbu.exchanges.choices import ExchangeKind, PlanStatus
from ganbu.exchanges.models import ExchangeRecord
from ganbu.exchanges.tests.scene import build_scene
from ganbu.registry.models import AppointmentDocument, Tenure

ON = dt.date(2026, 4, 1)


@pytest.fixture
def scene(db):
    return build_scene()


def _names(cadres):
    return [c.name for c in cadres]


def test_a_plan_before_after_refused_over_a_third_corrected_and_carried_out(officer, scene):
    town, bureau, enterprise = scene.town, scene.bureau, scene.enterprise
    plan = services.plan_create(actor=officer, title="2026年乡镇与县直单位干部交流", planned_on=ON)
    # Three of the town's seven members go to the bureau; a bureau deputy goes to the town; an
    # enterprise deputy is transferred (调任) into the bureau.
    town_out = town.cadres[2:5]
    for cadre, post in zip(town_out, scene.spare_bureau, strict=False):
        services.move_add(actor=officer, plan=plan, cadre=cadre, to_post=post)
    services.move_add(
        actor=officer,
        plan=plan,
        cadre=bureau.cadres[3],
        to_post=scene.spare_town[0],
        kind=ExchangeKind.ROTATION,
    )
    services.move_add(
        actor=officer,
        plan=plan,
        cadre=enterprise.cadres[0],
        to_post=scene.spare_bureau[3],
        kind=ExchangeKind.TRANSFER_IN,
        reason="工作特殊需要",
    )

    # Before/after of every team the plan touches.
    moves = selectors.plan_moves(user=officer, plan=plan)
    view = selectors.plan_before_after(user=officer, plan=plan, moves=moves)
    assert view.error == ""
    by_unit = {c.unit.name: c for c in view.changes}
    assert set(by_unit) == {"石桥镇", "县农业农村局", "县城投集团"}
    town_change = by_unit["石桥镇"]
    assert town_change.before.size == 7 and town_change.after.size == 5
    assert all(any(name in m for m in town_change.members_before) for name in _names(town_out))
    assert not any(name in m for m in town_change.members_after for name in _names(town_out))
    assert any(bureau.cadres[3].name in m for m in town_change.members_after)
    assert by_unit["县农业农村局"].before.size == 9 and by_unit["县农业农村局"].after.size == 12
    assert by_unit["县城投集团"].after.size == 1

    # Refused: three of seven is more than a third (rounded down: two).
    services.plan_discuss(actor=officer, plan=plan, discussed_on=dt.date(2026, 3, 20), meeting="县委常委会")
    with pytest.raises(ServiceError) as refused:
        services.plan_carry_out(
            actor=officer,
            plan=plan,
            document_number="示委干〔2026〕11号",
            document_title="关于干部交流任职的通知",
            issued_on=dt.date(2026, 3, 25),
        )
    text = "；".join(refused.value.messages)
    assert "一次交流人数一般不超过班子成员的三分之一" in text  # the rule, in words
    assert "干部交流实施办法" in text  # its basis
    assert "石桥镇领导班子现有成员7人，三分之一向下取整为2人，本方案同时交流出3人" in text  # the fact
    assert AppointmentDocument.objects.count() == 1  # only the scene's own
    assert not ExchangeRecord.objects.exists()
    # The enterprise's team of two loses its chairman: a third of two is none — also refused.
    assert "县城投集团领导班子现有成员2人" in text

    # Corrected: one town deputy stays; the enterprise chairman is taken out of the plan.
    for move in moves:
        if move.cadre_id in (town_out[2].pk, enterprise.cadres[0].pk):
            services.move_remove(actor=officer, move=move)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT  # changed after the meeting: discussed again
    assert [f for f in services.plan_check(user=officer, plan=plan) if f.blocks] == []
    services.plan_discuss(actor=officer, plan=plan, discussed_on=dt.date(2026, 3, 27), meeting="县委常委会")
    services.plan_carry_out(
        actor=officer,
        plan=plan,
        document_number="示委干〔2026〕12号",
        document_title="关于干部交流任职的通知",
        issued_on=dt.date(2026, 3, 28),
    )

    plan.refresh_from_db()
    assert plan.status == PlanStatus.CARRIED_OUT
    document = AppointmentDocument.objects.get(number="示委干〔2026〕12号")
    assert plan.document == document
    moved = [
        (town_out[0], town.posts[2], scene.spare_bureau[0]),
        (town_out[1], town.posts[3], scene.spare_bureau[1]),
    ]
    moved.append((bureau.cadres[3], bureau.posts[3], scene.spare_town[0]))
    for cadre, old, new in moved:
        ended = Tenure.objects.get(cadre=cadre, post=old)
        assert ended.end_date == ON and ended.end_item.document == document
        started = Tenure.objects.get(cadre=cadre, post=new)
        assert (
            started.start_date == ON and started.end_date is None and started.start_item.document == document
        )
        cadre.refresh_from_db()
        assert cadre.current_post_text == f"{new.unit.name}{new.title}"
        assert cadre.unit_id == new.unit_id
    # Those taken out of the plan keep their posts.
    for cadre, post in ((town_out[2], town.posts[4]), (enterprise.cadres[0], enterprise.posts[0])):
        assert Tenure.objects.get(cadre=cadre, post=post).end_date is None
    assert ExchangeRecord.objects.filter(plan=plan, document=document).count() == 3
    # After: the page's before/after reads the day before the moves took effect.
    after_view = selectors.plan_before_after(
        user=officer, plan=plan, moves=selectors.plan_moves(user=officer, plan=plan)
    )
    assert after_view.on == ON - dt.timedelta(days=1) and after_view.error == ""
    assert {c.unit.name: c.after.size for c in after_view.changes} == {"石桥镇": 6, "县农业农村局": 10}
