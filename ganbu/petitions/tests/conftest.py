"""Fixtures for petition tests: a supervisor (纪委), a second officer, a cadre and petitions in each state."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.petitions import services
from ganbu.petitions.choices import IntakeBody
from ganbu.registry.tests.factories import CadreFactory


@pytest.fixture
def supervisor(make_user):
    """A 纪委 user: sees the 纪委's petitions and those assigned to them."""
    return make_user("supervisor", display_name="县纪委信访室")


@pytest.fixture
def officer2(make_user):
    """A second organization officer (sees 组织部 petitions like ``officer``)."""
    return make_user("org_officer", display_name="组织部干部二")


@pytest.fixture
def cadre(tree):
    """A cadre of 县财政局, the one the petitions are about."""
    return CadreFactory(unit=tree.finance, name="钱被举", birth_date=dt.date(1978, 3, 1))


@pytest.fixture
def submit(db):
    """``submit(**changes)`` → a petition filed on the public desk (组织部 by default)."""

    def _submit(**changes):
        values = {
            "content": "财政局钱某在项目审批中吃拿卡要，多次收受购物卡。",
            "about": "县财政局 钱某",
            "intake_body": IntakeBody.ORGANIZATION,
            "anonymous": True,
            "source": "198.51.100.20",
        }
        values.update(changes)
        return services.petition_submit(**values)

    return _submit


@pytest.fixture
def verifying(submit, officer, cadre):
    """A 组织部 petition assigned to ``officer``, with the cadre named and verification notes."""
    petition = submit()
    services.petition_assign(actor=officer, petition=petition, assignee=officer)
    services.petition_cadres_set(actor=officer, petition=petition, cadres=[cadre])
    return services.petition_verify(
        actor=officer, petition=petition, notes="经调阅账目、谈话了解，反映部分属实。"
    )


@pytest.fixture
def unit_officer_petit(make_user, tree):
    """A unit personnel officer of 县财政局: not petition staff."""
    return make_user("unit_officer", scope_unit=tree.finance, display_name="财政局人事干部")
