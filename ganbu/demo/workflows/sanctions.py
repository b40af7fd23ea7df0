"""The demo's sanctions workflow: one combined case, a new sanction during a running period (DISC-05).

Recorded by ``jiwei`` (the 纪委 records its own decisions) through
``ganbu.registry.services.reward_sanction_record``, so the second row carries the combined period
and names the first, and its 复核 deadline is still running on the demo's today.
"""

from __future__ import annotations

import datetime as dt

from ganbu.core.errors import ServiceError
from ganbu.registry import services as registry
from ganbu.registry.choices import RewardSanctionKind, SanctionType

from .common import MSG_NOTHING
from .moves import _Loader


def combined_sanction(loader: _Loader) -> None:
    """A 警告 about three months ago, then a 记过 three weeks ago during its period: combined.

    The cadre is a staff member (not a leader: the selection and exit workflows pick those) of a
    county unit, chosen with the loader's seeded generator among cadres with no part elsewhere.
    """
    staff = sorted(
        (t for t in loader.current.values() if not t.post.is_leadership and t.cadre_id not in loader.busy),
        key=lambda t: t.cadre_id,
    )
    if not staff:
        raise ServiceError(MSG_NOTHING.format(what="可登记处分的工作人员"))
    cadre = loader.rng.choice(staff).cadre
    loader.take([cadre])
    first_on = loader.today - dt.timedelta(days=95)
    second_on = loader.today - dt.timedelta(days=20)
    common = {"kind": RewardSanctionKind.SANCTION, "approving_body": "示例县监察委员会"}
    registry.reward_sanction_record(
        actor=loader.supervisor,
        cadre=cadre,
        data={
            **common,
            "sanction_type": SanctionType.WARNING,
            "decided_on": first_on,
            "known_on": first_on + dt.timedelta(days=2),
            "reason": "违反工作纪律，上班期间擅离职守",
        },
    )
    registry.reward_sanction_record(
        actor=loader.supervisor,
        cadre=cadre,
        data={
            **common,
            "sanction_type": SanctionType.DEMERIT,
            "decided_on": second_on,
            "known_on": second_on + dt.timedelta(days=3),
            "reason": "处分期内违规发放津贴补贴",
        },
    )
