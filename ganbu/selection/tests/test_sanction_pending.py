"""A sanction whose period has ended while a new violation of that period awaits its decision still
blocks the cadre's selection (DISC-04 through INSP-01); without the new violation it no longer does."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.core.errors import ServiceError
from ganbu.registry.choices import RewardSanctionKind
from ganbu.registry.services import reward_sanction_record, sanction_followup_update
from ganbu.selection import services as selection
from ganbu.selection.tests.fixtures import drive

D = dt.date
ON = D(2024, 8, 14)


@pytest.fixture
def warned(scene):
    """The scene's first person given a 警告 on 2023-10-01 (6 months: to 2024-03-31)."""
    drive(scene, "recommendation")
    saved = reward_sanction_record(
        actor=scene.officer,
        cadre=scene.people[0],
        data={
            "kind": RewardSanctionKind.SANCTION,
            "sanction_type": "warning",
            "name": "警告",
            "decided_on": D(2023, 10, 1),
            "approving_body": "示例县监察委员会",
            "reason": "违反工作纪律",
        },
    )
    assert saved.effective_until == D(2024, 3, 31)
    scene.notes["warning"] = saved
    return scene


def _choose(scene):
    choices = [selection.Choice(cadre=p, post=scene.post) for p in scene.people[:2]]
    return selection.candidates_set(actor=scene.officer, record=scene.record, choices=choices, on=ON)


def test_refused_while_a_new_violation_is_pending(warned):
    sanction_followup_update(
        actor=warned.officer,
        sanction=warned.notes["warning"],
        data={"new_violation_pending": True},
        reason="处分期内发现新的违法线索",
    )
    with pytest.raises(ServiceError) as caught:
        _choose(warned)
    text = " ".join(caught.value.messages)
    assert "赵甲" in text
    assert "2023年10月1日受到警告" in text
    assert "2024年3月31日" in text and "新的违法行为" in text and "不解除" in text
    assert "INSP-01" in text


def test_accepted_after_the_period_without_a_new_violation(warned):
    made = _choose(warned)
    assert [c.cadre.name for c in made] == ["赵甲", "孙乙"]
