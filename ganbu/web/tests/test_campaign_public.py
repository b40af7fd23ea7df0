"""Public campaign pages (no login): open campaigns, the announcement, registration, published results.

Registration with good input creates exactly one login, one applicant, one application and its
attachments in one transaction; with bad input it writes none of them. Attachments are recognised
by content. The registration POST is rate-limited per client address. The results show names and
posts only. Nothing refers to anything outside the intranet and no session is written.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ganbu.accounts.models import User
from ganbu.campaigns import portal, services
from ganbu.campaigns.choices import CampaignStatus
from ganbu.campaigns.models import Applicant, Application, Attachment
from ganbu.campaigns.tests.scene import (
    EXE,
    JPG,
    PASSWORD,
    PDF,
    PNG,
    applicant_data,
    facts,
    import_scores,
    open_campaign,
    register,
    to_scoring,
)
from ganbu.core.audit import audit_verify
from ganbu.core.models import AuditEvent
from ganbu.selection.models import SubmissionThrottle

pytestmark = pytest.mark.django_db

EXTERNAL = re.compile(r"""https?://|(?:src|href|action)\s*=\s*["']?\s*//""", re.I)
GONE = "该选拔不存在、不在报名期或尚未公布结果"


@pytest.fixture
def scene(tree, officer):
    return open_campaign(tree, officer)


def _url(scene) -> str:
    return reverse("web:campaign-public-register", args=[scene.campaign.pk])


def _form(scene, seq: int = 1, *, username: str = "", files=(), **overrides) -> dict[str, object]:
    """A valid registration form as the browser posts it."""
    data: dict[str, object] = {
        "first_choice": str(scene.posts[0].pk),
        "second_choice": str(scene.posts[1].pk),
        "username": username or f"zhang{seq}",
        "password": PASSWORD,
        "password_again": PASSWORD,
        "action": "register",
        **facts(seq),
    }
    if files:
        data["attachments"] = list(files)
    data.update(overrides)
    return data


def _post(client: Client, scene, addr: str = "192.0.2.50", **kw):
    return client.post(_url(scene), _form(scene, **kw), REMOTE_ADDR=addr)


def _nothing_written() -> None:
    assert not User.objects.filter(role="applicant").exists()
    assert not Applicant.objects.exists() and not Application.objects.exists()
    assert not Attachment.objects.exists()
    assert not AuditEvent.objects.filter(
        event_type__in=["user.created", "campaign.application_submitted"]
    ).exists()


def test_list_and_announcement_show_open_campaigns_with_posts_and_conditions_in_words(
    client, scene, tree, officer
):
    draft = services.campaign_create(
        actor=officer,
        kind="open_selection",
        title="尚未发布的选拔",
        unit=tree.root,
        announcement="草稿",
        registration_start=scene.campaign.registration_start,
        registration_end=scene.campaign.registration_end,
        cutoff=scene.campaign.cutoff,
        eligibility={},
    )
    html = client.get(reverse("web:campaign-public-list")).content.decode()
    assert scene.campaign.title in html and "尚未发布的选拔" not in html
    detail = client.get(reverse("web:campaign-public-detail", args=[scene.campaign.pk]))
    text = detail.content.decode()
    assert detail.status_code == 200
    assert "面向全县公开选拔副科级领导干部2名" in text
    assert str(scene.posts[0].post) in text and str(scene.posts[1].post) in text
    assert "不超过 40 周岁" in text and "具有大学专科及以上学历" in text and "参加工作满 2 年" in text
    assert "笔试，成绩占总成绩的 50%" in text and "可填报第一、第二两个志愿" in text
    for pk in (draft.pk, 999999):
        for name in ("web:campaign-public-detail", "web:campaign-public-register"):
            gone = client.get(reverse(name, args=[pk]))
            assert gone.status_code == 404 and GONE in gone.content.decode()


def test_registration_creates_login_applicant_application_and_attachments_and_shows_findings(client, scene):
    form_page = client.get(_url(scene))
    assert form_page.status_code == 200 and "我们保存哪些信息" in form_page.content.decode()
    files = [
        SimpleUploadedFile("学历证书.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("照片.JPG", JPG, content_type="image/jpeg"),
        SimpleUploadedFile("任职文件.png", PNG, content_type="application/octet-stream"),
    ]
    response = _post(client, scene, seq=1, files=files, name="张报名")
    html = response.content.decode()
    assert response.status_code == 200, html
    application = Application.objects.get()
    assert "已收到您报名" in html and application.ticket in html and "zhang1" in html
    assert "未发现不符合报名条件的情况" in html
    user = User.objects.get(username="zhang1")
    assert user.role == "applicant" and user.display_name == "张报名" and user.check_password(PASSWORD)
    assert application.applicant.user == user and application.applicant.name == "张报名"
    assert application.first_choice == scene.posts[0] and application.second_choice == scene.posts[1]
    stored = {a.name: (a.content_type, bytes(a.data), a.size) for a in application.attachments.all()}
    assert stored == {
        "学历证书.pdf": ("application/pdf", PDF, len(PDF)),
        "照片.JPG": ("image/jpeg", JPG, len(JPG)),
        "任职文件.png": ("image/png", PNG, len(PNG)),
    }
    event = AuditEvent.objects.get(event_type="campaign.attachments_added")
    assert event.after == {
        "application_id": application.pk,
        "count": 3,
        "bytes": len(PDF) + len(JPG) + len(PNG),
    }
    assert audit_verify().ok
    # no session, no login: the public pages stay sessionless
    assert not Session.objects.exists() and "sessionid" not in client.cookies


def test_an_ineligible_applicant_sees_the_findings_and_may_still_register(client, scene):
    response = _post(client, scene, seq=2, **facts(2, age=45, education="technical"))
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "以下报名条件可能不符" in html
        and "超过本次选拔规定的40周岁" in html
        and "以组织部门的资格审查为准" in html
    )
    application = Application.objects.get()
    assert {f["rule"] for f in application.findings} == {"CAMPAIGN-AGE-MAX", "CAMPAIGN-EDUCATION"}


def test_check_button_shows_the_findings_and_writes_nothing(client, scene):
    data = _form(scene, seq=3, action="check", **facts(3, age=45))
    fragment = client.post(_url(scene), data, HTTP_HX_REQUEST="true", REMOTE_ADDR="192.0.2.3")
    html = fragment.content.decode()
    assert fragment.status_code == 200 and "<form" not in html and 'data-rule="CAMPAIGN-AGE-MAX"' in html
    page = client.post(_url(scene), data, REMOTE_ADDR="192.0.2.3")
    assert page.status_code == 200 and "CAMPAIGN-AGE-MAX" in page.content.decode()
    assert "请重新选择附件" in page.content.decode()
    missing = client.post(_url(scene), {"action": "check", "name": "张三"}, HTTP_HX_REQUEST="true")
    assert "请先填写或改正" in missing.content.decode() and "出生日期" in missing.content.decode()
    _nothing_written()
    assert not SubmissionThrottle.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"password_again": "Other-pass-2024"}, "两次输入的密码不一致"),
        ({"password": "12345678", "password_again": "12345678"}, "密码只包含数字"),
        ({"id_number": "530102199001011234"}, "身份证号校验码错误"),
        ({"gender": "F"}, "身份证号中的出生日期或性别与所填不符"),
        ({"name": ""}, "这个字段是必填项"),
        ({"first_choice": "999999"}, "选择一个有效的选项"),
        ({"phone": "abc"}, "请填写有效的电话号码"),
        ({"rank_since": "2020-01-01"}, "请同时选择现职级"),
    ],
)
def test_bad_input_rerenders_with_the_message_and_writes_nothing(client, scene, overrides, field_message):
    response = _post(client, scene, seq=4, **overrides)
    assert response.status_code == 400
    assert field_message in response.content.decode()
    _nothing_written()


def test_a_refusal_of_the_service_writes_nothing_either(client, scene):
    # The username taken, a weak password, an ID number used as username: the service refuses after
    # the form accepted; no login, applicant or application remains.
    User.objects.create_user(username="taken", password="x")
    for overrides, message in [
        ({"username": "taken"}, "已存在"),
        ({"password": "password", "password_again": "password"}, "这个密码太常见了"),
        ({"username": facts(5)["id_number"]}, "请不要用身份证号作用户名"),
    ]:
        response = _post(client, scene, seq=5, **overrides)
        assert response.status_code == 400 and message in response.content.decode()
    _nothing_written()
    # An attachment refused after everything else was fine: still nothing written.
    refused = _post(client, scene, seq=5, files=[SimpleUploadedFile("证书.pdf", EXE)])
    assert refused.status_code == 400
    _nothing_written()


def test_attachments_are_checked_by_content_name_count_and_size(client, scene):
    cases = [
        ([SimpleUploadedFile("证书.pdf", EXE, content_type="application/pdf")], "内容不是 PDF 文件"),
        ([SimpleUploadedFile("setup.exe", EXE)], "只接受 PDF、JPG、PNG"),
        ([SimpleUploadedFile("照片.png", JPG)], "内容不是 PNG 文件"),
        ([SimpleUploadedFile("说明.txt", b"hello")], "只接受 PDF、JPG、PNG"),
        ([SimpleUploadedFile(f"f{n}.pdf", PDF) for n in range(6)], "最多上传 5 个附件"),
        ([SimpleUploadedFile("大.pdf", PDF + b"0" * portal.MAX_ATTACHMENT_BYTES)], "超过 5 MB"),
    ]
    for files, message in cases:
        response = _post(client, scene, seq=6, files=files)
        assert response.status_code == 400, message
        assert message in response.content.decode()
    _nothing_written()
    # five files of exactly the limit are fine
    ok = [
        SimpleUploadedFile(f"f{n}.pdf", PDF + b"0" * (portal.MAX_ATTACHMENT_BYTES - len(PDF)))
        for n in range(5)
    ]
    assert _post(client, scene, seq=6, files=ok).status_code == 200
    assert Attachment.objects.count() == 5


def test_a_body_larger_than_any_valid_form_is_refused_before_it_is_read(client, scene):
    from ganbu.web.views.campaign_public import MAX_BODY_BYTES

    response = client.post(_url(scene), _form(scene, seq=7), CONTENT_LENGTH=str(MAX_BODY_BYTES + 1))
    assert response.status_code == 413 and "上传的文件总大小超过限制" in response.content.decode()
    _nothing_written()


def test_the_eleventh_attempt_in_an_hour_from_one_address_is_refused_another_address_is_not(client, scene):
    # Refused attempts count too (a weak password here): ID numbers cannot be probed without limit.
    for _ in range(portal.THROTTLE_MAX):
        weak = _post(
            client, scene, addr="198.51.100.7", seq=8, password="password", password_again="password"
        )
        assert weak.status_code == 400
    refused = _post(client, scene, addr="198.51.100.7", seq=8)
    assert refused.status_code == 429 and portal.MSG_THROTTLED in refused.content.decode()
    assert refused["Retry-After"] == "3600"
    assert "报名人08" in refused.content.decode()  # what was typed stays on the page
    spoofed = client.post(
        _url(scene), _form(scene, seq=8), REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    assert spoofed.status_code == 429
    _nothing_written()
    assert (
        _post(client, scene, addr="198.51.100.8", seq=8, password_again="Another-pass-1").status_code == 400
    )
    assert _post(client, scene, addr="198.51.100.8", seq=8).status_code == 200
    # Form errors caught before the service (the passwords that differ) do not count.
    assert SubmissionThrottle.objects.count() == portal.THROTTLE_MAX + 1
    keys = set(SubmissionThrottle.objects.values_list("key", flat=True))
    assert all("198.51.100" not in k for k in keys) and len(keys) == 2


def test_registration_and_objection_limits_are_counted_apart(scene):
    from ganbu.selection.services import throttle_key

    portal.registration_throttle(source="198.51.100.9")
    row = SubmissionThrottle.objects.get()
    assert row.key != throttle_key("198.51.100.9", row.at)
    assert row.key == throttle_key(f"{portal.THROTTLE_SCOPE}|198.51.100.9", row.at)


def test_an_id_number_already_on_record_is_not_taken_over_and_the_answer_does_not_tell(
    client, scene, officer
):
    # Someone entered by staff is not linked to whoever types their ID number, and the answer is
    # the usual confirmation: whether a number has applied is nobody's business on this page.
    services.application_enter(
        actor=officer,
        campaign=scene.campaign,
        first_choice=scene.posts[0],
        data=applicant_data(9, name="李在册"),
    )
    response = _post(client, scene, seq=9, name="冒名者")
    assert response.status_code == 200 and 'id="registered"' in response.content.decode()
    assert "已有报名记录" not in response.content.decode()
    entered = Applicant.objects.get(user=None)
    assert entered.name == "李在册" and entered.applications.count() == 1
    typed = Applicant.objects.get(user__username="zhang9")
    assert typed.name == "冒名者" and typed.pk != entered.pk and typed.id_number == entered.id_number


def test_a_signed_in_applicant_registers_for_another_campaign_without_a_new_account(
    client, scene, tree, officer
):
    first = register(scene, 10)
    other = open_campaign(tree, officer, title="公开选拔乡镇副职领导干部", second=False)
    user = first.applicant.user
    client.force_login(user)
    page = client.get(_url(other))
    html = page.content.decode()
    assert 'id="signed-in"' in html and 'name="password"' not in html and 'name="second_choice"' not in html
    assert facts(10)["id_number"] in html  # prefilled from the last registration
    data = {
        k: v for k, v in _form(other, seq=10).items() if k not in ("username", "password", "password_again")
    }
    data.pop("second_choice")
    response = client.post(_url(other), data, REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 200, response.content.decode()
    assert Application.objects.filter(applicant__user=user).count() == 2
    assert User.objects.filter(role="applicant").count() == 1
    # Someone else's ID number is refused on this login.
    third = open_campaign(tree, officer, title="公开选拔县直机关副职", second=False)
    wrong = {**data, "first_choice": str(third.posts[0].pk), **facts(11)}
    refused = client.post(_url(third), wrong, REMOTE_ADDR="192.0.2.10")
    assert refused.status_code == 400 and "与本账号登记的身份证号不一致" in refused.content.decode()


def test_published_results_list_names_and_posts_only(client, scene):
    a = register(scene, 12, name="王入选", post=0)
    b = register(scene, 13, name="赵落选", post=0)
    to_scoring(scene)
    import_scores(scene, "written", {a: "90", b: "70"})
    services.stage_advance(actor=scene.officer, campaign=scene.campaign, stage="written")
    import_scores(scene, "interview", {a: "88", b: "60"})
    assert client.get(reverse("web:campaign-public-result", args=[scene.campaign.pk])).status_code == 404
    services.campaign_rank(actor=scene.officer, campaign=scene.campaign)
    a.refresh_from_db()
    services.campaign_decide(actor=scene.officer, campaign=scene.campaign, appointed=[a])
    services.campaign_publish(actor=scene.officer, campaign=scene.campaign)
    scene.campaign.refresh_from_db()
    assert scene.campaign.status == CampaignStatus.PUBLISHED

    listing = client.get(reverse("web:campaign-public-results")).content.decode()
    assert scene.campaign.title in listing and "王入选" not in listing
    page = client.get(reverse("web:campaign-public-result", args=[scene.campaign.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "王入选" in html and str(scene.posts[0].post) in html
    main = html[html.index("<main") : html.index("</main>")]
    for private in ("赵落选", a.ticket, a.applicant.id_number, "89", "88", "90", "0871-1234567", "外县某局"):
        assert private not in main, private
    # the campaign is no longer open: its registration page is gone
    assert client.get(_url(scene)).status_code == 404


def test_no_page_refers_outside_the_intranet_and_the_links_are_in_place(client, scene):
    done = _post(client, scene, seq=14, files=[SimpleUploadedFile("a.pdf", PDF)])
    pages = [
        client.get(reverse("web:campaign-public-list")),
        client.get(reverse("web:campaign-public-detail", args=[scene.campaign.pk])),
        client.get(_url(scene)),
        done,
        _post(client, scene, seq=15, name=""),
        client.get(reverse("web:campaign-public-results")),
        client.get(reverse("web:campaign-public-detail", args=[999999])),
    ]
    for response in pages:
        html = response.content.decode()
        assert not EXTERNAL.search(html), EXTERNAL.search(html)
        assert '<meta name="viewport"' in html
    link = f'href="{reverse("web:campaign-public-list")}"'
    assert link in client.get(reverse("web:login")).content.decode()
    assert link in client.get(reverse("web:public-notice-list")).content.decode()
    assert "no-store" in done["Cache-Control"]
    assert not Session.objects.exists()


def test_the_form_is_protected_against_cross_site_posts(scene):
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(_url(scene), _form(scene, seq=16)).status_code == 403
    browser.get(_url(scene))
    token = browser.cookies["csrftoken"].value
    assert (
        browser.post(_url(scene), {**_form(scene, seq=16), "csrfmiddlewaretoken": token}).status_code == 200
    )
    assert Application.objects.count() == 1
