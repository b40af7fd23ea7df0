"""Login, logout, the login requirement on every people page, and the django-axes lockout."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from ganbu.registry.tests.factories import CadreFactory

from .test_people_support import text_of

pytestmark = pytest.mark.django_db

PEOPLE_PAGES = [
    ("web:dashboard", ()),
    ("web:cadre-list", ()),
    ("web:cadre-create", ()),
    ("web:cadre-detail", ("pk",)),
    ("web:cadre-edit", ("pk",)),
    ("web:cadre-photo", ("pk",)),
    ("web:cadre-family-add", ("pk",)),
    ("web:cadre-family-edit", ("pk", 1)),
    ("web:cadre-family-delete", ("pk", 1)),
    ("web:cadre-resume-add", ("pk",)),
    ("web:cadre-resume-delete", ("pk", 1)),
    ("web:cadre-assessment-add", ("pk",)),
    ("web:cadre-reward-add", ("pk",)),
    ("web:cadre-reserve-add", ("pk",)),
    ("web:my-record", ()),
    ("web:picker-cadres", ()),
]


@pytest.mark.parametrize(("name", "args"), PEOPLE_PAGES)
def test_every_people_page_redirects_anonymous_users_to_login(client, tree, name, args):
    cadre = CadreFactory(unit=tree.finance)
    url = reverse(name, args=[cadre.pk if a == "pk" else a for a in args])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('web:login')}?next={url}"


def test_login_page_is_chinese_and_logs_in_to_the_dashboard(client, officer):
    page = client.get(reverse("web:login"))
    assert page.status_code == 200
    text = text_of(page)
    assert "干部工作管理系统" in text and "用户名" in text and "密码" in text and "登录" in text
    response = client.post(reverse("web:login"), {"username": officer.username, "password": "pass-word-123"})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:dashboard")
    assert client.get(reverse("web:dashboard")).status_code == 200


def test_login_follows_next_but_not_to_another_host(client, officer):
    url = reverse("web:login")
    ok = client.post(
        f"{url}?next=/cadres/",
        {"username": officer.username, "password": "pass-word-123", "next": "/cadres/"},
    )
    assert ok["Location"] == "/cadres/"
    client.logout()
    evil = client.post(
        url, {"username": officer.username, "password": "pass-word-123", "next": "https://evil.example/"}
    )
    assert evil["Location"] == reverse("web:dashboard")


def test_wrong_password_shows_a_chinese_error(client, officer):
    response = client.post(reverse("web:login"), {"username": officer.username, "password": "wrong-password"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in text_of(response)
    assert "_auth_user_id" not in client.session


def test_logout_is_post_only(client, officer):
    client.force_login(officer)
    assert client.get(reverse("web:logout")).status_code == 405
    assert client.get(reverse("web:dashboard")).status_code == 200
    response = client.post(reverse("web:logout"))
    assert response.status_code == 302 and response["Location"] == reverse("web:login")
    assert client.get(reverse("web:dashboard")).status_code == 302


@override_settings(AXES_ENABLED=True)
def test_five_wrong_passwords_lock_the_account(client, officer):
    url = reverse("web:login")
    for _ in range(5):
        client.post(url, {"username": officer.username, "password": "wrong-password"}, REMOTE_ADDR="10.0.0.9")
    # Even the right password is refused now, with the Chinese lockout page.
    response = client.post(
        url, {"username": officer.username, "password": "pass-word-123"}, REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 429
    assert "登录失败次数过多" in text_of(response)
    assert "_auth_user_id" not in client.session
