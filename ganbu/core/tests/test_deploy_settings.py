"""Production settings (issue 11, item 9): `check --deploy` clean under the documented HTTPS settings,
weak or public secret keys refused, API docs and two-step login switched on.

Each check runs ``manage.py`` in a subprocess with ``DJANGO_SETTINGS_MODULE=config.settings.prod``
and the environment docs/deploy.md gives, as an operator would.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from config.settings.keycheck import DEV_SECRET_KEY, require_strong_secret_key, weak_secret_key_reason

ROOT = Path(__file__).resolve().parents[3]
STRONG_KEY = "x7Qm2pLz9Vb4Nc8Rt1Yw6Ks3Hd5Jf0Gu_-aEiOoUyTrEwQpAsDfGhJkLzXcVbNm"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GANBU_", "DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        GANBU_DATA_DIR=str(tmp_path),
        GANBU_ALLOWED_HOSTS="ganbu.zzb.example",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    env.update(extra)
    return env


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def _documented_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """docs/deploy.md's production environment: a generated key, HTTPS behind nginx, the audit key file."""
    key_file = tmp_path / "audit.key"
    env = _env(
        tmp_path,
        GANBU_SECRET_KEY=STRONG_KEY,
        GANBU_HTTPS="1",
        GANBU_BEHIND_PROXY="1",
        GANBU_AUDIT_KEY_FILE=str(key_file),
        **extra,
    )
    if not key_file.exists():
        _manage(env, "audit", "key", "--create", str(key_file))
    return env


def test_check_deploy_has_no_warnings_under_the_documented_https_settings(tmp_path):
    env = _documented_env(tmp_path)
    result = _manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_without_https_check_deploy_names_the_four_missing_settings(tmp_path):
    """What the probe saw: HSTS, the HTTPS redirect and the two cookies (the switch is GANBU_HTTPS=1)."""
    env = _documented_env(tmp_path)
    del env["GANBU_HTTPS"]
    result = _manage(env, "check", "--deploy")
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr + result.stdout, check


@pytest.mark.parametrize(
    "key",
    [
        "",
        DEV_SECRET_KEY,
        "django-insecure-" + "k" * 60,
        "short-but-random-Zx81",
        "a" * 60,
        "abcdefghij" * 6,  # ten different characters, repeated
        "Ganbu2024!" * 6,
    ],
)
def test_weak_or_public_secret_keys_are_refused(key):
    with pytest.raises(Exception) as caught:
        require_strong_secret_key(key)
    assert caught.type.__name__ == "ImproperlyConfigured"
    assert "GANBU_SECRET_KEY" in str(caught.value) and any(
        "\u4e00" <= c <= "\u9fff" for c in str(caught.value)
    )


def test_generated_keys_are_accepted():
    for _ in range(50):
        assert weak_secret_key_reason(secrets.token_urlsafe(50)) is None
        assert weak_secret_key_reason(secrets.token_hex(32)) is None
    assert weak_secret_key_reason(STRONG_KEY) is None


def test_production_refuses_to_start_with_the_development_key(tmp_path):
    result = _manage(_env(tmp_path, GANBU_SECRET_KEY=DEV_SECRET_KEY), "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "公开的开发密钥" in result.stderr


def test_production_switches_on_docs_login_and_two_step_login_for_staff(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print(s.GANBU_API_DOCS_LOGIN_REQUIRED, sorted(s.GANBU_REQUIRE_2FA_ROLES), s.SECURE_PROXY_SSL_HEADER)"
    )
    result = _manage(_documented_env(tmp_path), "shell", "-v", "0", "-c", code)
    assert result.stdout.strip() == (
        "True ['admin', 'auditor', 'org_leader', 'org_officer', 'supervisor', 'unit_officer'] "
        "('HTTP_X_FORWARDED_PROTO', 'https')"
    ), result.stderr
    none = _manage(_documented_env(tmp_path, GANBU_REQUIRE_2FA_ROLES="none"), "shell", "-v", "0", "-c", code)
    assert none.stdout.startswith("True [] "), none.stderr
