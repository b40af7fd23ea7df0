"""「用户管理」: the administrator manages logins in the web UI (issue 10, item 15)."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ganbu.accounts.choices import Role
from ganbu.accounts.models import User
from ganbu.core.models import AuditEvent
from ganbu.rules.idcard import check_char


def _id_number(first17: str = "51132119850312123") -> str:
    return first17 + check_char(first17)


@pytest.fixture
def admin(make_user):
    return make_user("admin", username="xtgly", display_name="系统管理员", is_staff=True)


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def _create_post(**fields) -> dict:
    data = {
        "username": "linye",
        "display_name": "林业",
        "role": "org_officer",
        "scope_unit": "",
        "cadre_id_number": "",
        "email": "",
        "password1": "",
        "password2": "",
    }
    return {**data, **fields}


# ---------------------------------------------------------------- who may


MANAGEMENT_PAGES = [
    ("get", "web:user-list", False),
    ("get", "web:user-create", False),
    ("get", "web:user-detail", True),
    ("post", "web:user-password", True),
    ("post", "web:user-active", True),
    ("post", "web:user-unlock", True),
    ("get", "web:user-picker-units", False),
]


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMIN])
def test_only_the_administrator_reaches_user_management(client, make_user, role) -> None:
    target = make_user("auditor", username="shenji")
    client.force_login(make_user(role))
    for method, name, with_pk in MANAGEMENT_PAGES:
        url = reverse(name, args=[target.pk]) if with_pk else reverse(name)
        response = getattr(client, method)(url, {"action": "generate", "active": "0"})
        assert response.status_code == 404, (role, name)
    target.refresh_from_db()
    assert target.is_active and not AuditEvent.objects.exists()
    assert "用户管理" not in client.get(reverse("web:dashboard")).content.decode()


def test_the_menu_offers_user_management_to_the_administrator(admin_client) -> None:
    page = admin_client.get(reverse("web:dashboard")).content.decode()
    assert reverse("web:user-list") in page and "用户管理" in page


# ---------------------------------------------------------------- list


def _queries_for_list(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("web:user-list"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_user_list_takes_the_same_queries_for_5_and_40_users(admin_client, make_user, tree) -> None:
    from ganbu.registry.tests.factories import CadreFactory

    def add(n: int) -> None:
        for i in range(n):
            if i % 3 == 0:
                make_user("unit_officer", scope_unit=tree.forestry)
            elif i % 3 == 1:
                make_user("cadre", cadre=CadreFactory(unit=tree.finance))
            else:
                make_user("org_officer", scope_authorities=["unit"])

    add(4)
    few = _queries_for_list(admin_client)
    add(35)
    assert User.objects.count() == 40
    many = _queries_for_list(admin_client)
    assert few == many


def test_the_list_shows_role_scope_state_and_lock_in_words(admin_client, make_user, tree) -> None:
    make_user("unit_officer", username="rsj", scope_unit=tree.forestry)
    make_user("org_officer", username="gone", is_active=False)
    AccessAttempt.objects.create(
        username="rsj", ip_address="10.0.0.8", user_agent="x", http_accept="*/*", path_info="/login/",
        get_data="", post_data="", failures_since_start=5,
    )  # fmt: skip
    page = admin_client.get(reverse("web:user-list")).content.decode()
    assert "单位人事干部" in page and "县林业局及下属单位" in page
    assert "已停用" in page and "已锁定" in page
    assert "unit_officer" not in re.sub(r"<[^>]+>", " ", page)  # words, not the role's key
    filtered = admin_client.get(reverse("web:user-list"), {"active": "0"}).content.decode()
    assert "gone" in filtered and "rsj" not in filtered


# ---------------------------------------------------------------- create


def test_creating_a_user_with_a_generated_password_shows_it_once(admin_client, admin, tree) -> None:
    response = admin_client.post(
        reverse("web:user-create"),
        _create_post(role="unit_officer", scope_unit=str(tree.forestry.pk), email="ly@lyj.example"),
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    password = re.search(r'user-temp-password">([^<]+)<', response.content.decode()).group(1)
    user = User.objects.get(username="linye")
    assert user.check_password(password)
    assert (user.role, user.scope_unit, user.email) == ("unit_officer", tree.forestry, "ly@lyj.example")
    event = AuditEvent.objects.get(event_type="user.created")
    assert event.actor == admin and password not in str(event.after)
    # Shown once: the account page does not show it again.
    assert password not in admin_client.get(reverse("web:user-detail", args=[user.pk])).content.decode()


def test_creating_a_self_service_account_finds_the_record_by_id_number(admin_client, tree) -> None:
    from ganbu.registry.tests.factories import CadreFactory

    cadre = CadreFactory(unit=tree.finance, name="王五", id_number=_id_number())
    response = admin_client.post(
        reverse("web:user-create"),
        _create_post(
            username="wangwu",
            role="cadre",
            cadre_id_number=_id_number().lower(),
            password1="Wangwu@2026x",
            password2="Wangwu@2026x",
        ),
    )
    assert response.status_code == 302
    assert User.objects.get(username="wangwu").cadre == cadre


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"role": "unit_officer"}, "单位人事干部必须指定管理范围"),
        ({"role": "cadre"}, "请填写本人身份证号"),
        ({"role": "cadre", "cadre_id_number": _id_number("11010519491231002")}, "没有身份证号为"),
        ({"password1": "Abcdefg@2026", "password2": "Abcdefg@2027"}, "两次输入的密码不一致"),
        ({"password1": "12345678", "password2": "12345678"}, "密码"),
        ({"email": "ly@"}, "电子邮件地址格式不正确"),
        ({"username": "林 业"}, "用户名只能包含"),
        ({"scope_unit": "999999"}, "请从列表中选择单位"),
        ({"role": "superuser"}, "选择一个有效的选项"),
    ],
)
def test_bad_input_on_the_create_form_is_refused_in_chinese_and_writes_nothing(
    admin_client, tree, fields, message
) -> None:
    response = admin_client.post(reverse("web:user-create"), _create_post(**fields))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.filter(username__in=["linye", "林 业"]).exists()
    assert not AuditEvent.objects.exists()


def test_a_taken_username_is_refused(admin_client, make_user) -> None:
    make_user("auditor", username="linye")
    response = admin_client.post(reverse("web:user-create"), _create_post())
    assert response.status_code == 400 and "用户名「linye」已存在" in response.content.decode()
    assert not AuditEvent.objects.exists()


# ---------------------------------------------------------------- edit, password, state, lock


def test_editing_role_scope_and_email(admin_client, make_user, tree) -> None:
    user = make_user("org_officer", username="zhangsan", display_name="张三")
    response = admin_client.post(
        reverse("web:user-detail", args=[user.pk]),
        {
            "display_name": "张三",
            "role": "unit_officer",
            "scope_unit": str(tree.town.pk),
            "scope_authorities": ["unit"],
            "email": "zs@cgz.example",
            "cadre_id_number": "",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.role, user.scope_unit, user.scope_authorities, user.email) == (
        "unit_officer",
        tree.town,
        ["unit"],
        "zs@cgz.example",
    )
    assert AuditEvent.objects.filter(event_type="user.updated").count() == 1
    page = admin_client.get(reverse("web:user-detail", args=[user.pk])).content.decode()
    assert "城关镇及下属单位，限单位管理（组织部备案）" in page


def test_an_administrator_cannot_demote_or_disable_themselves_on_the_page(admin_client, admin) -> None:
    page = admin_client.get(reverse("web:user-detail", args=[admin.pk])).content.decode()
    assert "不能停用" in page and "停用账号" not in page
    response = admin_client.post(
        reverse("web:user-detail", args=[admin.pk]),
        {
            "display_name": "系统管理员",
            "role": "auditor",
            "email": "",
            "scope_unit": "",
            "cadre_id_number": "",
        },
    )
    assert response.status_code == 400 and "不能更改自己的角色" in response.content.decode()
    response = admin_client.post(reverse("web:user-active", args=[admin.pk]), {"active": "0"}, follow=True)
    assert "不能停用自己正在使用的账号" in response.content.decode()
    admin.refresh_from_db()
    assert (admin.role, admin.is_active) == ("admin", True)
    assert not AuditEvent.objects.exists()


def test_disabling_and_enabling_with_a_reason(admin_client, make_user) -> None:
    user = make_user("org_officer", username="zhangsan")
    admin_client.post(reverse("web:user-active", args=[user.pk]), {"active": "0", "st-reason": "调离"})
    user.refresh_from_db()
    assert user.is_active is False
    assert AuditEvent.objects.get(event_type="user.disabled").reason == "调离"
    admin_client.post(reverse("web:user-active", args=[user.pk]), {"active": "1", "st-reason": "调回"})
    user.refresh_from_db()
    assert user.is_active is True


def test_resetting_a_password_generates_one_or_sets_the_typed_one(admin_client, make_user) -> None:
    user = make_user("org_officer", username="zhangsan")
    url = reverse("web:user-password", args=[user.pk])
    response = admin_client.post(url, {"action": "generate"})
    password = re.search(r'user-temp-password">([^<]+)<', response.content.decode()).group(1)
    user.refresh_from_db()
    assert user.check_password(password)
    assert AuditEvent.objects.filter(event_type="user.password_reset").count() == 1
    refused = admin_client.post(url, {"action": "set", "pw-password1": "short", "pw-password2": "short"})
    assert refused.status_code == 400 and "密码" in refused.content.decode()
    user.refresh_from_db()
    assert user.check_password(password)
    assert AuditEvent.objects.count() == 1
    admin_client.post(
        url, {"action": "set", "pw-password1": "Another@2027y", "pw-password2": "Another@2027y"}
    )
    user.refresh_from_db()
    assert user.check_password("Another@2027y")


def test_unlocking_a_locked_login_on_the_page(admin_client, make_user) -> None:
    user = make_user("org_officer", username="zhangsan")
    AccessAttempt.objects.create(
        username="zhangsan", ip_address="10.0.0.8", user_agent="x", http_accept="*/*", path_info="/login/",
        get_data="", post_data="", failures_since_start=5,
    )  # fmt: skip
    page = admin_client.get(reverse("web:user-detail", args=[user.pk])).content.decode()
    assert "解除锁定" in page
    admin_client.post(reverse("web:user-unlock", args=[user.pk]), {"ul-reason": "本人来电"})
    assert not AccessAttempt.objects.filter(username="zhangsan").exists()
    assert AuditEvent.objects.get(event_type="user.unlocked").reason == "本人来电"


def test_the_unit_picker_finds_units_by_name(admin_client, tree) -> None:
    answer = admin_client.get(reverse("web:user-picker-units"), {"q": "林业站"}).json()
    assert answer["results"] == [
        {"id": tree.station.pk, "text": "第一林业站（县林业局）", "name": "第一林业站"}
    ]


# ---------------------------------------------------------------- own password


def test_everyone_changes_their_own_password_giving_the_current_one(client, officer) -> None:
    client.force_login(officer)
    url = reverse("web:my-password")
    wrong = client.post(
        url, {"old_password": "nope", "password1": "Another@2027y", "password2": "Another@2027y"}
    )
    assert wrong.status_code == 400 and "当前密码不正确" in wrong.content.decode()
    assert not AuditEvent.objects.exists()
    response = client.post(
        url, {"old_password": "pass-word-123", "password1": "Another@2027y", "password2": "Another@2027y"}
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password("Another@2027y")
    assert AuditEvent.objects.get(event_type="user.password_set").actor == officer
    # Still logged in after the change.
    assert client.get(reverse("web:dashboard")).status_code == 200


def test_the_admin_sites_password_link_leads_to_the_audited_page(admin_client) -> None:
    response = admin_client.get("/admin/password_change/")
    assert response.status_code == 302 and response["Location"] == reverse("web:my-password")
