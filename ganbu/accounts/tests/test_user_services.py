"""User services and the ``ganbu user`` command."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ganbu.accounts import services
from ganbu.accounts.models import User
from ganbu.core.audit import audit_verify
from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent


def test_user_create_sets_role_scope_and_an_audit_event(tree) -> None:
    user = services.user_create(
        actor=None,
        username="linye",
        role="unit_officer",
        password="Forest@2026x",
        scope_unit_id=tree.forestry.pk,
    )
    assert (user.role, user.scope_unit, user.check_password("Forest@2026x")) == (
        "unit_officer",
        tree.forestry,
        True,
    )
    event = AuditEvent.objects.get(event_type="user.created")
    assert event.after["scope_unit"] == tree.forestry.pk
    assert "Forest" not in str(event.after)
    assert audit_verify().ok


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"role": "unit_officer"}, "scope_unit"),
        ({"role": "cadre"}, "cadre"),
        ({"role": "nobody"}, "role"),
        ({"role": "org_officer", "password": "123"}, "password"),
    ],
)
def test_user_create_refuses_incomplete_accounts_and_writes_nothing(db, kwargs, field) -> None:
    args = {"actor": None, "username": "x1", "password": "Strong@2026pass", **kwargs}
    with pytest.raises(ServiceError) as exc:
        services.user_create(**args)
    assert field in exc.value.message_dict
    assert not User.objects.filter(username="x1").exists()
    assert not AuditEvent.objects.exists()


def test_only_admins_manage_users(officer, make_user) -> None:
    with pytest.raises(ServiceError, match="系统管理员"):
        services.user_create(actor=officer, username="y", role="auditor", password="Strong@2026pass")
    admin = make_user("admin")
    created = services.user_create(actor=admin, username="y", role="auditor", password="Strong@2026pass")
    services.user_set_active(actor=admin, user=created, active=False, reason="调离")
    created.refresh_from_db()
    assert created.is_active is False


def test_user_command_creates_lists_sets_password_and_disables(tree, capsys) -> None:
    call_command(
        "user",
        "create",
        "--username",
        "ly",
        "--role",
        "unit_officer",
        "--scope-unit",
        "县林业局",
        "--password",
        "Forest@2026x",
    )
    call_command("user", "passwd", "ly", "--password", "Another@2027y")
    assert User.objects.get(username="ly").check_password("Another@2027y")
    call_command("user", "disable", "ly")
    call_command("user", "list")
    out = capsys.readouterr().out
    assert "ly" in out and "县林业局" in out and "已停用" in out
    with pytest.raises(CommandError, match="不存在"):
        call_command("user", "passwd", "ghost", "--password", "Another@2027y")
    with pytest.raises(CommandError, match="单位人事干部必须指定"):
        call_command(
            "user", "create", "--username", "z", "--role", "unit_officer", "--password", "Forest@2026x"
        )


def test_email_address_for_reminders_is_validated_audited_and_set_from_the_command(make_user):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from ganbu.core.models import AuditEvent

    user = make_user("org_officer", username="zhangsan")
    with pytest.raises(CommandError, match="格式不正确"):
        call_command("user", "email", "zhangsan", "not-an-address")
    call_command("user", "email", "zhangsan", "zhangsan@zzb.example")
    user.refresh_from_db()
    assert user.email == "zhangsan@zzb.example"
    event = AuditEvent.objects.get(event_type="user.email_set")
    assert event.before == {"email": ""} and event.after == {"email": "zhangsan@zzb.example"}
    other = make_user("org_officer")
    with pytest.raises(ServiceError):
        services.user_set_email(actor=other, user=user, email="x@zzb.example")
