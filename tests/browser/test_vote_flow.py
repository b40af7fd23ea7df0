"""A secret ballot in a real browser: a voter casts with a code and keeps the receipt; staff
closes, two 监票人 enter their key shares to count, staff publishes; the receipt is in the
published list."""

from __future__ import annotations

import re

import pytest

from ganbu.registry.tests.factories import CadreFactory
from ganbu.voting import services
from ganbu.voting.choices import BallotKind
from ganbu.voting.models import SealedSheet, Sheet

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_voter_casts_and_finds_the_receipt_in_the_published_list(
    browser_page, live_server, transactional_db, tree, make_user, artifacts_dir, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    officer = make_user("org_officer", username="zzb", display_name="组织部干部科")
    cadre = CadreFactory(name="李测评", unit=tree.finance)
    ballot = services.ballot_create(
        actor=officer, kind=BallotKind.EVALUATION, title="2026年度民主测评", unit=tree.finance
    )
    services.ballot_item_add(actor=officer, ballot=ballot, cadre=cadre)
    shares = services.ballot_open(actor=officer, ballot=ballot)
    code, *_others = services.credentials_issue(actor=officer, ballot=ballot, category="一般干部", count=3)
    page = browser_page.page
    base = live_server.url

    # The voter: no login, the ballot number and the code from the slip, one grade, a receipt.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/vote/")
    page.get_by_label("投票编号").fill(str(ballot.pk))
    page.get_by_role("button", name="下一步").click()
    page.wait_for_url(re.compile(rf"/vote/{ballot.pk}/$"))
    page.get_by_label("投票码").fill(code)
    page.get_by_label("称职", exact=True).check()
    page.get_by_role("button", name="提交选票").click()
    receipt = page.locator("#receipt").inner_text().strip()
    # Stored sealed: the receipt is nowhere in the database until the count opens the sheets.
    assert receipt and not Sheet.objects.exists() and SealedSheet.objects.filter(ballot=ballot).count() == 1
    page.screenshot(path=str(artifacts_dir / "vote-receipt.png"), full_page=True)

    # Staff: log in, close, tally, publish from the ballot page.
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base}/ballots/{ballot.pk}/")
    page.get_by_label("用户名").fill(officer.username)
    page.get_by_label("密码").fill("pass-word-123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(rf"/ballots/{ballot.pk}/$"))
    page.get_by_role("button", name="结束投票").click()
    page.wait_for_load_state()
    # The count: two of the three 监票人 type their key shares on the count page.
    page.get_by_role("link", name="计票").click()
    page.wait_for_url(re.compile(rf"/ballots/{ballot.pk}/count/$"))
    page.get_by_label("第 1 份密钥份额").fill(shares[2])
    page.get_by_label("第 3 份密钥份额").fill(shares[0].lower().replace("-", " "))
    page.screenshot(path=str(artifacts_dir / "vote-count-shares.png"), full_page=True)
    page.get_by_role("button", name="开启选票并计票").click()
    page.wait_for_url(re.compile(rf"/ballots/{ballot.pk}/results/$"))
    assert Sheet.objects.filter(ballot=ballot, receipt=receipt).count() == 1
    page.goto(f"{base}/ballots/{ballot.pk}/")
    page.get_by_role("button", name="公布结果与回执码").click()
    page.wait_for_load_state()
    ballot.refresh_from_db()
    assert ballot.status == "published"

    # Anyone can check the receipt is in the published list.
    page.goto(f"{base}/vote/{ballot.pk}/receipts/")
    assert receipt in page.content()
    page.screenshot(path=str(artifacts_dir / "vote-receipts.png"), full_page=True)
    assert browser_page.external_requests() == []
