"""The applicant portal (「我的报名」): only one's own applications, and of them only what is known by now.

Status and review note, the findings, each stage's score once recorded, total and place once the
campaign is ranked, the outcome once published; withdrawal through the service before the ranking;
one's own attachments. Every other page is a 404 for an applicant, and the portal is for nobody else.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ganbu.campaigns import portal, services
from ganbu.campaigns.choices import ApplicationStatus, Outcome
from ganbu.campaigns.models import Application
from ganbu.campaigns.tests.scene import PASSWORD, PDF, PNG, import_scores, open_campaign, register, to_scoring
from ganbu.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PORTAL = "/my/applications/"


@pytest.fixture
def scene(tree, officer):
    return open_campaign(tree, officer)


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def _portal(client, application: Application) -> str:
    client.force_login(application.applicant.user)
    response = client.get(PORTAL)
    assert response.status_code == 200
    return _main(response)


def test_the_portal_shows_only_ones_own_applications(client, scene, tree, officer):
    mine = register(scene, 1, name="钱本人", uploads=(portal.Upload("证书.pdf", PDF),))
    other = register(scene, 2, name="孙别人", uploads=(portal.Upload("他人.png", PNG),))
    html = _portal(client, mine)
    assert scene.campaign.title in html and mine.ticket in html and "证书.pdf" in html
    assert other.ticket not in html and "孙别人" not in html and "他人.png" not in html
    assert "等待审查" in html and "未发现不符合报名条件的情况" in html
    assert "排名后公布" in html and "经组织研究后公布" in html and "未公布" in html


def test_what_is_shown_follows_the_campaign_review_scores_ranking_publication(client, scene):
    a = register(scene, 3, name="周甲")
    b = register(scene, 4, name="吴乙", age=45)  # over the age limit: a finding, then rejected
    assert _portal(client, b).count("超过本次选拔规定的40周岁") == 1

    services.campaign_close_registration(actor=scene.officer, campaign=scene.campaign)
    services.application_review(actor=scene.officer, application=a, passed=True)
    services.application_review(actor=scene.officer, application=b, passed=False, note="年龄超过40周岁。")
    html = _portal(client, b)
    assert "资格审查未通过" in html and "审查意见：年龄超过40周岁。" in html
    services.campaign_start_scoring(actor=scene.officer, campaign=scene.campaign)

    import_scores(scene, "written", {a: "91.5"})
    html = _portal(client, a)
    assert "资格审查通过" in html and "91.5" in html and "排名后公布" in html
    services.stage_advance(actor=scene.officer, campaign=scene.campaign, stage="written")
    import_scores(scene, "interview", {a: "80"})
    services.campaign_rank(actor=scene.officer, campaign=scene.campaign)
    a.refresh_from_db()
    services.campaign_decide(actor=scene.officer, campaign=scene.campaign, appointed=[a])
    html = _portal(client, a)
    # ranked: total and place are shown; the decision is not, until it is published
    assert "综合成绩 <strong>85.75</strong>" in html and "第 1 名" in html
    assert "拟任用" not in html and "经组织研究后公布" in html
    services.campaign_publish(actor=scene.officer, campaign=scene.campaign)
    html = _portal(client, a)
    assert "<strong>拟任用</strong>" in html and str(scene.posts[0].post) in html
    assert "退出本次报名" not in html


def test_withdrawal_through_the_service_own_only_confirmed_and_before_the_ranking(client, scene):
    mine = register(scene, 5)
    other = register(scene, 6)
    client.force_login(mine.applicant.user)
    url = reverse("web:my-application-withdraw", args=[mine.pk])
    assert "退出本次报名" in _main(client.get(PORTAL))

    unconfirmed = client.post(url, {"reason": "个人原因"}, follow=True)
    assert "请勾选确认后再退出" in unconfirmed.content.decode()
    assert (
        client.post(reverse("web:my-application-withdraw", args=[other.pk]), {"confirm": "on"}).status_code
        == 404
    )
    assert client.get(url).status_code == 405

    done = client.post(url, {"reason": "工作调整", "confirm": "on"}, follow=True)
    assert "已退出「公开选拔副科级领导干部」的报名" in done.content.decode()
    mine.refresh_from_db()
    other.refresh_from_db()
    assert (mine.status, mine.outcome, mine.review_note) == (
        ApplicationStatus.WITHDRAWN,
        Outcome.WITHDRAWN,
        "工作调整",
    )
    assert other.status == ApplicationStatus.SUBMITTED
    event = AuditEvent.objects.get(event_type="campaign.application_withdrawn")
    assert event.actor == mine.applicant.user
    again = client.post(url, {"confirm": "on"}, follow=True)
    assert "不能在网上退出" in again.content.decode()


def test_no_withdrawal_from_the_portal_once_ranked(client, scene):
    a = register(scene, 7)
    to_scoring(scene)
    a.refresh_from_db()
    import_scores(scene, "written", {a: "80"})
    services.stage_advance(actor=scene.officer, campaign=scene.campaign, stage="written")
    import_scores(scene, "interview", {a: "80"})
    services.campaign_rank(actor=scene.officer, campaign=scene.campaign)
    assert "退出本次报名" not in _portal(client, a)
    refused = client.post(reverse("web:my-application-withdraw", args=[a.pk]), {"confirm": "on"}, follow=True)
    assert "本次选拔已经排名，不能在网上退出" in refused.content.decode()
    a.refresh_from_db()
    assert a.status == ApplicationStatus.QUALIFIED


def test_attachments_are_downloaded_by_their_owner_only(client, scene):
    mine = register(scene, 8, uploads=(portal.Upload("学历.pdf", PDF),))
    other = register(scene, 9, uploads=(portal.Upload("他人.png", PNG),))
    own_file = mine.attachments.get()
    other_file = other.attachments.get()
    client.force_login(mine.applicant.user)
    response = client.get(reverse("web:my-attachment", args=[mine.pk, own_file.pk]))
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Type"] == "application/pdf" and response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"].startswith("attachment")
    for app_pk, file_pk in ((other.pk, other_file.pk), (mine.pk, other_file.pk), (other.pk, own_file.pk)):
        assert client.get(reverse("web:my-attachment", args=[app_pk, file_pk])).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/cadres/",
        "/units/",
        "/documents/",
        "/selection/",
        "/ballots/",
        "/audit/",
        "/objections/",
        "/me/",
        "/judging/",
    ],
)
def test_an_applicant_finds_every_staff_page_missing(client, scene, path):
    client.force_login(register(scene, 10).applicant.user)
    assert client.get(path).status_code == 404


def test_staff_pages_of_the_campaigns_are_missing_for_an_applicant(client, scene):
    from django.urls import NoReverseMatch

    client.force_login(register(scene, 11).applicant.user)
    try:
        url = reverse("web:campaign-detail", args=[scene.campaign.pk])
    except NoReverseMatch:
        pytest.skip("the staff campaign pages are not wired into ganbu/web/urls.py yet")
    assert client.get(url).status_code == 404


def test_the_portal_is_for_applicants_only(client, scene, make_user, officer):
    for user in (officer, make_user("judge"), make_user("auditor"), make_user("org_leader")):
        client.force_login(user)
        assert client.get(PORTAL).status_code == 404
    client.logout()
    anonymous = client.get(PORTAL)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("web:login"))


def test_an_applicant_and_a_judge_land_on_their_page_after_login(client, scene, make_user):
    applicant = register(scene, 12).applicant.user
    response = client.post(
        reverse("web:login"), {"username": applicant.username, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == PORTAL
    html = response.content.decode()
    assert f'href="{PORTAL}"' in html and "我的报名" in html and "面试评分" not in html
    client.logout()
    judge = make_user("judge")
    response = client.post(
        reverse("web:login"), {"username": judge.username, "password": "pass-word-123"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("web:judging-panels")
    assert "面试评分" in response.content.decode()
    assert client.get(reverse("web:dashboard")).status_code == 302


def test_the_portal_has_a_fixed_number_of_queries(client, scene, tree, officer):
    first = register(scene, 13, uploads=(portal.Upload("a.pdf", PDF),))
    user = first.applicant.user
    client.force_login(user)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(PORTAL).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for n in range(3):
        other = open_campaign(tree, officer, title=f"公开选拔第{n}批干部", second=False)
        portal.applicant_register(
            campaign=other.campaign,
            data=_data(first),
            first_choice=other.posts[0],
            user=user,
            uploads=(portal.Upload("b.pdf", PDF),),
            source="192.0.2.99",
        )
    assert Application.objects.filter(applicant__user=user).count() == 4
    assert count() == small


def _data(application: Application) -> services.ApplicantData:
    """The applicant's stored facts, to register them again elsewhere."""
    a = application.applicant
    return services.ApplicantData(
        name=a.name,
        gender=a.gender,
        birth_date=a.birth_date,
        id_number=a.id_number,
        political_status=a.political_status,
        education=a.education,
        work_start_date=a.work_start_date,
        unit_name=a.unit_name,
        last_year_rating=a.last_year_rating,
        phone=a.phone,
    )
