"""Committee set-up and member voting pages, meeting attendance, and the paper count pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ganbu.registry.tests.factories import CadreFactory, PostFactory
from ganbu.voting import services
from ganbu.voting.choices import BallotKind, BallotStatus, Channel
from ganbu.voting.models import Ballot, BallotResult, PaperCount, Participation, Recusal, Sheet
from ganbu.web.tests.test_content_security_policy import inline_code

pytestmark = pytest.mark.django_db


def _action(client, ballot, action):
    """Press one life-cycle button and follow to the detail page."""
    return client.post(reverse("web:ballot-action", args=[ballot.pk, action]), follow=True)


def test_committee_vote_set_up_and_cast_entirely_through_pages(client, tree, officer, make_user):
    cadre = CadreFactory(unit=tree.finance, name="王拟任")
    post = PostFactory(unit=tree.finance, title="副局长")
    members = [make_user("committee_member", display_name=f"常委{i}") for i in range(7)]
    client.force_login(officer)
    client.post(
        reverse("web:ballot-create"),
        {
            "kind": BallotKind.COMMITTEE,
            "title": "常委会第5次会议",
            "unit": tree.root.pk,
            "channel": "electronic",
            "max_choices": 1,
        },
    )
    ballot = Ballot.objects.get(title="常委会第5次会议")
    # An appointment without a post is refused with the service's message on the form.
    refused = client.post(
        reverse("web:ballot-item-add", args=[ballot.pk]),
        {"item-cadre": cadre.pk, "item-action": "appointment", "item-posts": 1},
    )
    assert refused.status_code == 200 and "任职事项须选择职位" in refused.content.decode()
    client.post(
        reverse("web:ballot-item-add", args=[ballot.pk]),
        {"item-cadre": cadre.pk, "item-post": post.pk, "item-action": "appointment", "item-posts": 1},
    )
    item = ballot.items.get()
    assert (item.cadre, item.post, item.action) == (cadre, post, "appointment")
    for n, member in enumerate(members):
        data = {"member-user": member.pk}
        if n < 6:
            data["member-attended"] = "on"
        client.post(reverse("web:ballot-member-add", args=[ballot.pk]), data)
    voters = list(ballot.voters.order_by("id"))
    assert len(voters) == 7 and sum(v.attended for v in voters) == 6
    page = client.get(reverse("web:ballot-detail", args=[ballot.pk])).content.decode()
    assert "成员名单（应到 7 人）" in page and "常委6" in page
    # The member picker offers only those not yet on the roster.
    assert (
        client.get(reverse("web:ballot-detail", args=[ballot.pk]))
        .context["member_form"]
        .fields["user"]
        .queryset.count()
        == 0
    )
    no_reason = client.post(
        reverse("web:ballot-recusal", args=[ballot.pk]),
        {"voter": voters[5].pk, "item": item.pk, "recused": "1"},
        follow=True,
    )
    assert "请填写回避理由" in no_reason.content.decode()
    client.post(
        reverse("web:ballot-recusal", args=[ballot.pk]),
        {"voter": voters[5].pk, "item": item.pk, "recused": "1", "reason": "系拟任人选的岳父"},
    )
    assert Recusal.objects.get(voter=voters[5]).reason == "系拟任人选的岳父"
    client.post(reverse("web:ballot-member-remove", args=[ballot.pk, voters[6].pk]))
    client.post(reverse("web:ballot-member-attendance", args=[ballot.pk, voters[4].pk]), {"attended": "0"})
    opened = client.post(
        reverse("web:ballot-action", args=[ballot.pk, "open"]), {"key-key_holders": 2, "key-key_threshold": 2}
    )
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.OPEN
    # The 监票人's key shares: shown once on slips to print, both needed to count.
    shares = [slip["share"] for slip in opened.context["slips"]]
    assert len(shares) == 2 and all(share in opened.content.decode() for share in shares)
    assert "只显示这一次" in opened.content.decode() and opened["Cache-Control"].startswith("max-age=0")
    assert inline_code(opened.content.decode()) == []  # the slips page works under the CSP

    url = reverse("web:ballot-member-vote", args=[ballot.pk])
    client.force_login(members[0])
    assert "进入表决" in client.get(reverse("web:ballot-detail", args=[ballot.pk])).content.decode()
    cast = client.post(url, {"item": item.pk, "choice": "agree"})
    receipt = cast.context["receipt"]
    assert cast.status_code == 200 and receipt in cast.content.decode()
    # The receipt is in the response only: not in the session and not in a flash message.
    assert receipt not in str(dict(client.session.items()))
    assert receipt not in str(client.cookies)
    assert "已表决" in client.get(url).content.decode()
    again = client.post(url, {"item": item.pk, "choice": "disagree"})
    assert again.status_code == 400 and "已经对该事项表决过" in again.content.decode()
    for member in members[1:4]:
        client.force_login(member)
        client.post(url, {"item": item.pk, "choice": "agree"})
    client.force_login(members[5])
    recused_page = client.get(url).content.decode()
    assert "回避" in recused_page and "系拟任人选的岳父" in recused_page
    assert client.post(url, {"item": item.pk, "choice": "agree"}).status_code == 400
    client.force_login(members[4])
    assert "尚未登记到会" in client.get(url).content.decode()
    client.force_login(make_user("committee_member"))
    assert client.get(url).status_code == 404
    assert Participation.objects.filter(ballot=ballot).count() == 4

    client.force_login(officer)
    _action(client, ballot, "close")
    count_url = reverse("web:ballot-count", args=[ballot.pk])
    assert _action(client, ballot, "tally").redirect_chain[-1][0] == count_url
    assert inline_code(client.get(count_url).content.decode()) == []
    one = client.post(count_url, {"share_1": shares[1]})
    assert "至少 2 名监票人" in one.content.decode() and shares[1] not in one.content.decode()
    counted = client.post(count_url, {"share_1": shares[1], "share_2": shares[0].lower()}, follow=True)
    assert "计票完成" in counted.content.decode()
    data = BallotResult.objects.get(item=item).data
    # 6 on the roster, 1 recused: 5 should attend, 4 present, 4 同意 > 5/2.
    assert (data["members"], data["present"], data["agree"], data["passed"]) == (5, 4, 4, True)


def test_meeting_attendance_form_and_quorum_in_results(client, tree, officer):
    cadre = CadreFactory(unit=tree.finance)
    ballot = services.ballot_create(
        actor=officer, kind=BallotKind.EVALUATION, title="测评", unit=tree.finance
    )
    item = services.ballot_item_add(actor=officer, ballot=ballot, cadre=cadre)
    codes = services.credentials_issue(actor=officer, ballot=ballot, category="一般干部", count=4)
    client.force_login(officer)
    bad = client.post(
        reverse("web:ballot-meeting", args=[ballot.pk]),
        {"meeting-expected": 10, "meeting-present": 11},
        follow=True,
    )
    assert "实到人数应在 0 到应到人数 10 之间" in bad.content.decode()
    client.post(
        reverse("web:ballot-meeting", args=[ballot.pk]), {"meeting-expected": 10, "meeting-present": 6}
    )
    shares = services.ballot_open(actor=officer, ballot=ballot)
    for code in codes:
        services.ballot_cast_with_credential(
            code=code, ballot=ballot, content={item.pk: {"grade": "competent"}}
        )
    services.ballot_close(actor=officer, ballot=ballot)
    services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    page = client.get(reverse("web:ballot-results", args=[ballot.pk])).content.decode()
    assert "应到 10 人，实到 6 人" in page and "本事项投票无效" in page


def test_paper_committee_count_entered_and_confirmed_by_two_people(
    client, tree, officer, make_user, make_committee
):
    ballot, [item], _ = make_committee(members=9, attended=8, channel=Channel.PAPER)
    services.ballot_open(actor=officer, ballot=ballot)
    services.ballot_close(actor=officer, ballot=ballot)
    client.force_login(officer)
    url = reverse("web:ballot-paper", args=[ballot.pk])
    assert "核对无误" not in client.get(url).content.decode()
    enter = reverse("web:ballot-paper-enter", args=[ballot.pk, item.pk])
    p = f"p{item.pk}"
    too_many = client.post(
        enter,
        {
            f"{p}-issued": 8,
            f"{p}-returned": 8,
            f"{p}-count_agree": 7,
            f"{p}-count_disagree": 2,
            f"{p}-count_defer": 0,
        },
        follow=True,
    )
    assert "多于收回票数" in too_many.content.decode()
    client.post(
        enter,
        {
            f"{p}-issued": 8,
            f"{p}-returned": 8,
            f"{p}-count_agree": 6,
            f"{p}-count_disagree": 1,
            f"{p}-count_defer": 1,
        },
    )
    assert PaperCount.objects.get(item=item).counts == {"agree": 6, "defer": 1, "disagree": 1}
    same = client.post(reverse("web:ballot-paper-confirm", args=[ballot.pk, item.pk]), follow=True)
    assert "另一名工作人员" in same.content.decode()
    leader = make_user("org_leader")
    client.force_login(leader)
    assert "核对无误" in client.get(url).content.decode()
    client.post(reverse("web:ballot-paper-confirm", args=[ballot.pk, item.pk]))
    assert PaperCount.objects.get(item=item).confirmed_by == leader
    client.force_login(officer)
    _action(client, ballot, "tally")
    data = BallotResult.objects.get(item=item).data
    assert data["agree"] == 6 and data["passed"] is True


def test_paper_recommendation_entered_paper_by_paper_on_the_page(client, tree, officer, make_user):
    post = PostFactory(unit=tree.finance)
    ballot = services.ballot_create(
        actor=officer,
        kind=BallotKind.RECOMMENDATION,
        title="会议推荐",
        unit=tree.finance,
        channel=Channel.PAPER,
        max_choices=1,
    )
    item = services.ballot_item_add(actor=officer, ballot=ballot, post=post, reference=["甲", "乙", "丙"])
    services.ballot_open(actor=officer, ballot=ballot)
    services.ballot_close(actor=officer, ballot=ballot)
    client.force_login(officer)
    sheet = reverse("web:ballot-paper-sheet", args=[ballot.pk])
    client.post(sheet, {"category": "中层干部", f"item-{item.pk}": ["甲"]})
    client.post(sheet, {"category": "中层干部", f"item-{item.pk}": ["乙", "丙"]})
    client.post(sheet, {"category": "中层干部", f"item-{item.pk}-writein": "赵六"})
    missing = client.post(sheet, {"category": " ", f"item-{item.pk}": ["甲"]}, follow=True)
    assert "请填写投票人类别" in missing.content.decode()
    assert "已录入推荐票 3 张" in client.get(reverse("web:ballot-paper", args=[ballot.pk])).content.decode()
    assert Sheet.objects.filter(ballot=ballot).count() == 3
    p = f"p{item.pk}"
    client.post(
        reverse("web:ballot-paper-enter", args=[ballot.pk, item.pk]), {f"{p}-issued": 3, f"{p}-returned": 3}
    )
    client.force_login(make_user("org_leader"))
    client.post(reverse("web:ballot-paper-confirm", args=[ballot.pk, item.pk]))
    client.force_login(officer)
    _action(client, ballot, "tally")
    data = BallotResult.objects.get(item=item).data
    assert data["votes"]["甲"] == 1 and data["invalid_sheets"] == 1 and data["write_ins"] == ["赵六"]


def test_paper_pages_are_404_for_electronic_ballots_and_for_committee_members(
    client, tree, officer, make_user, make_committee
):
    electronic, _, _ = make_committee(members=3, attended=3)
    client.force_login(officer)
    assert client.get(reverse("web:ballot-paper", args=[electronic.pk])).status_code == 404
    paper, _, voters = make_committee(members=3, attended=3, channel=Channel.PAPER)
    client.force_login(voters[0].user)
    assert client.get(reverse("web:ballot-paper", args=[paper.pk])).status_code == 404
