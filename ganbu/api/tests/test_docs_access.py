"""The API docs and schema behind login in production (issue 11, item 9; ``GANBU_API_DOCS_LOGIN_REQUIRED``).

Production sets the switch (``config.settings.prod``; checked in ``ganbu/core/tests/test_deploy_settings``);
tests and development leave the docs open.
"""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from ganbu.accounts.services import api_token_create

pytestmark = pytest.mark.django_db


@override_settings(GANBU_API_DOCS_LOGIN_REQUIRED=True)
def test_anonymous_visitors_are_sent_to_login_or_refused():
    docs = Client().get("/api/v1/docs")
    assert docs.status_code == 302 and docs["Location"].startswith("/login/")
    schema = Client().get("/api/v1/openapi.json")
    assert schema.status_code == 401 and "登录" in schema.json()["detail"]
    bad_token = Client().get("/api/v1/openapi.json", headers={"Authorization": "Bearer gb_nonsense"})
    assert bad_token.status_code == 401


@override_settings(GANBU_API_DOCS_LOGIN_REQUIRED=True)
def test_a_logged_in_user_or_a_token_reads_them(officer):
    client = Client()
    client.force_login(officer)
    assert client.get("/api/v1/openapi.json").json()["info"]["title"]
    assert client.get("/api/v1/docs").status_code == 200
    _, key = api_token_create(actor=None, user=officer, name="文档")
    response = Client().get("/api/v1/openapi.json", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200


@override_settings(GANBU_API_DOCS_LOGIN_REQUIRED=False)
def test_open_where_the_setting_is_off():
    assert Client().get("/api/v1/openapi.json").status_code == 200
