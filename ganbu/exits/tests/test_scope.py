"""Who may record an exit: the role and scope matrix, re-checked inside every service."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.core.errors import ServiceError
from ganbu.exits import services
from ganbu.registry.choices import Rank

from .helpers import decision, written

pytestmark = pytest.mark.django_db

D = dt.date
ON = D(2025, 6, 1)


def every_exit(actor, cadre, posts):
    """Each exit service once, with inputs that would pass every other check."""
    d = decision("示委〔2025〕81号", ON)
    return [
        lambda: services.early_exit_record(actor=actor, cadre=cadre, decision=d),
        lambda: services.removal_record(actor=actor, cadre=cadre, decision=d),
        lambda: services.demotion_record(actor=actor, cadre=cadre, decision=d, new_rank=Rank.STAFF),
        lambda: services.reassign_non_leadership(actor=actor, cadre=cadre, decision=d, new_post=posts.clerk),
        lambda: services.resignation_record(actor=actor, cadre=cadre, decision=d, entire=True),
        lambda: services.resignation_record(actor=actor, cadre=cadre, decision=d, entire=False),
        lambda: services.retirement_record(actor=actor, cadre=cadre, decision=d, early_ground="incapacity"),
    ]


@pytest.mark.parametrize(
    ("role", "message"),
    [
        ("committee_member", services.MSG_NO_EXIT),
        ("org_leader", services.MSG_NO_EXIT),
        ("supervisor", services.MSG_NO_EXIT),
        ("auditor", services.MSG_NO_EXIT),
        ("cadre", services.MSG_NO_EXIT),
        ("unit_officer", services.MSG_OUT_OF_SCOPE),  # of 县林业局: the cadre is in 县财政局
    ],
)
def test_roles_that_may_not_record_this_exit_are_refused_and_nothing_is_written(
    make_user, make_leader, posts, tree, role, message
):
    cadre = make_leader(D(1965, 1, 1))
    scope = tree.forestry if role == "unit_officer" else None
    actor = make_user(role, scope_unit=scope)
    before = written()
    for call in every_exit(actor, cadre, posts):
        with pytest.raises(ServiceError) as exc:
            call()
        assert message in str(exc.value.messages)
    assert written() == before


def test_a_unit_officer_records_exits_in_the_own_subtree(unit_officer, make_leader, posts):
    cadre = make_leader(D(1965, 1, 1), post=posts.station_head)
    record = services.early_exit_record(
        actor=unit_officer, cadre=cadre, decision=decision("示林〔2025〕2号", ON)
    )
    assert record.created_by == unit_officer and record.document.created_by == unit_officer
