"""Ballot services: life cycle, credentials, casting, closing, the committee rules and paper counts."""

from __future__ import annotations

import json

import pytest

from ganbu.core.audit import audit_verify
from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.voting import services
from ganbu.voting.choices import BallotKind, BallotStatus, Channel
from ganbu.voting.models import Ballot, BallotResult, Credential, Participation, SealedSheet, Sheet
from ganbu.voting.services import CredentialUsedError


def result_of(item) -> dict:
    return BallotResult.objects.get(item=item).data


# ---------------------------------------------------------------- life cycle


def test_full_life_cycle_stamps_each_step(officer, make_evaluation) -> None:
    ballot, item = make_evaluation()
    assert ballot.status == BallotStatus.DRAFT
    [code] = services.credentials_issue(actor=officer, ballot=ballot, category="中层干部", count=1)
    shares = services.ballot_open(actor=officer, ballot=ballot)
    services.ballot_cast_with_credential(code=code, ballot=ballot, content={item.pk: {"grade": "excellent"}})
    services.ballot_close(actor=officer, ballot=ballot)
    services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    services.ballot_publish(actor=officer, ballot=ballot)
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.PUBLISHED
    assert ballot.opened_at and ballot.closed_at and ballot.tallied_at and ballot.published_at
    assert result_of(item)["counts"]["excellent"] == 1
    assert audit_verify().ok


@pytest.mark.parametrize(
    ("steps", "illegal"),
    [
        ([], "ballot_close"),
        ([], "ballot_tally"),
        ([], "ballot_publish"),
        (["ballot_open"], "ballot_open"),
        (["ballot_open"], "ballot_tally"),
        (["ballot_open"], "ballot_publish"),
        (["ballot_open", "ballot_close"], "ballot_open"),
        (["ballot_open", "ballot_close"], "ballot_close"),
        (["ballot_open", "ballot_close"], "ballot_publish"),
        (["ballot_open", "ballot_close", "ballot_tally"], "ballot_tally"),
        (["ballot_open", "ballot_close", "ballot_tally", "ballot_publish"], "ballot_open"),
    ],
)
def test_illegal_transitions_are_refused(officer, make_evaluation, steps, illegal) -> None:
    ballot, _ = make_evaluation()
    shares: list[str] = []

    def run(step: str):
        # The count needs the 监票人's key shares handed out when the ballot opened.
        extra = {"key_shares": shares} if step == "ballot_tally" else {}
        return getattr(services, step)(actor=officer, ballot=ballot, **extra)

    for step in steps:
        done = run(step)
        shares = done if step == "ballot_open" else shares
    before = Ballot.objects.get(pk=ballot.pk).status
    with pytest.raises(ServiceError, match="不能"):
        run(illegal)
    assert Ballot.objects.get(pk=ballot.pk).status == before


def test_items_and_roster_freeze_on_open(officer, make_committee, make_user, cadre, post) -> None:
    ballot, _, _ = make_committee(members=3, attended=3)
    services.ballot_open(actor=officer, ballot=ballot)
    with pytest.raises(ServiceError, match="添加事项"):
        services.ballot_item_add(actor=officer, ballot=ballot, cadre=cadre, post=post, action="appointment")
    with pytest.raises(ServiceError, match="修改成员名单"):
        services.committee_member_add(actor=officer, ballot=ballot, user=make_user("committee_member"))
    assert ballot.items.count() == 1
    assert ballot.voters.count() == 3


def test_only_officers_in_scope_manage_ballots(make_user, tree) -> None:
    outsider = make_user("unit_officer", scope_unit=tree.town)
    leader = make_user("org_leader")
    for actor in (outsider, leader):
        with pytest.raises(ServiceError, match="无权"):
            services.ballot_create(actor=actor, kind=BallotKind.EVALUATION, title="测评", unit=tree.finance)
    assert not Ballot.objects.exists()


def test_recommendation_reference_list_must_exceed_posts(officer, tree, post) -> None:
    ballot = services.ballot_create(
        actor=officer, kind=BallotKind.RECOMMENDATION, title="会议推荐", unit=tree.finance, max_choices=1
    )
    with pytest.raises(ServiceError, match="差额"):
        services.ballot_item_add(actor=officer, ballot=ballot, post=post, reference=["甲"], posts=1)
    assert ballot.items.count() == 0


# ---------------------------------------------------------------- credentials and casting


def test_credential_codes_are_random_80_bits_and_only_hashes_are_stored(officer, make_evaluation) -> None:
    ballot, _ = make_evaluation()
    codes = services.credentials_issue(actor=officer, ballot=ballot, category="一般干部", count=20)
    assert len(set(codes)) == 20
    for code in codes:
        raw = services.normalize_code(code)
        assert len(raw) == 16 and set(raw) <= set(services.CODE_ALPHABET)  # 16 × 5 bits = 80 bits
    stored = set(Credential.objects.values_list("code_hash", flat=True))
    assert stored == {services.hash_code(c) for c in codes}
    assert not any(services.normalize_code(c) in h.upper() for c in codes for h in stored)


def test_reused_credential_is_refused_with_credential_used_error(officer, make_evaluation) -> None:
    ballot, item = make_evaluation()
    [code] = services.credentials_issue(actor=officer, ballot=ballot, category="一般干部", count=1)
    shares = services.ballot_open(actor=officer, ballot=ballot)
    receipt = services.ballot_cast_with_credential(
        code=code, ballot=ballot, content={item.pk: {"grade": "competent"}}
    )
    assert len(receipt) == 16
    with pytest.raises(CredentialUsedError):
        services.ballot_cast_with_credential(
            code=code.lower().replace("-", " "), ballot=ballot, content={item.pk: {"grade": "incompetent"}}
        )
    assert SealedSheet.objects.filter(ballot=ballot).count() == 1
    services.ballot_close(actor=officer, ballot=ballot)
    services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    assert Sheet.objects.get().content == {str(item.pk): {"grade": "competent"}}


def test_unknown_code_and_bad_content_consume_nothing(officer, make_evaluation) -> None:
    ballot, item = make_evaluation()
    [code] = services.credentials_issue(actor=officer, ballot=ballot, category="一般干部", count=1)
    services.ballot_open(actor=officer, ballot=ballot)
    with pytest.raises(ServiceError) as exc:
        services.ballot_cast_with_credential(
            code="AAAA-BBBB-CCCC-DDDD", ballot=ballot, content={item.pk: {"grade": "basic"}}
        )
    assert not isinstance(exc.value, CredentialUsedError)
    with pytest.raises(ServiceError, match="格式不正确"):
        services.ballot_cast_with_credential(code=code, ballot=ballot, content={item.pk: {"grade": "great"}})
    with pytest.raises(ServiceError, match="格式不正确"):
        services.ballot_cast_with_credential(code=code, ballot=ballot, content={})
    assert Credential.objects.get().used is False
    assert not Sheet.objects.exists()


def test_cast_before_open_and_after_close_is_refused(officer, make_evaluation) -> None:
    ballot, item = make_evaluation()
    first, second = services.credentials_issue(actor=officer, ballot=ballot, category="一般干部", count=2)
    with pytest.raises(ServiceError, match="未在进行中"):
        services.ballot_cast_with_credential(code=first, ballot=ballot, content={item.pk: {"grade": "basic"}})
    shares = services.ballot_open(actor=officer, ballot=ballot)
    services.ballot_cast_with_credential(code=first, ballot=ballot, content={item.pk: {"grade": "basic"}})
    services.ballot_close(actor=officer, ballot=ballot)
    with pytest.raises(ServiceError, match="未在进行中"):
        services.ballot_cast_with_credential(
            code=second, ballot=ballot, content={item.pk: {"grade": "basic"}}
        )
    assert Credential.objects.filter(used=True).count() == 1
    services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    assert result_of(item)["total"] == 1


def test_evaluation_flags_incompetent_share_above_threshold_and_suppresses_small_categories(
    officer, make_evaluation
) -> None:
    ballot, item = make_evaluation(threshold="3/10", min_category_size=3)
    big = services.credentials_issue(actor=officer, ballot=ballot, category="一般干部", count=8)
    small = services.credentials_issue(actor=officer, ballot=ballot, category="领导班子成员", count=2)
    shares = services.ballot_open(actor=officer, ballot=ballot)
    grades = ["incompetent"] * 4 + ["competent"] * 4 + ["excellent"] * 2  # 4 of 10 不称职 = 40%
    for code, grade in zip(big + small, grades, strict=True):
        services.ballot_cast_with_credential(code=code, ballot=ballot, content={item.pk: {"grade": grade}})
    services.ballot_close(actor=officer, ballot=ballot)
    services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    data = result_of(item)
    assert data["total"] == 10
    assert data["incompetent_share"] == "2/5"
    assert data["incompetent_flag"] is True
    assert data["by_category"]["领导班子成员"] == {"suppressed": True}
    assert data["by_category"]["一般干部"]["incompetent"] == 4
    assert any(r["rule"] == "EVAL-10" for r in data["reasons"])


def test_evaluation_exactly_at_threshold_is_not_flagged(officer, make_evaluation) -> None:
    ballot, item = make_evaluation(threshold="0.3")
    codes = services.credentials_issue(actor=officer, ballot=ballot, category="一般干部", count=10)
    shares = services.ballot_open(actor=officer, ballot=ballot)
    for n, code in enumerate(codes):
        grade = "incompetent" if n < 3 else "competent"
        services.ballot_cast_with_credential(code=code, ballot=ballot, content={item.pk: {"grade": grade}})
    services.ballot_close(actor=officer, ballot=ballot)
    services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    assert result_of(item)["incompetent_flag"] is False


def test_recommendation_counts_votes_and_write_ins(officer, tree, post) -> None:
    ballot = services.ballot_create(
        actor=officer, kind=BallotKind.RECOMMENDATION, title="会议推荐", unit=tree.finance, max_choices=2
    )
    item = services.ballot_item_add(actor=officer, ballot=ballot, post=post, reference=["甲", "乙", "丙"])
    codes = services.credentials_issue(actor=officer, ballot=ballot, category="中层干部", count=3)
    shares = services.ballot_open(actor=officer, ballot=ballot)
    with pytest.raises(ServiceError, match="最多推荐 2 人"):
        services.ballot_cast_with_credential(
            code=codes[0], ballot=ballot, content={item.pk: {"choices": ["甲", "乙", "丙"]}}
        )
    for code, choices in zip(codes, (["甲", "乙"], ["甲"], ["丁某"]), strict=True):
        services.ballot_cast_with_credential(
            code=code, ballot=ballot, content={item.pk: {"choices": choices}}
        )
    services.ballot_close(actor=officer, ballot=ballot)
    services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    data = result_of(item)
    assert data["votes"] == {"丁某": 1, "丙": 0, "乙": 1, "甲": 2}
    assert data["write_ins"] == ["丁某"]
    assert data["valid_sheets"] == 3


# ---------------------------------------------------------------- committee vote


def _committee_vote(officer, ballot, item, voters, agree, disagree=0) -> dict:
    shares = services.ballot_open(actor=officer, ballot=ballot)
    present = [v for v in voters if v.attended]
    for n, voter in enumerate(present[: agree + disagree]):
        choice = "agree" if n < agree else "disagree"
        services.committee_cast(actor=voter.user, ballot=ballot, item=item, choice=choice)
    services.ballot_close(actor=officer, ballot=ballot)
    services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    return result_of(item)


@pytest.mark.parametrize(
    ("attended", "agree", "quorum", "passed"),
    [
        (8, 6, True, True),  # 6 同意 of 11 who should attend: more than half
        (8, 5, True, False),  # 5 of 11 is not, though it is a majority of 8 present
        (11, 5, True, False),
        (7, 7, False, False),  # 7 of 11 present is below 2/3: no decision
    ],
)
def test_committee_vote_with_eleven_members(officer, make_committee, attended, agree, quorum, passed) -> None:
    ballot, [item], voters = make_committee(members=11, attended=attended)
    data = _committee_vote(officer, ballot, item, voters, agree=agree, disagree=attended - agree)
    assert data["members"] == 11
    assert data["present"] == attended
    assert data["agree"] == agree
    assert data["quorum_met"] is quorum
    assert data["passed"] is passed
    assert [r["rule"] for r in data["reasons"]] == ["DEC-01", "DEC-02"]


def test_committee_member_rules(officer, make_committee, make_user) -> None:
    ballot, [item], voters = make_committee(members=5, attended=4, recusals={1: [0]})
    services.ballot_open(actor=officer, ballot=ballot)
    with pytest.raises(ServiceError, match="不在本次表决"):
        services.committee_cast(actor=make_user("committee_member"), ballot=ballot, item=item, choice="agree")
    with pytest.raises(ServiceError, match="未登记到会"):
        services.committee_cast(actor=voters[4].user, ballot=ballot, item=item, choice="agree")
    with pytest.raises(ServiceError, match="回避"):
        services.committee_cast(actor=voters[1].user, ballot=ballot, item=item, choice="agree")
    services.committee_cast(actor=voters[0].user, ballot=ballot, item=item, choice="agree")
    with pytest.raises(ServiceError, match="已经对该事项表决过"):
        services.committee_cast(actor=voters[0].user, ballot=ballot, item=item, choice="disagree")
    with pytest.raises(ServiceError, match="已经表决"):
        services.committee_attendance_set(actor=officer, ballot=ballot, voter=voters[0], attended=False)
    assert Participation.objects.filter(ballot=ballot).count() == 1
    assert SealedSheet.objects.filter(ballot=ballot).count() == 1


def test_recusal_reduces_members_who_should_attend(officer, make_committee) -> None:
    # 9 members, one recused: 8 should attend, 6 are needed for quorum and 5 同意 to pass.
    ballot, [item], voters = make_committee(members=9, attended=7, recusals={0: [0]})
    data = _committee_vote(officer, ballot, item, voters[1:], agree=5)
    assert (data["members"], data["present"], data["recused"]) == (8, 6, 1)
    assert data["quorum_met"] is True
    assert data["passed"] is True


# ---------------------------------------------------------------- paper channel


def test_paper_counts_need_a_second_person(officer, make_user, make_committee) -> None:
    ballot, [item], _ = make_committee(members=7, attended=7, channel=Channel.PAPER)
    shares = services.ballot_open(actor=officer, ballot=ballot)
    services.ballot_close(actor=officer, ballot=ballot)
    services.paper_counts_enter(
        actor=officer, ballot=ballot, item=item, counts={"agree": 5, "disagree": 2}, issued=7, returned=7
    )
    with pytest.raises(ServiceError, match="未录入或未经监票确认"):
        services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    with pytest.raises(ServiceError, match="另一名工作人员"):
        services.paper_counts_confirm(actor=officer, ballot=ballot, item=item)
    witness = make_user("org_officer", display_name="监票人")
    paper = services.paper_counts_confirm(actor=witness, ballot=ballot, item=item)
    assert paper.void is False
    with pytest.raises(ServiceError, match="已经确认"):
        services.paper_counts_enter(
            actor=officer, ballot=ballot, item=item, counts={"agree": 7}, issued=7, returned=7
        )
    services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    data = result_of(item)
    assert (data["agree"], data["disagree"], data["passed"], data["void"]) == (5, 2, True, False)


def test_paper_more_returned_than_issued_voids_the_item(officer, make_user, make_committee) -> None:
    ballot, [item], _ = make_committee(members=7, attended=7, channel=Channel.PAPER)
    shares = services.ballot_open(actor=officer, ballot=ballot)
    services.ballot_close(actor=officer, ballot=ballot)
    services.paper_counts_enter(
        actor=officer, ballot=ballot, item=item, counts={"agree": 7, "defer": 1}, issued=7, returned=8
    )
    paper = services.paper_counts_confirm(actor=make_user("org_leader"), ballot=ballot, item=item)
    assert paper.void is True
    assert paper.reasons[0]["rule"] == "BALLOT-RETURN"
    services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    data = result_of(item)
    assert data["void"] is True
    assert data["passed"] is False


def test_paper_counts_cannot_exceed_returned(officer, make_committee) -> None:
    ballot, [item], _ = make_committee(members=7, attended=7, channel=Channel.PAPER)
    services.ballot_open(actor=officer, ballot=ballot)
    services.ballot_close(actor=officer, ballot=ballot)
    with pytest.raises(ServiceError, match="多于收回票数"):
        services.paper_counts_enter(
            actor=officer, ballot=ballot, item=item, counts={"agree": 7}, issued=7, returned=6
        )


# ---------------------------------------------------------------- audit: counts and states only


def test_audit_trail_holds_no_code_receipt_or_content(officer, make_committee, tree, post) -> None:
    ballot = services.ballot_create(
        actor=officer, kind=BallotKind.RECOMMENDATION, title="会议推荐", unit=tree.finance, max_choices=1
    )
    item = services.ballot_item_add(actor=officer, ballot=ballot, post=post, reference=["甲", "乙"])
    codes = services.credentials_issue(actor=officer, ballot=ballot, category="中层干部", count=3)
    shares = services.ballot_open(actor=officer, ballot=ballot)
    events_before_casting = AuditEvent.objects.count()
    receipts = [
        services.ballot_cast_with_credential(
            code=code, ballot=ballot, content={item.pk: {"choices": ["另荐王五"]}}
        )
        for code in codes
    ]
    assert AuditEvent.objects.count() == events_before_casting  # casting leaves no event at all
    cballot, [citem], voters = make_committee(members=3, attended=3)
    cshares = services.ballot_open(actor=officer, ballot=cballot)
    receipts.append(services.committee_cast(actor=voters[0].user, ballot=cballot, item=citem, choice="defer"))
    for b, key_shares in ((ballot, shares), (cballot, cshares)):
        services.ballot_close(actor=officer, ballot=b)
        services.ballot_tally(actor=officer, ballot=b, key_shares=key_shares)
        services.ballot_publish(actor=officer, ballot=b)

    dump = json.dumps(
        list(AuditEvent.objects.values("before", "after", "reason", "target_repr", "event_type")),
        ensure_ascii=False,
    ).upper()
    secrets_ = [services.normalize_code(c) for c in codes] + [c.upper() for c in codes] + receipts
    for secret in secrets_:
        assert secret.upper() not in dump
    assert "另荐王五" not in dump
    assert "DEFER" not in dump
    # The close event carries the counts an observer needs, and only those.
    close = AuditEvent.objects.get(event_type="voting.ballot_closed", target_id=str(ballot.pk))
    assert close.after["credentials_used"] == 3
    assert close.after["sheets"] == 3
