"""信访举报 pages: the public form and the one tracking page, and the staff desk (list, intake, handling)."""

from __future__ import annotations

import re

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from ganbu.petitions import services
from ganbu.petitions.choices import IntakeBody, PetitionStatus
from ganbu.petitions.models import Petition
from ganbu.registry.models import RewardSanction
from ganbu.selection.models import SubmissionThrottle
from ganbu.talks.models import Talk

pytestmark = pytest.mark.django_db

CODE = re.compile(r'<code id="tracking-code">([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})</code>')
PASSWORD = "pass-word-123"


def _form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "intake_body": IntakeBody.ORGANIZATION.value,
        "about": "县财政局 钱某 副局长",
        "content": "钱某在项目审批中多次收受购物卡，请组织核查。",
        "anonymous": "on",
    }
    data.update(overrides)
    return data


def _send(client, addr: str = "192.0.2.30", **overrides: object):
    return client.post(reverse("web:public-petition"), _form(**overrides), REMOTE_ADDR=addr)


def _code(response) -> str:
    match = CODE.search(response.content.decode())
    assert match, "no tracking code on the page"
    return match.group(1)


def test_public_form_shows_the_code_once_and_keeps_nothing_about_the_sender(client):
    assert client.get(reverse("web:public-petition")).status_code == 200
    response = _send(client, name="孙匿名", contact="13811112222")
    assert response.status_code == 200
    code = _code(response)
    petition = Petition.objects.get()
    assert petition.tracking_code == code and petition.name == "" and petition.contact == ""
    assert not Session.objects.exists() and "sessionid" not in response.cookies
    assert not SubmissionThrottle.objects.filter(key__contains="192.0.2").exists()
    assert code not in client.get(reverse("web:public-petition")).content.decode()


def test_public_bad_input_is_400_and_writes_nothing(client):
    short = _send(client, content="太短")
    assert short.status_code == 400 and "请具体写明反映的问题" in short.content.decode()
    named = _send(client, anonymous="")
    assert named.status_code == 400 and "请填写姓名" in named.content.decode()
    bad_body = _send(client, intake_body="police")
    assert bad_body.status_code == 400
    assert not Petition.objects.exists() and not SubmissionThrottle.objects.exists()


def test_public_throttle_answers_429_with_retry_after(client):
    for _ in range(services.THROTTLE_MAX):
        assert _send(client, addr="203.0.113.9").status_code == 200
    refused = _send(client, addr="203.0.113.9")
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"
    assert services.MSG_THROTTLED in refused.content.decode()
    assert Petition.objects.count() == services.THROTTLE_MAX


def test_the_one_tracking_page_finds_a_petition_and_shows_its_reply_not_its_content(
    client, submit, officer, cadre
):
    petition = submit()
    track = reverse("web:public-track")
    page = client.post(track, {"code": petition.tracking_code.lower()})
    assert page.status_code == 200 and "已受理" in page.content.decode()
    services.petition_assign(actor=officer, petition=petition, assignee=officer)
    services.petition_verify(actor=officer, petition=petition, notes="内部核查情况")
    services.petition_conclude(
        actor=officer, petition=petition, conclusion="unfounded", reply="经核查，反映问题不属实。"
    )
    body = client.post(track, {"code": petition.tracking_code}).content.decode()
    assert "已办结" in body and "经核查，反映问题不属实。" in body and "反映不实" in body
    assert "购物卡" not in body and "内部核查情况" not in body
    assert client.post(track, {"code": "ZZZZ-ZZZZ-ZZZZ"}).status_code == 404


def test_staff_pages_scope_and_404(client, submit, officer, supervisor, make_user):
    org = submit()
    dis = submit(intake_body=IntakeBody.DISCIPLINE)
    client.force_login(supervisor)
    listing = client.get(reverse("web:petition-list")).content.decode()
    assert f'data-petition="{dis.pk}"' in listing and f'data-petition="{org.pk}"' not in listing
    assert client.get(reverse("web:petition-detail", args=[org.pk])).status_code == 404
    assert client.get(reverse("web:petition-detail", args=[dis.pk])).status_code == 200
    client.force_login(make_user("org_leader"))
    assert client.get(reverse("web:petition-list")).status_code == 404
    assert client.get(reverse("web:petition-detail", args=[dis.pk])).status_code == 404


def test_list_pages_in_fixed_queries(client, submit, officer, django_assert_max_num_queries):
    for i in range(30):
        submit(source=f"198.51.100.{i}")
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        first = client.get(reverse("web:petition-list"))
    assert first.status_code == 200
    client.get(reverse("web:petition-list"), {"status": "received", "overdue": "on", "q": "财政"})
    assert client.get(reverse("web:petition-list"), {"status": "nonsense"}).status_code == 200


def test_intake_then_handle_to_admonishment(client, officer, cadre):
    client.force_login(officer)
    today = timezone.localdate()
    response = client.post(
        reverse("web:petition-intake"),
        {
            "channel": "visit",
            "received_on": today.isoformat(),
            "about": "县财政局 钱某",
            "content": "来访反映钱某违规收受购物卡问题。",
            "name": "王五",
            "contact": "本人来访",
        },
    )
    petition = Petition.objects.get()
    assert response.status_code == 302 and petition.intake_body == IntakeBody.ORGANIZATION
    url = reverse("web:petition-detail", args=[petition.pk])
    assert (
        client.post(reverse("web:petition-assign", args=[petition.pk]), {"assignee": officer.pk}).status_code
        == 302
    )
    assert (
        client.post(reverse("web:petition-cadres", args=[petition.pk]), {"cadre": cadre.pk}).status_code
        == 302
    )
    assert client.post(reverse("web:petition-verify", args=[petition.pk]), {"notes": ""}).status_code == 400
    assert (
        client.post(reverse("web:petition-verify", args=[petition.pk]), {"notes": "属实"}).status_code == 302
    )
    bad = client.post(
        reverse("web:petition-conclude", args=[petition.pk]), {"conclusion": "admonishment", "reply": "诫勉"}
    )
    assert bad.status_code == 400 and "谈话提醒或诫勉须" in bad.content.decode()
    assert not Talk.objects.exists()
    done = client.post(
        reverse("web:petition-conclude", args=[petition.pk]),
        {
            "conclusion": "admonishment",
            "reply": "反映问题部分属实，已对相关干部诫勉。",
            "cadre": cadre.pk,
            "held_on": today.isoformat(),
            "talkers": "李部长",
        },
    )
    assert done.status_code == 302
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.CONCLUDED and petition.talk is not None
    assert RewardSanction.objects.filter(cadre=cadre).exists()
    page = client.get(url).content.decode()
    assert "诫勉" in page and "影响期至" in page


def test_cadre_remove_and_out_of_scope_cadre(client, submit, make_user, tree, cadre):
    scoped = make_user("org_officer", scope_unit=tree.forestry)
    petition = submit()
    client.force_login(scoped)
    refused = client.post(reverse("web:petition-cadres", args=[petition.pk]), {"cadre": cadre.pk})
    assert refused.status_code == 400 and not petition.cadres.exists()
