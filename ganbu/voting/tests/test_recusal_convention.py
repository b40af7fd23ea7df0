"""How recused members count in a committee vote (票决): a county policy value, read by the count.

The national texts require 三分之二以上成员到会 and 应到会成员超过半数同意 (《党政领导干部选拔任用工作
条例》讨论决定一章) and that a member concerned must recuse (《党委（党组）讨论决定干部任免事项守则》);
they do not say whether a recused member still counts among those who should attend. The county
decides (default: not counted); the same vote must come out differently under the two settings.
"""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.policy import services as policy
from ganbu.voting import services
from ganbu.voting.models import BallotResult

KEY = "committee.recused_counted_as_due"


def _vote(officer, make_committee) -> dict:
    """7 members; member 0 attends but is recused from the item; 1–4 attend and agree; 5, 6 absent."""
    ballot, [item], voters = make_committee(members=7, attended=5, recusals={0: [0]})
    shares = services.ballot_open(actor=officer, ballot=ballot)
    for voter in voters[1:5]:
        services.committee_cast(actor=voter.user, ballot=ballot, item=item, choice="agree")
    services.ballot_close(actor=officer, ballot=ballot)
    services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    return BallotResult.objects.get(item=item).data


@pytest.mark.parametrize("setting", [None, "0"], ids=["default", "set to not counted"])
def test_recused_members_leave_the_number_who_should_attend(officer, make_user, make_committee, setting):
    if setting is not None:
        admin = make_user("admin")
        policy.policy_set(
            actor=admin, key=KEY, value=setting, effective_from=dt.date(2020, 1, 1), note="县委议事规则"
        )
    data = _vote(officer, make_committee)
    # 6 should attend (7 less the recused), 4 present: quorum 4 met, 4 同意 > 6 / 2.
    assert (data["members"], data["present"], data["recused"]) == (6, 4, 1)
    assert data["quorum_met"] is True and data["passed"] is True
    assert data["recused_counted"] is False
    assert "不计入该事项的应到会成员" in data["recusal_rule"]
    assert "《党委（党组）讨论决定干部任免事项守则》" in data["recusal_rule"]


def test_a_county_may_count_recused_members_as_absent(officer, make_user, make_committee):
    admin = make_user("admin")
    policy.policy_set(
        actor=admin, key=KEY, value="1", effective_from=dt.date(2020, 1, 1), note="县委常委会议事规则"
    )
    data = _vote(officer, make_committee)
    # All 7 should attend; the recused member is not present for the item: 4 present < 5 needed.
    assert (data["members"], data["present"], data["recused"]) == (7, 4, 1)
    assert data["quorum_met"] is False and data["passed"] is False
    assert data["recused_counted"] is True
    assert "仍计入该事项的应到会成员" in data["recusal_rule"]
    assert "县委常委会议事规则" in data["recusal_source"]


def test_the_setting_is_yes_or_no(make_user):
    from ganbu.core.errors import ServiceError

    admin = make_user("admin")
    with pytest.raises(ServiceError, match="应在 0 到 1 之间"):
        policy.policy_set(actor=admin, key=KEY, value="2", effective_from=dt.date(2020, 1, 1), note="x")
