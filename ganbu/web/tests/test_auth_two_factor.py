"""Two-step login with an authenticator app (TOTP) and recovery codes (issue 11, item 9).

Binding shows a QR code drawn on the page and the secret, and needs a current code; ten recovery
codes are shown once. After the password, a user with an authenticator reaches nothing before the
code; a recovery code works once; roles in ``GANBU_REQUIRE_2FA_ROLES`` must bind at first login;
the administrator resets a lost phone (audited); API tokens are unaffected.
"""

from __future__ import annotations

import re
import time
from binascii import unhexlify

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ganbu.accounts.services import api_token_create
from ganbu.core.models import AuditEvent
from ganbu.web.views.auth import PENDING_KEY

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"
CODES = re.compile(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>")


def code_for(key: str, steps_ahead: int = 0) -> str:
    """The authenticator's code for ``key``, ``steps_ahead`` periods of 30 s from now."""
    totp = TOTP(unhexlify(key), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def enrol(client, user) -> tuple[str, list[str]]:
    """Bind an authenticator through the page; the secret and the recovery codes shown."""
    client.force_login(user)
    page = client.get(reverse("web:otp-setup"))
    assert page.status_code == 200
    key = client.session[PENDING_KEY]
    response = client.post(reverse("web:otp-setup"), {"code": code_for(key)})
    assert response.status_code == 200, response.content.decode()[:500]
    return key, CODES.findall(response.content.decode())


def password_login(client, user):
    client.logout()
    return client.post(reverse("web:login"), {"username": user.username, "password": PASSWORD})


def test_binding_shows_an_inline_qr_code_and_the_secret_and_needs_a_current_code(client, officer):
    client.force_login(officer)
    page = client.get(reverse("web:otp-setup")).content.decode()
    assert "<svg" in page and "http" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert 'class="fs-5 otp-secret"' in page
    wrong = client.post(reverse("web:otp-setup"), {"code": "000000"})
    assert wrong.status_code == 400 and "验证码不正确" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=officer).exists()


def test_enrolment_shows_ten_recovery_codes_once_and_is_audited(client, officer):
    key, codes = enrol(client, officer)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert TOTPDevice.objects.get(user=officer).confirmed
    event = AuditEvent.objects.get(event_type="user.otp_enrolled")
    assert key not in str(event.after) and not any(c.replace("-", "") in str(event.after) for c in codes)
    page = client.get(reverse("web:otp-setup")).content.decode()
    assert "已启用" in page and not CODES.findall(page)  # never shown again


def test_after_the_password_nothing_is_reached_before_the_code(client, officer):
    key, _ = enrol(client, officer)
    response = password_login(client, officer)
    assert response.status_code == 302
    for url in ("/", "/cadres/", reverse("web:otp-setup"), "/admin/"):
        follow = client.get(url)
        assert follow.status_code == 302 and follow["Location"].startswith(reverse("web:otp-verify")), url
    api = client.get("/api/v1/todo")
    assert api.status_code == 401 and "两步验证" in api.json()["detail"]
    verify = client.post(reverse("web:otp-verify") + "?next=/cadres/", {"code": code_for(key, 1)})
    assert verify.status_code == 302 and verify["Location"] == "/cadres/"
    assert client.get("/cadres/").status_code == 200
    assert client.get("/api/v1/todo").status_code == 200


def test_a_wrong_code_makes_the_next_try_wait(client, officer):
    key, _ = enrol(client, officer)
    password_login(client, officer)
    assert client.post(reverse("web:otp-verify"), {"code": "000000"}).status_code == 400
    again = client.post(reverse("web:otp-verify"), {"code": code_for(key, 1)})
    assert again.status_code == 400 and "秒后再试" in again.content.decode()
    assert client.get("/").status_code == 302


def test_a_recovery_code_works_once(client, officer):
    _, codes = enrol(client, officer)
    password_login(client, officer)
    first = client.post(reverse("web:otp-verify"), {"code": codes[0].upper()})
    assert first.status_code == 302
    assert client.get("/").status_code == 200
    assert StaticToken.objects.filter(device__user=officer).count() == 9
    assert AuditEvent.objects.filter(event_type="user.otp_recovery_used").count() == 1
    password_login(client, officer)
    again = client.post(reverse("web:otp-verify"), {"code": codes[0]})
    assert again.status_code == 400
    assert client.get("/").status_code == 302


def test_new_recovery_codes_replace_the_old(client, officer):
    _, old = enrol(client, officer)
    response = client.post(reverse("web:otp-recovery-renew"))
    new = CODES.findall(response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert "no-store" in response["Cache-Control"]
    password_login(client, officer)
    assert client.post(reverse("web:otp-verify"), {"code": old[1]}).status_code == 400


@override_settings(GANBU_REQUIRE_2FA_ROLES=["org_officer", "admin"])
def test_a_required_role_must_bind_at_first_login(client, officer, make_user):
    assert password_login(client, officer).status_code == 302
    for url in ("/", "/cadres/", "/api/v1/todo"):
        response = client.get(url)
        if url.startswith("/api/"):
            assert response.status_code == 401
        else:
            assert response.status_code == 302 and response["Location"].startswith(reverse("web:otp-setup"))
    page = client.get(reverse("web:otp-setup")).content.decode()
    assert "您的角色登录时须使用两步验证" in page
    key = client.session[PENDING_KEY]
    assert client.post(reverse("web:otp-setup"), {"code": code_for(key)}).status_code == 200
    assert client.get("/cadres/").status_code == 200
    # A role not in the list logs in with the password alone.
    cadre_user = make_user("supervisor", username="jiwei2")
    password_login(client, cadre_user)
    assert client.get("/").status_code == 200


@override_settings(GANBU_REQUIRE_2FA_ROLES=["org_officer"])
def test_api_tokens_are_unaffected(client, officer):
    _, key = api_token_create(actor=None, user=officer, name="对接")
    response = client.get("/api/v1/todo", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200


def test_the_administrator_resets_a_lost_phone_with_a_reason(client, officer, make_user):
    enrol(client, officer)
    admin = make_user("admin", username="xtgly2", is_staff=True)
    client.force_login(admin)
    detail = client.get(reverse("web:user-detail", args=[officer.pk])).content.decode()
    assert "重置两步验证" in detail and "已启用" in detail
    response = client.post(
        reverse("web:user-otp-reset", args=[officer.pk]), {"otp-reason": "手机丢失，本人来电核实"}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert not StaticToken.objects.filter(device__user=officer).exists()
    event = AuditEvent.objects.get(event_type="user.otp_reset")
    assert event.reason == "手机丢失，本人来电核实" and event.actor_id == admin.pk
    # The user logs in with the password again and may bind a new phone.
    password_login(client, officer)
    assert client.get("/").status_code == 200


def test_only_the_administrator_resets(client, officer, make_user):
    enrol(client, officer)
    other = make_user("org_leader", username="ld")
    client.force_login(other)
    assert (
        client.post(reverse("web:user-otp-reset", args=[officer.pk]), {"otp-reason": "x"}).status_code == 404
    )
    assert TOTPDevice.objects.filter(user=officer).exists()
