"""Someone else's ID number on the public form: what the outsider, the real person and staff see.

The outsider's answer for a number already on record is the answer for a fresh one; the real
person applies and follows their application as usual; staff find both registrations in the
conflict list of the review page and settle it there (docs/decisions/0010-applicant-identity.md).
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from ganbu.accounts.choices import Role
from ganbu.campaigns.choices import ApplicationStatus
from ganbu.campaigns.models import Applicant, Application, IdentityStatus
from ganbu.campaigns.tests.scene import PASSWORD, born, facts, id_number, open_campaign
from ganbu.core.models import AuditEvent
from ganbu.registry.tests.factories import CadreFactory

pytestmark = pytest.mark.django_db

PORTAL = "/my/applications/"
AGE = 33


@pytest.fixture
def scene(tree, officer):
    return open_campaign(tree, officer)


@pytest.fixture
def own(make_user, tree):
    """林真名's self-service login; the registry holds his ID number (sequence 41)."""
    birth = born(AGE)
    cadre = CadreFactory(
        name="林真名", unit=tree.forestry, birth_date=birth, gender="M", id_number=id_number(birth, 41)
    )
    return make_user(Role.CADRE, cadre=cadre)


def _register(client, scene, *, seq: int, username: str, name: str, addr: str):
    """Post the public form with ID number ``seq`` of someone born like 林真名 (same birth date, gender)."""
    data = {
        "first_choice": str(scene.posts[0].pk),
        "second_choice": "",
        "username": username,
        "password": PASSWORD,
        "password_again": PASSWORD,
        "action": "register",
        **facts(seq, name=name, age=AGE),
    }
    return client.post(
        reverse("web:campaign-public-register", args=[scene.campaign.pk]), data, REMOTE_ADDR=addr
    )


def _normalised(html: str, *, application: Application, username: str) -> str:
    """The page without what differs by design between two registrants: ticket, login, ids, tokens, times."""
    html = html.replace(application.ticket, "TICKET").replace(username, "USERNAME")
    html = re.sub(r"[A-Za-z0-9]{64}", "TOKEN", html)  # the CSRF token, in the form and htmx's header
    html = re.sub(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}", "TIME", html)
    return re.sub(rf"(application-|result-|w|/){application.pk}(?=[\"_/-])", r"\1PK", html)


def test_the_answer_for_a_taken_id_number_is_the_answer_for_a_fresh_one(client, scene, own):
    # The cadre's ID number is on record (they applied), and someone types it on the public form.
    client.force_login(own)
    nominate = reverse("web:my-nomination", args=[scene.campaign.pk])
    assert client.post(nominate, {f"n{scene.campaign.pk}-first_choice": scene.posts[1].pk}).status_code == 302
    client.logout()

    taken = _register(client, scene, seq=41, username="outsider1", name="王某", addr="198.51.100.41")
    fresh = _register(client, scene, seq=42, username="outsider2", name="王某", addr="198.51.100.42")

    assert taken.status_code == fresh.status_code == 200
    assert [t.name for t in taken.templates] == [t.name for t in fresh.templates]
    a_taken = Application.objects.get(applicant__user__username="outsider1")
    a_fresh = Application.objects.get(applicant__user__username="outsider2")
    assert _normalised(taken.content.decode(), application=a_taken, username="outsider1") == _normalised(
        fresh.content.decode(), application=a_fresh, username="outsider2"
    )
    assert "已有报名记录" not in taken.content.decode()
    # Their own portals say the same too: awaiting the review, the identity to be checked there.
    pages = []
    for username, application in (("outsider1", a_taken), ("outsider2", a_fresh)):
        client.force_login(Applicant.objects.get(user__username=username).user)
        page = client.get(PORTAL).content.decode()
        assert "待资格审查时核验" in page
        pages.append(_normalised(page, application=application, username=username))
    assert pages[0] == pages[1]


def test_the_real_person_applies_and_their_portal_shows_their_application(client, scene, own):
    response = _register(client, scene, seq=41, username="outsider1", name="林真名", addr="198.51.100.41")
    assert response.status_code == 200

    client.force_login(own)
    assert "您还没有报名" in client.get(PORTAL).content.decode()
    nominate = reverse("web:my-nomination", args=[scene.campaign.pk])
    done = client.post(nominate, {f"n{scene.campaign.pk}-first_choice": scene.posts[1].pk})
    assert done.status_code == 302, done.content.decode()
    mine = Application.objects.get(applicant__cadre=own.cadre)
    page = client.get(PORTAL).content.decode()
    assert "您还没有报名" not in page and mine.ticket in page and f'id="application-{mine.pk}"' in page
    assert "以干部档案为准" in page
    theirs = Application.objects.get(applicant__user__username="outsider1")
    assert theirs.ticket not in page and f'id="application-{theirs.pk}"' not in page


def test_staff_see_the_conflict_on_the_review_page_and_settle_it(client, scene, own, officer):
    _register(client, scene, seq=41, username="outsider1", name="林真名", addr="198.51.100.41")
    client.force_login(own)
    client.post(
        reverse("web:my-nomination", args=[scene.campaign.pk]),
        {f"n{scene.campaign.pk}-first_choice": scene.posts[1].pk},
    )
    theirs = Application.objects.get(applicant__user__username="outsider1")
    mine = Application.objects.get(applicant__cadre=own.cadre)

    client.force_login(officer)
    review = reverse("web:campaign-review", args=[scene.campaign.pk])
    page = client.get(review).content.decode()
    box = page[page.index('id="identity-conflicts"') :]
    assert theirs.ticket in box and mine.ticket in box and "outsider1" in box and "干部档案" in box
    assert own.cadre.id_number in box  # the officer may read ID numbers; the box names the number

    url = reverse("web:campaign-identity-resolve", args=[scene.campaign.pk])
    empty = client.post(url, {"keep": mine.applicant_id, "basis": "", "reason": ""})
    assert empty.status_code == 400 and "请写明" in empty.content.decode()
    assert Application.objects.get(pk=theirs.pk).status == ApplicationStatus.SUBMITTED

    settled = client.post(
        url, {"keep": mine.applicant_id, "basis": "", "reason": "身份证号为在册干部本人所有。"}
    )
    assert settled.status_code == 302
    assert Application.objects.get(pk=theirs.pk).status == ApplicationStatus.REJECTED
    assert Applicant.objects.get(pk=theirs.applicant_id).identity == IdentityStatus.REJECTED
    assert Application.objects.get(pk=mine.pk).status == ApplicationStatus.SUBMITTED
    assert AuditEvent.objects.filter(event_type="campaign.identity_resolved").count() == 1
    assert 'id="identity-conflicts"' not in client.get(review).content.decode()
    # The outsider reads the decision on their own application, with the reason.
    client.force_login(theirs.applicant.user)
    page = client.get(PORTAL).content.decode()
    assert "身份证号为在册干部本人所有" in page and "未予认定" in page


def test_only_those_who_run_the_campaign_may_post_a_settlement(client, scene, make_user):
    url = reverse("web:campaign-identity-resolve", args=[scene.campaign.pk])
    for role in (Role.ORG_LEADER, Role.APPLICANT, Role.CADRE, Role.AUDITOR):
        client.force_login(make_user(role))
        assert client.post(url, {"keep": 1, "reason": "x"}).status_code == 404
