"""Login lockout keyed by account and by address (issue 11, item 9; ``ganbu.accounts.lockout``).

Before: axes counted failures per username *and* address together, so guessing one account from
many machines was never stopped. Now three counts apply (5 per username and address, 20 per
username, 30 per address), so distributed guessing stops at 20 and one machine cannot lock anyone
else out.
"""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from ganbu.accounts.lockout import client_ip
from ganbu.accounts.selectors import locked_usernames

pytestmark = pytest.mark.django_db

RIGHT = "pass-word-123"


def _login(client, username: str, password: str, ip: str, **extra):
    return client.post(
        reverse("web:login"), {"username": username, "password": password}, REMOTE_ADDR=ip, **extra
    )


@override_settings(AXES_ENABLED=True)
def test_guessing_one_account_from_many_addresses_locks_it(client, officer):
    # 20 wrong passwords from 10 machines, 2 each: no single address reaches its limit of 5.
    for i in range(20):
        _login(client, officer.username, "wrong-password", f"10.1.0.{i // 2}")
    response = _login(client, officer.username, RIGHT, "10.9.9.9")  # a fresh address, the right password
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert locked_usernames([officer.username]) == {officer.username}


@override_settings(AXES_ENABLED=True)
def test_one_address_trying_many_accounts_is_locked(client, make_user):
    users = [make_user("org_officer", username=f"u{i}") for i in range(8)]
    for i in range(30):  # 30 failures spread over 8 accounts: under 5 per account
        _login(client, users[i % 8].username, "wrong-password", "10.2.0.1")
    # Another account, right password, same address: the address is locked.
    assert _login(client, users[0].username, RIGHT, "10.2.0.1").status_code == 429
    # The accounts themselves are not locked: from another address they log in.
    assert _login(client, users[0].username, RIGHT, "10.2.0.2").status_code == 302


@override_settings(AXES_ENABLED=True)
def test_one_machine_cannot_lock_a_colleague_out(client, officer):
    for _ in range(10):
        _login(client, officer.username, "wrong-password", "10.3.0.1")
    assert _login(client, officer.username, RIGHT, "10.3.0.1").status_code == 429
    # The real user at their own desk still logs in.
    assert _login(client, officer.username, RIGHT, "10.3.0.77").status_code == 302
    assert locked_usernames([officer.username]) == {officer.username}  # shown: locked from one address


@override_settings(AXES_ENABLED=True)
def test_the_right_password_before_the_limit_still_logs_in(client, officer):
    for i in range(4):
        _login(client, officer.username, "wrong-password", f"10.4.0.{i}")
    assert _login(client, officer.username, RIGHT, "10.4.0.1").status_code == 302


@override_settings(GANBU_BEHIND_PROXY=True)
def test_behind_the_proxy_the_address_it_appended_counts(rf):
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.5.0.8")
    assert client_ip(request) == "10.5.0.8"  # the browser's own claim (1.2.3.4) is ignored
    assert client_ip(rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="junk")) == "127.0.0.1"


@override_settings(GANBU_BEHIND_PROXY=False)
def test_without_a_proxy_forwarded_headers_are_ignored(rf):
    assert client_ip(rf.get("/", REMOTE_ADDR="10.6.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")) == "10.6.0.1"
