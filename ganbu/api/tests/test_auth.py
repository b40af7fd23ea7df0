"""Token and session authentication of the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.utils import timezone

from ganbu.accounts.models import ApiToken
from ganbu.accounts.services import api_token_create, api_token_mark_used, api_token_revoke
from ganbu.api.auth import MSG_NOT_AUTHENTICATED, MSG_TOKEN_INVALID
from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent

from .conftest import ApiClient

pytestmark = pytest.mark.django_db


def test_valid_token_authenticates_and_stamps_last_used(officer, people):
    token, key = api_token_create(actor=None, user=officer, name="人事系统对接")
    assert token.last_used_at is None
    response = ApiClient(key).get("/cadres")
    assert response.status_code == 200
    assert response.json()["count"] == 3
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_wrong_token_is_401_in_chinese(officer, people):
    api_token_create(actor=None, user=officer, name="对接")
    response = ApiClient("gb_not-a-real-key").get("/cadres")
    assert response.status_code == 401
    assert response.json() == {"detail": MSG_TOKEN_INVALID}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_is_401_like_an_unknown_one(officer, people):
    token, key = api_token_create(actor=None, user=officer, name="对接")
    client = ApiClient(key)
    assert client.get("/cadres").status_code == 200
    api_token_revoke(actor=None, token=token)
    response = client.get("/cadres")
    assert response.status_code == 401
    assert response.json()["detail"] == MSG_TOKEN_INVALID


def test_no_credentials_is_401(people):
    response = ApiClient(None).get("/cadres")
    assert response.status_code == 401
    assert response.json()["detail"] == MSG_NOT_AUTHENTICATED


def test_token_of_inactive_user_is_401(officer, token_for, people):
    key = token_for(officer)
    officer.is_active = False
    officer.save()
    response = ApiClient(key).get("/cadres")
    assert response.status_code == 401
    assert response.json()["detail"] == MSG_TOKEN_INVALID


def test_non_bearer_scheme_is_401(officer, token_for):
    key = token_for(officer)
    response = Client().get("/api/v1/cadres", headers={"Authorization": f"Token {key}"})
    assert response.status_code == 401


def test_last_used_is_written_at_most_once_a_minute(officer):
    token, _key = api_token_create(actor=None, user=officer, name="对接")
    now = timezone.now()
    assert api_token_mark_used(token=token, now=now) is True
    assert api_token_mark_used(token=token, now=now + dt.timedelta(seconds=59)) is False
    token.refresh_from_db()
    assert token.last_used_at == now
    assert api_token_mark_used(token=token, now=now + dt.timedelta(seconds=61)) is True
    token.refresh_from_db()
    assert token.last_used_at == now + dt.timedelta(seconds=61)


def test_second_request_within_a_minute_writes_nothing(officer, token_for, people, django_assert_num_queries):
    client = ApiClient(token_for(officer))
    client.get(f"/cadres/{people.lisi.pk}")  # first use writes the stamp
    stamp = ApiToken.objects.get(user=officer).last_used_at
    # token lookup + cadre = 2 queries: no UPDATE of last_used_at.
    with django_assert_num_queries(2):
        assert client.get(f"/cadres/{people.lisi.pk}").status_code == 200
    assert ApiToken.objects.get(user=officer).last_used_at == stamp


def test_only_the_hash_is_stored_and_the_audit_never_sees_the_key(officer):
    token, key = api_token_create(actor=None, user=officer, name="对接")
    assert key.startswith("gb_") and len(key) == 43
    assert token.key_hash == ApiToken.hash_key(key) != key
    assert token.prefix == key[:8]
    event = AuditEvent.objects.get(event_type="api_token.created")
    assert key not in str(event.after) and key[8:] not in str(event.after)
    assert event.after == {"user": officer.username, "name": "对接", "prefix": key[:8]}


def test_revoke_twice_is_refused_and_audited_once(officer):
    token, _key = api_token_create(actor=None, user=officer, name="对接")
    api_token_revoke(actor=None, token=token)
    with pytest.raises(ServiceError):
        api_token_revoke(actor=None, token=token)
    assert AuditEvent.objects.filter(event_type="api_token.revoked").count() == 1


def test_a_user_cannot_issue_tokens_for_someone_else(officer, make_user):
    other = make_user("org_officer")
    with pytest.raises(ServiceError):
        api_token_create(actor=officer, user=other, name="越权")
    assert not ApiToken.objects.filter(user=other).exists()
    _token, key = api_token_create(actor=officer, user=officer, name="本人")
    assert key


def test_session_allows_reads_and_csrf_protected_writes(officer, tree):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    assert client.get("/api/v1/units").status_code == 200
    body = {"unit_id": tree.finance.pk, "title": "局长", "kind": "head", "rank": "section"}
    refused = client.post("/api/v1/posts", body, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    accepted = client.post(
        "/api/v1/posts", body, content_type="application/json", headers={"X-CSRFToken": secret}
    )
    assert accepted.status_code == 201, accepted.content
    assert accepted.json()["title"] == "局长"


def test_token_clients_need_no_csrf_token(officer, token_for, tree):
    client = Client(enforce_csrf_checks=True)
    body = {"unit_id": tree.finance.pk, "title": "局长", "kind": "head", "rank": "section"}
    response = client.post(
        "/api/v1/posts",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token_for(officer)}"},
    )
    assert response.status_code == 201, response.content
