"""User management by the administrator (issue 10, item 15): role and scope changes, e-mail,
password resets, disabling, unlocking; each audited, each refusal writing nothing."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import override_settings

from ganbu.accounts import services
from ganbu.accounts.models import User
from ganbu.core.audit import audit_verify
from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent


@pytest.fixture
def admin(make_user):
    return make_user("admin", username="xtgly", display_name="系统管理员", is_staff=True)


def _update(user: User, **changes) -> dict:
    args = {
        "display_name": user.display_name,
        "role": user.role,
        "scope_unit_id": user.scope_unit_id,
        "scope_authorities": list(user.scope_authorities),
        "cadre_id": user.cadre_id,
        "email": user.email,
    }
    return {**args, **changes}


def test_user_update_changes_role_scope_and_email_in_one_audit_event(admin, make_user, tree) -> None:
    user = make_user("org_officer", username="zhangsan", display_name="张三")
    services.user_update(
        actor=admin,
        user=user,
        **_update(
            user,
            role="unit_officer",
            scope_unit_id=tree.forestry.pk,
            scope_authorities=["unit"],
            email="zhangsan@lyj.example",
        ),
    )
    user.refresh_from_db()
    assert (user.role, user.scope_unit, user.scope_authorities, user.email) == (
        "unit_officer",
        tree.forestry,
        ["unit"],
        "zhangsan@lyj.example",
    )
    event = AuditEvent.objects.get(event_type="user.updated")
    assert event.before["role"] == "org_officer" and event.after["scope_unit"] == tree.forestry.pk
    assert event.actor == admin
    assert audit_verify().ok


def test_the_staff_flag_follows_the_role(admin, make_user) -> None:
    user = make_user("auditor", username="shenji")
    services.user_update(actor=admin, user=user, **_update(user, role="admin"))
    user.refresh_from_db()
    assert user.is_staff is True
    services.user_update(actor=admin, user=user, **_update(user, role="auditor"))
    user.refresh_from_db()
    assert (user.is_staff, user.is_superuser) == (False, False)


def test_an_unchanged_form_writes_no_event(admin, make_user) -> None:
    user = make_user("auditor", username="shenji")
    services.user_update(actor=admin, user=user, **_update(user))
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"role": "unit_officer", "scope_unit_id": None}, "scope_unit"),
        ({"role": "cadre", "cadre_id": None}, "cadre"),
        ({"role": "nobody"}, "role"),
        ({"email": "not-an-address"}, "email"),
        ({"scope_authorities": ["everything"]}, "scope_authorities"),
        ({"display_name": "名" * 51}, "display_name"),
    ],
)
def test_user_update_refuses_bad_input_and_writes_nothing(admin, make_user, changes, field) -> None:
    user = make_user("org_officer", username="zhangsan", display_name="张三")
    with pytest.raises(ServiceError) as exc:
        services.user_update(actor=admin, user=user, **_update(user, **changes))
    assert field in exc.value.message_dict
    user.refresh_from_db()
    assert (user.role, user.email, user.display_name) == ("org_officer", "", "张三")
    assert not AuditEvent.objects.exists()


def test_one_cadre_record_has_one_self_service_account(admin, make_user, tree) -> None:
    from ganbu.registry.tests.factories import CadreFactory

    cadre = CadreFactory(unit=tree.finance)
    make_user("cadre", username="wangwu", cadre=cadre)
    other = make_user("org_officer", username="wangwu2")
    with pytest.raises(ServiceError, match="wangwu") as exc:
        services.user_update(actor=admin, user=other, **_update(other, role="cadre", cadre_id=cadre.pk))
    assert "cadre" in exc.value.message_dict
    assert not AuditEvent.objects.exists()


def test_an_administrator_cannot_disable_themselves(admin, make_user) -> None:
    make_user("admin", username="second")
    with pytest.raises(ServiceError, match="自己"):
        services.user_set_active(actor=admin, user=admin, active=False)
    admin.refresh_from_db()
    assert admin.is_active is True
    assert not AuditEvent.objects.exists()


def test_the_last_administrator_is_neither_disabled_nor_demoted(admin, make_user) -> None:
    disabled_admin = make_user("admin", username="old", is_active=False)
    with pytest.raises(ServiceError, match="最后一个"):
        services.user_set_active(actor=None, user=admin, active=False)
    with pytest.raises(ServiceError, match="自己的角色"):
        services.user_update(actor=admin, user=admin, **_update(admin, role="auditor"))
    with pytest.raises(ServiceError, match="最后一个"):
        services.user_update(actor=None, user=admin, **_update(admin, role="auditor"))
    admin.refresh_from_db()
    assert (admin.role, admin.is_active) == ("admin", True)
    assert not AuditEvent.objects.exists()
    # With a second active administrator, the first may go.
    services.user_set_active(actor=admin, user=disabled_admin, active=True)
    disabled_admin.refresh_from_db()
    services.user_set_active(actor=disabled_admin, user=admin, active=False, reason="调离")
    assert AuditEvent.objects.filter(event_type="user.disabled").count() == 1


def test_disabling_a_disabled_user_is_refused(admin, make_user) -> None:
    user = make_user("org_officer", is_active=False)
    with pytest.raises(ServiceError, match="已是停用"):
        services.user_set_active(actor=admin, user=user, active=False)
    assert not AuditEvent.objects.exists()


def test_a_reset_password_is_returned_once_passes_the_validators_and_is_audited(admin, make_user) -> None:
    from django.contrib.auth.password_validation import validate_password

    user = make_user("org_officer", username="zhangsan")
    user, password = services.user_reset_password(actor=admin, user=user)
    validate_password(password, user)
    assert user.check_password(password)
    event = AuditEvent.objects.get(event_type="user.password_reset")
    assert password not in str(event.before) + str(event.after) + event.reason


def test_only_the_administrator_resets_updates_and_unlocks(officer, make_user) -> None:
    user = make_user("auditor", username="shenji")
    for call in (
        lambda: services.user_reset_password(actor=officer, user=user),
        lambda: services.user_update(actor=officer, user=user, **_update(user, role="admin")),
        lambda: services.user_unlock(actor=officer, user=user),
        lambda: services.user_set_active(actor=officer, user=user, active=False),
    ):
        with pytest.raises(ServiceError, match="系统管理员"):
            call()
    user.refresh_from_db()
    assert (user.role, user.is_active) == ("auditor", True)
    assert not AuditEvent.objects.exists()


def _lock(username: str, failures: int = 5) -> None:
    AccessAttempt.objects.create(
        username=username,
        ip_address="10.0.0.8",
        user_agent="Mozilla/5.0",
        http_accept="*/*",
        path_info="/login/",
        get_data="",
        post_data="",
        failures_since_start=failures,
    )


@override_settings(AXES_FAILURE_LIMIT=5)
def test_unlocking_clears_the_failed_logins_with_an_audit_event(admin, make_user) -> None:
    from ganbu.accounts.selectors import locked_usernames

    user = make_user("org_officer", username="zhangsan")
    _lock("zhangsan")
    _lock("lisi", failures=2)
    assert locked_usernames(["zhangsan", "lisi"]) == {"zhangsan"}
    services.user_unlock(actor=admin, user=user, reason="本人电话确认")
    assert not AccessAttempt.objects.filter(username="zhangsan").exists()
    assert AuditEvent.objects.get(event_type="user.unlocked").reason == "本人电话确认"
    with pytest.raises(ServiceError, match="没有被锁定"):
        services.user_unlock(actor=admin, user=user)
    assert AuditEvent.objects.count() == 1


def test_user_create_takes_an_email_address(admin) -> None:
    user = services.user_create(
        actor=admin, username="zs", role="auditor", password="Strong@2026pass", email="zs@zzb.example"
    )
    assert user.email == "zs@zzb.example"
    with pytest.raises(ServiceError) as exc:
        services.user_create(
            actor=admin, username="zs2", role="auditor", password="Strong@2026pass", email="zs@"
        )
    assert "email" in exc.value.message_dict
    assert not User.objects.filter(username="zs2").exists()
