"""「我的报名」 for a self-service cadre: what is open to them, applying from the record, following it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ganbu.accounts.choices import Role
from ganbu.campaigns.models import Application
from ganbu.campaigns.tests.scene import born, id_number, open_campaign, open_competition
from ganbu.registry.tests.factories import CadreFactory

pytestmark = pytest.mark.django_db

PORTAL = "/my/applications/"


@pytest.fixture
def own(make_user, tree):
    """A self-service login of a cadre of 县林业局."""
    birth = born(31)
    cadre = CadreFactory(name="林自荐", unit=tree.forestry, birth_date=birth, id_number=id_number(birth, 5))
    return make_user(Role.CADRE, cadre=cadre)


def test_the_cadre_sees_what_is_open_to_them_and_applies(client, tree, officer, own):
    scene = open_campaign(tree, officer)
    ours = open_competition(tree, officer, [tree.forestry], title="林业系统竞争上岗")
    theirs = open_competition(tree, officer, [tree.finance], title="财政系统竞争上岗")
    client.force_login(own)
    page = client.get(PORTAL).content.decode()
    assert "选拔报名" in page and "可以报名的选拔（个人自荐）" in page
    assert scene.campaign.title in page and ours.title in page and theirs.title not in page
    assert "报名其他选拔" not in page  # the public registration makes a separate login: not for them

    response = client.post(
        reverse("web:my-nomination", args=[scene.campaign.pk]),
        {f"n{scene.campaign.pk}-first_choice": scene.posts[1].pk, f"n{scene.campaign.pk}-second_choice": ""},
    )
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#application-{application.pk}")
    assert application.applicant.cadre_id == own.cadre_id and application.first_choice == scene.posts[1]
    page = client.get(PORTAL).content.decode()
    assert application.ticket in page and f"已报名「{scene.campaign.title}」" in page
    assert f'id="nomination-{scene.campaign.pk}"' not in page  # applied: no longer offered


def test_a_bad_choice_is_shown_on_the_form_and_nothing_is_written(client, tree, officer, own):
    scene = open_campaign(tree, officer)
    client.force_login(own)
    url = reverse("web:my-nomination", args=[scene.campaign.pk])
    prefix = f"n{scene.campaign.pk}"
    same = client.post(
        url, {f"{prefix}-first_choice": scene.posts[0].pk, f"{prefix}-second_choice": scene.posts[0].pk}
    )
    assert same.status_code == 400 and "第二志愿不能与第一志愿相同" in same.content.decode()
    missing = client.post(url, {f"{prefix}-first_choice": ""})
    assert missing.status_code == 400 and "什么也没有写入" in missing.content.decode()
    assert not Application.objects.exists()


def test_a_campaign_not_open_to_the_cadre_is_a_404(client, tree, officer, own):
    theirs = open_competition(tree, officer, [tree.finance], title="财政系统竞争上岗")
    client.force_login(own)
    response = client.post(reverse("web:my-nomination", args=[theirs.pk]), {f"n{theirs.pk}-first_choice": 1})
    assert response.status_code == 404 and not Application.objects.exists()


def test_the_page_costs_the_same_queries_for_one_open_campaign_and_three(client, tree, officer, own):
    client.force_login(own)
    open_campaign(tree, officer, title="公开选拔甲")
    client.get(PORTAL)
    with CaptureQueriesContext(connection) as one:
        assert client.get(PORTAL).status_code == 200
    open_campaign(tree, officer, title="公开选拔乙")
    open_competition(tree, officer, [tree.forestry], title="林业系统竞争上岗")
    with CaptureQueriesContext(connection) as three:
        page = client.get(PORTAL).content.decode()
    assert page.count('class="border rounded p-3 mb-3 nomination"') == 3
    assert len(three) == len(one)


def test_staff_and_judges_have_no_such_page(client, officer, make_user):
    for user in (officer, make_user(Role.JUDGE), make_user(Role.CADRE)):  # the last: no record linked
        client.force_login(user)
        assert client.get(PORTAL).status_code == 404
