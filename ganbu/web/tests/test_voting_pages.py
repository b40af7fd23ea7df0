"""Voting pages: the staff life cycle, the voter's cast with a code, progress, results and scope."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ganbu.registry.tests.factories import CadreFactory
from ganbu.voting import services
from ganbu.voting.choices import BallotKind, BallotStatus
from ganbu.voting.models import Ballot, Credential, SealedSheet, Sheet

pytestmark = pytest.mark.django_db


def _post_action(client, ballot, action):
    """Press one life-cycle button and follow to the detail page."""
    return client.post(reverse("web:ballot-action", args=[ballot.pk, action]), follow=True)


def test_staff_life_cycle_and_voter_cast_through_pages(client, tree, officer):
    cadre = CadreFactory(unit=tree.finance, name="李测评")
    client.force_login(officer)
    response = client.post(
        reverse("web:ballot-create"),
        {
            "kind": BallotKind.EVALUATION,
            "title": "年度民主测评",
            "unit": tree.finance.pk,
            "channel": "electronic",
            "max_choices": 1,
            "threshold": "3/10",
        },
    )
    ballot = Ballot.objects.get(title="年度民主测评")
    assert response.status_code == 302
    # Opening an empty ballot fails with the service's Chinese message, not a 500.
    page = _post_action(client, ballot, "open")
    assert "投票至少要有一个事项才能开始" in page.content.decode()
    client.post(reverse("web:ballot-item-add", args=[ballot.pk]), {"item-cadre": cadre.pk, "item-posts": 1})
    assert ballot.items.get().cadre == cadre
    opened = _post_action(client, ballot, "open")
    shares = [slip["share"] for slip in opened.context["slips"]]
    assert len(shares) == 3  # three 监票人 by default, two of them count
    slips = client.post(
        reverse("web:ballot-credentials", args=[ballot.pk]), {"cred-category": "一般干部", "cred-count": 3}
    )
    codes = slips.context["codes"]
    assert len(codes) == 3 and codes[0] in slips.content.decode()
    assert Credential.objects.filter(ballot=ballot).count() == 3

    client.logout()
    item = ballot.items.get()
    url = reverse("web:vote-ballot", args=[ballot.pk])
    assert client.get(url).status_code == 200
    done = client.post(url, {"code": codes[0].lower(), f"item-{item.pk}": "competent"})
    receipt = done.context["receipt"]
    assert receipt in done.content.decode() and "请抄下或截图保存回执码" in done.content.decode()
    again = client.post(url, {"code": codes[0], f"item-{item.pk}": "incompetent"})
    assert again.status_code == 409 and "该投票码已使用" in again.content.decode()
    assert SealedSheet.objects.filter(ballot=ballot).count() == 1 and not Sheet.objects.exists()

    client.force_login(officer)
    results_url = reverse("web:ballot-results", args=[ballot.pk])
    assert client.get(results_url).status_code == 404
    _post_action(client, ballot, "close")
    count_url = reverse("web:ballot-count", args=[ballot.pk])
    wrong = client.post(count_url, {"share_1": shares[0], "share_2": shares[1][:-2] + "ZZ"})
    assert "第 2 份密钥份额校验不符" in wrong.content.decode()
    client.post(count_url, {"share_2": shares[2], "share_3": shares[0]})
    assert list(Sheet.objects.get().content.values()) == [{"grade": "competent"}]
    results = client.get(results_url)
    assert results.status_code == 200 and "称职" in results.content.decode()
    _post_action(client, ballot, "publish")
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.PUBLISHED
    client.logout()
    assert receipt in client.get(reverse("web:ballot-receipts", args=[ballot.pk])).content.decode()


def test_recommendation_cast_with_reference_and_write_in(client, tree, officer):
    ballot = services.ballot_create(
        actor=officer, kind=BallotKind.RECOMMENDATION, title="会议推荐", unit=tree.finance, max_choices=2
    )
    item = services.ballot_item_add(actor=officer, ballot=ballot, reference=["甲", "乙", "丙"], posts=1)
    shares = services.ballot_open(actor=officer, ballot=ballot)
    code = services.credentials_issue(actor=officer, ballot=ballot, category="干部", count=1)[0]
    url = reverse("web:vote-ballot", args=[ballot.pk])
    too_many = client.post(
        url, {"code": code, f"item-{item.pk}": ["甲", "乙"], f"item-{item.pk}-writein": "丁"}
    )
    assert "最多推荐 2 人" in too_many.content.decode() and not SealedSheet.objects.exists()
    client.post(url, {"code": code, f"item-{item.pk}": ["甲"], f"item-{item.pk}-writein": "丁"})
    services.ballot_close(actor=officer, ballot=ballot)
    services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    assert Sheet.objects.get().content == {str(item.pk): {"choices": ["甲", "丁"]}}


def test_progress_shows_counts_only(client, tree, officer):
    ballot = services.ballot_create(
        actor=officer, kind=BallotKind.EVALUATION, title="测评", unit=tree.finance
    )
    item = services.ballot_item_add(actor=officer, ballot=ballot, cadre=CadreFactory(unit=tree.finance))
    services.ballot_open(actor=officer, ballot=ballot)
    codes = services.credentials_issue(actor=officer, ballot=ballot, category="干部", count=4)
    services.ballot_cast_with_credential(
        code=codes[0], ballot=ballot, content={item.pk: {"grade": "incompetent"}}
    )
    client.force_login(officer)
    response = client.get(reverse("web:ballot-progress", args=[ballot.pk]))
    html = response.content.decode()
    assert response.context["progress"].credentials_issued == 4
    assert response.context["progress"].credentials_used == 1
    assert "不称职" not in html and "incompetent" not in html


def test_unit_officer_out_of_scope_gets_404(client, tree, officer, make_user):
    ballot = services.ballot_create(
        actor=officer, kind=BallotKind.EVALUATION, title="测评", unit=tree.finance
    )
    outsider = make_user("unit_officer", scope_unit=tree.town)
    client.force_login(outsider)
    for name in ("web:ballot-detail", "web:ballot-progress", "web:ballot-results"):
        assert client.get(reverse(name, args=[ballot.pk])).status_code == 404
    assert client.post(reverse("web:ballot-action", args=[ballot.pk, "open"])).status_code == 404
    assert "测评" not in client.get(reverse("web:ballot-list")).content.decode()
    insider = make_user("unit_officer", scope_unit=tree.finance)
    client.force_login(insider)
    assert client.get(reverse("web:ballot-detail", args=[ballot.pk])).status_code == 200


def test_voter_page_needs_no_login_and_rejects_bad_code(client, tree, officer):
    ballot = services.ballot_create(
        actor=officer, kind=BallotKind.EVALUATION, title="测评", unit=tree.finance
    )
    item = services.ballot_item_add(actor=officer, ballot=ballot, cadre=CadreFactory(unit=tree.finance))
    url = reverse("web:vote-ballot", args=[ballot.pk])
    assert client.get(url).status_code == 404  # draft: not open for voting
    services.ballot_open(actor=officer, ballot=ballot)
    assert client.get(reverse("web:vote-start"), {"ballot": ballot.pk})["Location"] == url
    response = client.post(url, {"code": "WRONG-CODE", f"item-{item.pk}": "competent"})
    assert response.status_code == 400 and "投票码无效" in response.content.decode()
    assert not Sheet.objects.exists()


def test_slips_carry_a_qr_code_with_the_code_in_the_fragment_only(client, tree, officer):
    import segno

    ballot = services.ballot_create(
        actor=officer, kind=BallotKind.EVALUATION, title="测评", unit=tree.finance
    )
    services.ballot_item_add(actor=officer, ballot=ballot, cadre=CadreFactory(unit=tree.finance))
    client.force_login(officer)
    slips = client.post(
        reverse("web:ballot-credentials", args=[ballot.pk]), {"cred-category": "一般干部", "cred-count": 2}
    )
    html = slips.content.decode()
    assert html.count("<svg") == 2
    code = slips.context["codes"][0]
    # The QR code holds the page address with the code after "#": browsers never send that part.
    expected = segno.make(f"http://testserver/vote/{ballot.pk}/#code={code}", error="m")
    assert expected.svg_inline(scale=3, border=2, omitsize=True) in html
    services.ballot_open(actor=officer, ballot=ballot)
    client.logout()
    vote_page = client.get(reverse("web:vote-ballot", args=[ballot.pk])).content.decode()
    assert "ganbu/vote-code.js" in vote_page
