"""A 诫勉 blocks the cadre's selection during its impact period, with the period and INSP-01's
citation, and no longer the day after the period ends (DISC-08 through the eligibility check)."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.core.errors import ServiceError
from ganbu.selection import services as selection
from ganbu.selection.tests.fixtures import drive
from ganbu.talks import services

D = dt.date


@pytest.fixture
def admonished(scene):
    """The scene's first person admonished on 2024-02-15 (county default 6 months: to 2024-08-14)."""
    drive(scene, "recommendation")
    talk = services.admonish(
        actor=scene.officer,
        cadre=scene.people[0],
        decided_on=D(2024, 2, 15),
        issue="群众来信反映的工作作风问题经核实属实",
        talkers="县委组织部副部长",
    )
    assert talk.period_end == D(2024, 8, 14)
    return scene


def _choose(scene, on):
    choices = [selection.Choice(cadre=p, post=scene.post) for p in scene.people[:2]]
    return selection.candidates_set(actor=scene.officer, record=scene.record, choices=choices, on=on)


def test_refused_on_the_last_day_of_the_period(admonished):
    with pytest.raises(ServiceError) as caught:
        _choose(admonished, D(2024, 8, 14))
    text = " ".join(caught.value.messages)
    assert "赵甲" in text
    assert "2024年2月15日受到诫勉" in text
    assert "影响期至2024年8月14日" in text
    assert "第二十四条" in text and "INSP-01" in text


def test_accepted_the_day_after_the_period(admonished):
    made = _choose(admonished, D(2024, 8, 15))
    assert [c.cadre.name for c in made] == ["赵甲", "孙乙"]
