"""The results page of a committee vote states how recused members were counted, in an officer's words."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from ganbu.policy import services as policy
from ganbu.voting import services
from ganbu.voting.models import BallotResult

pytestmark = pytest.mark.django_db

RULE_ID = re.compile(r"(?<![A-Za-z0-9])[A-Z]+-\d\d(?!\d)")


def _counted_with_a_recusal(officer, make_committee):
    """7 members, member 0 recused from the item, 1–5 attend and agree."""
    ballot, [item], voters = make_committee(members=7, attended=6, recusals={0: [0]})
    shares = services.ballot_open(actor=officer, ballot=ballot)
    for voter in voters[1:6]:
        services.committee_cast(actor=voter.user, ballot=ballot, item=item, choice="agree")
    services.ballot_close(actor=officer, ballot=ballot)
    services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    return ballot


def _shown(client, ballot) -> str:
    page = client.get(reverse("web:ballot-results", args=[ballot.pk])).content.decode()
    # What the officer reads: the specialist toggles left out.
    return re.sub(r'<details class="specialist.*?</details>', "", page, flags=re.S)


def test_the_results_page_states_the_recusal_convention_and_its_source(client, officer, make_committee):
    ballot = _counted_with_a_recusal(officer, make_committee)
    client.force_login(officer)
    page = _shown(client, ballot)
    assert "回避的计算" in page
    assert "不计入该事项的应到会成员" in page and "回避 1 人，不计入应到和实到" in page
    assert "《党委（党组）讨论决定干部任免事项守则》" in page
    assert "《党政领导干部选拔任用工作条例》讨论决定一章" in page
    assert "全国性规定未明确回避的成员是否计入应到会成员" in page and "系统默认值" in page
    start = page.index("回避的计算")
    convention = page[start : page.index("</div>", start)]
    assert not RULE_ID.search(convention) and "置信度" not in convention
    assert "committee.recused_counted_as_due" not in page


def test_the_page_follows_the_countys_setting(client, officer, make_user, make_committee):
    policy.policy_set(
        actor=make_user("admin"),
        key="committee.recused_counted_as_due",
        value="1",
        effective_from=dt.date(2020, 1, 1),
        note="县委常委会议事规则",
    )
    ballot = _counted_with_a_recusal(officer, make_committee)
    client.force_login(officer)
    page = _shown(client, ballot)
    assert "仍计入该事项的应到会成员" in page and "回避 1 人，计入应到、按未到会计" in page
    assert "县委常委会议事规则" in page and "应到 7，实到 5" in page


def test_results_counted_before_the_setting_existed_show_the_convention_then(client, officer, make_committee):
    ballot = _counted_with_a_recusal(officer, make_committee)
    for result in BallotResult.objects.filter(ballot=ballot):
        for key in ("recused_counted", "recusal_rule", "recusal_source"):
            result.data.pop(key)
        result.save(update_fields=["data"])
    client.force_login(officer)
    page = _shown(client, ballot)
    assert "不计入该事项的应到会成员" in page and "回避 1 人，不计入应到和实到" in page


def test_the_ballot_page_states_the_setting_before_the_vote(client, officer, make_user, make_committee):
    ballot, _items, _voters = make_committee(members=5, attended=5)
    client.force_login(officer)
    url = reverse("web:ballot-detail", args=[ballot.pk])
    page = client.get(url).content.decode()
    assert "通过须应到会成员（不含回避者）超过半数同意" in page and "否：不计入应到会成员" in page
    policy.policy_set(
        actor=make_user("admin"),
        key="committee.recused_counted_as_due",
        value="1",
        effective_from=dt.date(2020, 1, 1),
        note="县委常委会议事规则",
    )
    page = client.get(url).content.decode()
    assert "通过须应到会成员（含回避者，回避者按未到会计）超过半数同意" in page
    assert "是：计入应到会成员，按未到会计" in page and "committee.recused_counted_as_due" not in page
