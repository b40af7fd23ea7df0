"""The API's own documentation tells a newcomer the command that makes a token."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_docs_name_the_ganbu_token_command(client, officer):
    client.force_login(officer)
    description = client.get("/api/v1/openapi.json").json()["info"]["description"]
    assert "ganbu token create --user 用户名 --name 用途" in description
    assert "manage.py" not in description
