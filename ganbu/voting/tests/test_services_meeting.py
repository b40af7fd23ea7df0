"""Ballot settings from county policy, meeting attendance (REC-09), recusals, and paper recommendation."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.policy import services as policy_services
from ganbu.voting import services
from ganbu.voting.choices import BallotKind, Channel
from ganbu.voting.models import BallotResult, PaperCount, Recusal, Sheet


def result_of(item):
    """The stored result data of one item."""
    return BallotResult.objects.get(item=item).data


def cast_all(ballot, item, codes, grades):
    """Cast one evaluation sheet per code with the given grades."""
    for code, grade in zip(codes, grades, strict=True):
        services.ballot_cast_with_credential(code=code, ballot=ballot, content={item.pk: {"grade": grade}})


# ---------------------------------------------------------------- thresholds from county policy


def test_blank_threshold_uses_the_policy_in_force_on_the_day_the_vote_opened(
    officer, make_user, make_evaluation
):
    admin = make_user("admin")
    policy_services.policy_set(
        actor=admin,
        key="evaluation.incompetent_threshold",
        value="1/4",
        effective_from=dt.date(2000, 1, 1),
        note="县委〔2000〕1号",
    )
    ballot, item = make_evaluation()
    assert ballot.threshold == ""
    codes = services.credentials_issue(actor=officer, ballot=ballot, category="一般干部", count=10)
    shares = services.ballot_open(actor=officer, ballot=ballot)
    cast_all(ballot, item, codes, ["incompetent"] * 3 + ["competent"] * 7)  # 30% > 25%
    services.ballot_close(actor=officer, ballot=ballot)
    services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    data = result_of(item)
    assert data["incompetent_flag"] is True
    assert data["threshold"] == "1/4"
    assert "县委〔2000〕1号" in data["threshold_source"] and "EVAL-10" in data["threshold_source"]


def test_a_policy_version_dated_after_the_vote_does_not_apply(officer, make_user, make_evaluation):
    policy_services.policy_set(
        actor=make_user("admin"),
        key="evaluation.incompetent_threshold",
        value="1/10",
        effective_from=dt.date(2099, 1, 1),
        note="将来",
    )
    ballot, item = make_evaluation()
    codes = services.credentials_issue(actor=officer, ballot=ballot, category="一般干部", count=10)
    shares = services.ballot_open(actor=officer, ballot=ballot)
    cast_all(ballot, item, codes, ["incompetent"] * 3 + ["competent"] * 7)
    services.ballot_close(actor=officer, ballot=ballot)
    services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    data = result_of(item)
    assert data["threshold"] == "3/10" and data["incompetent_flag"] is False
    assert "默认值" in data["threshold_source"]


def test_ballot_own_threshold_overrides_policy_and_approval_floor_flags(officer, make_evaluation):
    ballot, item = make_evaluation(threshold="1/2", approval_floor="2/3")
    codes = services.credentials_issue(actor=officer, ballot=ballot, category="一般干部", count=9)
    shares = services.ballot_open(actor=officer, ballot=ballot)
    cast_all(ballot, item, codes, ["competent"] * 5 + ["basic"] * 4)
    services.ballot_close(actor=officer, ballot=ballot)
    services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    data = result_of(item)
    assert data["threshold_source"] == "本次投票设定"
    assert data["approval_flag"] is True and data["approval_share"] == "5/9"


@pytest.mark.parametrize(
    ("field", "kwargs"), [("threshold", {"threshold": "x"}), ("approval_floor", {"approval_floor": "2"})]
)
def test_bad_share_settings_are_refused(officer, tree, field, kwargs):
    with pytest.raises(ServiceError) as err:
        services.ballot_create(
            actor=officer, kind=BallotKind.EVALUATION, title="测评", unit=tree.finance, **kwargs
        )
    assert field in err.value.message_dict


# ---------------------------------------------------------------- meeting attendance


def make_recommendation(officer, tree, post, *, channel=Channel.ELECTRONIC, expected=None, max_choices=1):
    """A draft recommendation of one post with reference list 甲 乙 丙."""
    ballot = services.ballot_create(
        actor=officer,
        kind=BallotKind.RECOMMENDATION,
        title="会议推荐",
        unit=tree.finance,
        channel=channel,
        max_choices=max_choices,
        expected_voters=expected,
    )
    item = services.ballot_item_add(actor=officer, ballot=ballot, post=post, reference=["甲", "乙", "丙"])
    return ballot, item


def test_meeting_without_quorum_is_void_at_the_boundary(officer, tree, post):
    ballot, item = make_recommendation(officer, tree, post, expected=9)
    codes = services.credentials_issue(actor=officer, ballot=ballot, category="中层干部", count=5)
    shares = services.ballot_open(actor=officer, ballot=ballot)
    for code in codes:
        services.ballot_cast_with_credential(code=code, ballot=ballot, content={item.pk: {"choices": ["甲"]}})
    services.ballot_close(actor=officer, ballot=ballot)
    with pytest.raises(ServiceError, match="请先登记实到人数"):
        services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    services.ballot_attendance_record(actor=officer, ballot=ballot, expected=9, present=5)
    services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    data = result_of(item)
    assert data["void"] is True and data["meeting"]["quorum_met"] is False
    assert data["reasons"][0]["rule"] == "REC-09"
    assert "应到 9 人，实到 5 人" in data["reasons"][0]["message"]


def test_meeting_with_exactly_two_thirds_counts(officer, tree, post):
    ballot, item = make_recommendation(officer, tree, post, expected=9)
    codes = services.credentials_issue(actor=officer, ballot=ballot, category="中层干部", count=6)
    services.ballot_attendance_record(actor=officer, ballot=ballot, expected=9, present=6)
    shares = services.ballot_open(actor=officer, ballot=ballot)
    for code in codes:
        services.ballot_cast_with_credential(code=code, ballot=ballot, content={item.pk: {"choices": ["乙"]}})
    services.ballot_close(actor=officer, ballot=ballot)
    services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    data = result_of(item)
    assert "void" not in data and data["meeting"]["quorum_met"] is True
    assert data["votes"]["乙"] == 6


def test_more_codes_used_than_voters_present_voids(officer, tree, post):
    ballot, item = make_recommendation(officer, tree, post, expected=10)
    codes = services.credentials_issue(actor=officer, ballot=ballot, category="中层干部", count=9)
    shares = services.ballot_open(actor=officer, ballot=ballot)
    for code in codes:
        services.ballot_cast_with_credential(code=code, ballot=ballot, content={item.pk: {"choices": ["甲"]}})
    services.ballot_attendance_record(actor=officer, ballot=ballot, expected=10, present=8)
    services.ballot_close(actor=officer, ballot=ballot)
    services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    data = result_of(item)
    assert data["void"] is True
    assert any(
        r["rule"] == "BALLOT-RETURN" and "投票 9 张多于实到人数 8 人" in r["message"] for r in data["reasons"]
    )


def test_attendance_checks_its_numbers_and_is_audited(officer, tree, post, make_committee):
    ballot, _ = make_recommendation(officer, tree, post)
    for expected, present in ((0, 0), (5, 6), (5, -1)):
        with pytest.raises(ServiceError):
            services.ballot_attendance_record(
                actor=officer, ballot=ballot, expected=expected, present=present
            )
    services.ballot_attendance_record(actor=officer, ballot=ballot, expected=30, present=28)
    event = AuditEvent.objects.get(event_type="voting.attendance_recorded")
    assert event.after == {"expected": 30, "present": 28}
    committee, _, _ = make_committee(members=3, attended=3)
    with pytest.raises(ServiceError, match="常委会票决"):
        services.ballot_attendance_record(actor=officer, ballot=committee, expected=3, present=3)


# ---------------------------------------------------------------- recusals and the roster


def test_recusal_needs_a_reason_and_excludes_the_member_from_the_item(officer, make_committee):
    ballot, [item], voters = make_committee(members=7, attended=7)
    with pytest.raises(ServiceError, match="回避理由"):
        services.committee_recusal_set(actor=officer, ballot=ballot, voter=voters[0], item=item, recused=True)
    services.committee_recusal_set(
        actor=officer, ballot=ballot, voter=voters[0], item=item, recused=True, reason="系被考察人的姐夫"
    )
    assert Recusal.objects.get(voter=voters[0], item=item).reason == "系被考察人的姐夫"
    shares = services.ballot_open(actor=officer, ballot=ballot)
    with pytest.raises(ServiceError, match="回避"):
        services.committee_cast(actor=voters[0].user, ballot=ballot, item=item, choice="agree")
    for voter in voters[1:5]:
        services.committee_cast(actor=voter.user, ballot=ballot, item=item, choice="agree")
    services.ballot_close(actor=officer, ballot=ballot)
    services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    data = result_of(item)
    # 6 members should attend this item; 4 同意 is more than half of 6.
    assert data["members"] == 6 and data["recused"] == 1 and data["passed"] is True


def test_recusal_cannot_change_after_the_member_voted(officer, make_committee):
    ballot, [item], voters = make_committee(members=3, attended=3)
    services.ballot_open(actor=officer, ballot=ballot)
    services.committee_cast(actor=voters[0].user, ballot=ballot, item=item, choice="agree")
    with pytest.raises(ServiceError, match="已经对该事项表决"):
        services.committee_recusal_set(
            actor=officer, ballot=ballot, voter=voters[0], item=item, recused=True, reason="亲属"
        )


def test_automatic_recusal_cannot_be_lifted_by_hand(officer, make_committee):
    ballot, [item], voters = make_committee(members=3, attended=3)
    Recusal.objects.create(voter=voters[0], item=item, reason="配偶", automatic=True)
    with pytest.raises(ServiceError, match="自动确定"):
        services.committee_recusal_set(
            actor=officer, ballot=ballot, voter=voters[0], item=item, recused=False
        )


def test_member_removal_only_in_draft(officer, make_committee):
    ballot, _, voters = make_committee(members=3, attended=3)
    services.committee_member_remove(actor=officer, ballot=ballot, voter=voters[2])
    assert ballot.voters.count() == 2
    services.ballot_open(actor=officer, ballot=ballot)
    with pytest.raises(ServiceError, match="不能修改成员名单"):
        services.committee_member_remove(actor=officer, ballot=ballot, voter=voters[1])


# ---------------------------------------------------------------- paper recommendation, paper by paper


def test_paper_recommendation_entered_paper_by_paper_then_confirmed_and_counted(
    officer, make_user, tree, post
):
    ballot, item = make_recommendation(officer, tree, post, channel=Channel.PAPER, max_choices=1)
    shares = services.ballot_open(actor=officer, ballot=ballot)
    services.ballot_close(actor=officer, ballot=ballot)
    papers = [["甲"], ["甲"], ["乙"], [], ["甲", "乙"], ["另荐赵六"]]  # blank and spoilt ones included
    for choices in papers:
        services.paper_sheet_enter(
            actor=officer, ballot=ballot, category="中层干部", content={item.pk: {"choices": choices}}
        )
    with pytest.raises(ServiceError, match="与收回票数 7 张不符"):
        services.paper_counts_enter(actor=officer, ballot=ballot, item=item, counts={}, issued=8, returned=7)
    services.paper_counts_enter(actor=officer, ballot=ballot, item=item, counts={}, issued=8, returned=6)
    with pytest.raises(ServiceError, match="另一名工作人员"):
        services.paper_counts_confirm(actor=officer, ballot=ballot, item=item)
    services.paper_counts_confirm(actor=make_user("org_leader"), ballot=ballot, item=item)
    with pytest.raises(ServiceError, match="已经确认"):
        services.paper_sheet_enter(
            actor=officer, ballot=ballot, category="中层干部", content={item.pk: {"choices": ["甲"]}}
        )
    services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    data = result_of(item)
    assert data["total_sheets"] == 6
    assert data["invalid_sheets"] == 1  # 甲 and 乙 on one paper for one post
    assert data["votes"]["甲"] == 2 and data["votes"]["乙"] == 1
    assert "另荐赵六" in data["write_ins"]
    assert Sheet.objects.filter(ballot=ballot).exclude(receipt="").count() == 0


def test_paper_recommendation_entry_can_be_cleared_and_counts_are_refused(officer, tree, post):
    ballot, item = make_recommendation(officer, tree, post, channel=Channel.PAPER)
    services.ballot_open(actor=officer, ballot=ballot)
    with pytest.raises(ServiceError, match="不能录入推荐票"):
        services.paper_sheet_enter(
            actor=officer, ballot=ballot, category="中层干部", content={item.pk: {"choices": []}}
        )
    services.ballot_close(actor=officer, ballot=ballot)
    with pytest.raises(ServiceError, match="逐张录入"):
        services.paper_counts_enter(
            actor=officer, ballot=ballot, item=item, counts={"甲": 3}, issued=3, returned=3
        )
    with pytest.raises(ServiceError, match="同一人只能写一次"):
        services.paper_sheet_enter(
            actor=officer, ballot=ballot, category="中层干部", content={item.pk: {"choices": ["甲", "甲"]}}
        )
    services.paper_sheet_enter(
        actor=officer, ballot=ballot, category="中层干部", content={item.pk: {"choices": ["甲"]}}
    )
    services.paper_counts_enter(actor=officer, ballot=ballot, item=item, counts={}, issued=3, returned=1)
    assert services.paper_sheets_clear(actor=officer, ballot=ballot) == 1
    assert (
        not Sheet.objects.filter(ballot=ballot).exists()
        and not PaperCount.objects.filter(ballot=ballot).exists()
    )
    dump = str(list(AuditEvent.objects.filter(event_type__startswith="voting.paper").values("after")))
    assert "甲" not in dump
