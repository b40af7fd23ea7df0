"""Ballot selectors: results after the count, only to those who may see them; receipts once published."""

from __future__ import annotations

import pytest
from django.http import Http404

from ganbu.voting import selectors, services


def _run_evaluation(officer, make_evaluation, publish=False):
    ballot, item = make_evaluation()
    codes = services.credentials_issue(actor=officer, ballot=ballot, category="一般干部", count=2)
    shares = services.ballot_open(actor=officer, ballot=ballot)
    receipts = [
        services.ballot_cast_with_credential(code=c, ballot=ballot, content={item.pk: {"grade": "competent"}})
        for c in codes
    ]
    services.ballot_close(actor=officer, ballot=ballot)
    return ballot, shares, receipts


def test_results_hidden_until_tallied(officer, make_evaluation) -> None:
    ballot, shares, _ = _run_evaluation(officer, make_evaluation)
    with pytest.raises(Http404):
        selectors.ballot_results(user=officer, ballot_id=ballot.pk)
    services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    shown, results = selectors.ballot_results(user=officer, ballot_id=ballot.pk)
    assert shown == ballot
    assert results[0].data["counts"]["competent"] == 2


def test_results_scoped_by_role_and_unit(officer, make_user, tree, make_evaluation) -> None:
    ballot, shares, _ = _run_evaluation(officer, make_evaluation)
    services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    leader = make_user("org_leader")
    assert selectors.ballot_results(user=leader, ballot_id=ballot.pk)[1]
    for user in (
        make_user("org_officer", scope_unit=tree.town),  # another unit's subtree
        make_user("unit_officer", scope_unit=tree.finance),  # not a role that sees results
        make_user("committee_member"),  # not a committee vote
        make_user("auditor"),
    ):
        with pytest.raises(Http404):
            selectors.ballot_results(user=user, ballot_id=ballot.pk)


def test_committee_results_visible_to_members_on_the_roster(officer, make_user, make_committee) -> None:
    ballot, [item], voters = make_committee(members=3, attended=3)
    shares = services.ballot_open(actor=officer, ballot=ballot)
    services.committee_cast(actor=voters[0].user, ballot=ballot, item=item, choice="agree")
    services.ballot_close(actor=officer, ballot=ballot)
    services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    _, results = selectors.ballot_results(user=voters[2].user, ballot_id=ballot.pk)
    assert results[0].data["agree"] == 1
    with pytest.raises(Http404):
        selectors.ballot_results(user=make_user("committee_member"), ballot_id=ballot.pk)


def test_receipts_published_only_after_publication(officer, make_evaluation) -> None:
    ballot, shares, receipts = _run_evaluation(officer, make_evaluation)
    services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    with pytest.raises(Http404):
        selectors.ballot_receipts(ballot_id=ballot.pk)
    services.ballot_publish(actor=officer, ballot=ballot)
    assert selectors.ballot_receipts(ballot_id=ballot.pk) == sorted(receipts)


def test_progress_shows_counts_only(officer, make_evaluation, make_user) -> None:
    ballot, _, _ = _run_evaluation(officer, make_evaluation)
    progress = selectors.ballot_progress(user=officer, ballot_id=ballot.pk)
    assert (progress.credentials_issued, progress.credentials_used) == (2, 2)
    with pytest.raises(Http404):
        selectors.ballot_progress(user=make_user("cadre"), ballot_id=ballot.pk)
