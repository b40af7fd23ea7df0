"""The ``token`` management command."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ganbu.accounts.models import ApiToken
from ganbu.core.models import AuditEvent

from .conftest import ApiClient

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    """Run ``manage.py token …`` and return what it printed."""
    out = StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue()


def test_create_prints_the_key_once_and_it_works(officer, tree):
    output = run("create", "--user", officer.username, "--name", "人事系统对接")
    keys = [line for line in output.splitlines() if line.startswith("gb_")]
    assert len(keys) == 1
    key = keys[0]
    token = ApiToken.objects.get(user=officer)
    assert token.name == "人事系统对接"
    assert token.key_hash == ApiToken.hash_key(key)
    assert ApiClient(key).get("/units").status_code == 200
    listing = run("list", "--user", officer.username)
    assert token.prefix in listing and "人事系统对接" in listing
    assert key not in listing


def test_revoke_by_prefix_stops_the_key(officer, tree):
    key = next(
        line
        for line in run("create", "--user", officer.username, "--name", "对接").splitlines()
        if line.startswith("gb_")
    )
    output = run("revoke", "--prefix", key[:8], "--reason", "对接停用")
    assert "已吊销" in output
    assert ApiToken.objects.get(user=officer).revoked_at is not None
    assert ApiClient(key).get("/units").status_code == 401
    assert AuditEvent.objects.get(event_type="api_token.revoked").reason == "对接停用"
    assert "没有令牌" in run("list", "--user", officer.username)
    assert "已吊销" in run("list", "--user", officer.username, "--all")


def test_errors_are_command_errors(officer):
    with pytest.raises(CommandError, match="不存在"):
        run("create", "--user", "nobody", "--name", "对接")
    with pytest.raises(CommandError, match="用途"):
        run("create", "--user", officer.username, "--name", "   ")
    with pytest.raises(CommandError, match="没有前缀"):
        run("revoke", "--prefix", "gb_zzzzz")
    assert not ApiToken.objects.exists()


def test_ambiguous_prefix_is_refused(officer, make_user):
    other = make_user("org_officer")
    for user in (officer, other):
        run("create", "--user", user.username, "--name", "对接")
    # Force a shared prefix, which random keys make rare but possible.
    ApiToken.objects.update(prefix="gb_same0")
    with pytest.raises(CommandError, match="多个令牌"):
        run("revoke", "--prefix", "gb_same0")
    run("revoke", "--prefix", "gb_same0", "--user", other.username)
    assert ApiToken.objects.get(user=other).revoked_at is not None
    assert ApiToken.objects.get(user=officer).revoked_at is None
